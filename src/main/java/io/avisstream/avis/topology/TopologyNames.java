package io.avisstream.avis.topology;

/**
 * Names of the topology's nodes and state stores. They are part of the Kafka contract: a store's name is its
 * changelog topic's name ({@code <application.id>-<store>-changelog}), so renaming one loses that state on a
 * running deployment. {@code topology/topology-description.txt} pins them (TopologyDescriptionTest).
 *
 * <p>The processors and the interactive queries read names from here, never from the builder
 * ({@link AvisTopology}), so that wiring and processing do not depend on each other.
 */
public final class TopologyNames {
    public static final String FRAMES_SOURCE = "avis-frames-source";
    public static final String AUDIO_SOURCE = "avis-audio-source";
    public static final String FRAMES_DECODE = "avis-frames-decode";
    public static final String AUDIO_DECODE = "avis-audio-decode";
    public static final String JOIN = "avis-av-join";
    public static final String INFER = "avis-infer-track";
    public static final String EVENTS = "avis-events";
    public static final String MASKS_SINK = "avis-masks-sink";
    public static final String EVENTS_SINK = "avis-events-sink";
    public static final String DLQ_SINK = "avis-dlq-sink";

    public static final String JOIN_FRAMES_STORE = "avis-av-frames-store";
    public static final String JOIN_AUDIO_STORE = "avis-av-audio-store";
    public static final String JOIN_CLOCK_STORE = "avis-av-clock-store";
    public static final String TRACKER_STORE = "avis-tracker-store";
    public static final String LAST_MASKS_STORE = "avis-last-masks-store";
    public static final String EVENTS_STORE = "avis-events-store";

    private TopologyNames() {
    }
}
