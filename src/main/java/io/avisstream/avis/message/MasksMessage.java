package io.avisstream.avis.message;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.OptBoolean;


/**
 * Value of {@code avis.masks.v1} (schema {@code topology/schemas/masks.schema.json}); key = stream id.
 * Exactly one per input frame, in per-stream {@code seq} order. Stable contract.
 *
 * @param audio coverage of the frame's audio window: {@code complete}, {@code partial} or {@code missing}
 * @param inferred true when the engine ran on this frame
 * @param sourceSeq the frame whose inference produced {@code instances} ({@code == seq} when inferred)
 * @param engine the active engine's name
 * @param instancesDropped how many instances (lowest scores) were left out because even without masks the record did
 *        not fit the masks topic's size limit; written only when > 0 (masks left out: {@link InstanceMessage#maskDropped})
 */
public record MasksMessage(String streamId, long seq, long ptsMicros, int width, int height, String audio,
        boolean inferred, long sourceSeq, String engine, List<InstanceMessage> instances,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JacksonInject(value = Json.ABSENT_ZERO, useInput = OptBoolean.TRUE) int instancesDropped) {
    public MasksMessage {
        if (instancesDropped < 0) {
            throw new IllegalArgumentException("instancesDropped must be >= 0, got " + instancesDropped);
        }
        Messages.requireStreamId(streamId);
        coverageOf(audio);
        if (inferred && sourceSeq != seq) {
            throw new IllegalArgumentException("an inferred frame is its own source: seq=" + seq + " sourceSeq=" + sourceSeq);
        }
        if (!inferred && sourceSeq > seq) {
            throw new IllegalArgumentException("sourceSeq " + sourceSeq + " is after seq " + seq);
        }
        instances = List.copyOf(instances);
    }

    public MasksMessage(String streamId, long seq, long ptsMicros, int width, int height, String audio,
            boolean inferred, long sourceSeq, String engine, List<InstanceMessage> instances) {
        this(streamId, seq, ptsMicros, width, height, audio, inferred, sourceSeq, engine, instances, 0);
    }

    /** The same frame with other instances (the size fit). */
    public MasksMessage withInstances(List<InstanceMessage> newInstances, int dropped) {
        return new MasksMessage(streamId, seq, ptsMicros, width, height, audio, inferred, sourceSeq, engine,
                newInstances, dropped);
    }

    /** Instances whose mask was left out to fit the size limit. */
    @JsonIgnore
    public long masksDropped() {
        return instances.stream().filter(InstanceMessage::maskDropped).count();
    }

    public static String wire(AudioCoverage coverage) {
        return coverage.name().toLowerCase(Locale.ROOT);
    }

    @JsonIgnore
    public AudioCoverage coverage() {
        return coverageOf(audio);
    }

    private static AudioCoverage coverageOf(String audio) {
        if (audio == null) {
            throw new IllegalArgumentException("audio coverage is required");
        }
        return switch (audio) {
            case "complete" -> AudioCoverage.COMPLETE;
            case "partial" -> AudioCoverage.PARTIAL;
            case "missing" -> AudioCoverage.MISSING;
            default -> throw new IllegalArgumentException("audio must be complete|partial|missing, got " + audio);
        };
    }
}
