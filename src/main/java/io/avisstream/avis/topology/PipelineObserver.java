package io.avisstream.avis.topology;

import java.util.List;

import org.apache.kafka.streams.KafkaStreams;

import io.avisstream.avis.engine.Engine;
import io.avisstream.avis.message.AudioCoverage;
import io.avisstream.avis.message.DlqReason;
import io.avisstream.avis.message.EventMessage;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.MasksMessage;

/**
 * What the processors report as they go, for whoever watches (metrics, the dashboard): a small facade, so the
 * processors know nothing of Micrometer or HTTP. Every method has a no-op default; implementations are CDI beans
 * that {@code AvisStreams} collects. Called on stream threads: implementations must be fast and thread-safe, and
 * must not throw.
 */
public interface PipelineObserver {
    /** Observes nothing (TopologyTestDriver tests, commands without the pipeline). */
    PipelineObserver NONE = new PipelineObserver() {
    };

    /** A frame passed the decode step (valid, not dead-lettered). */
    default void frameIn(String stream) {
    }

    /** The join emitted a frame with its audio {@code coverage}, {@code waitMillis} after the frame record's timestamp. */
    default void joined(String stream, AudioCoverage coverage, long waitMillis) {
    }

    /** A masks record left the inference step for {@code frame}; {@code liveTracks} is set on inferred frames (else -1). */
    default void masksOut(FrameMessage frame, MasksMessage masks, int liveTracks) {
    }

    /** An event left the events step. */
    default void event(EventMessage event) {
    }

    /** A record went to the dead-letter topic. */
    default void deadLetter(DlqReason reason, String stage) {
    }

    /** The engine the topology runs, possibly wrapped to be measured. */
    default Engine engine(Engine engine) {
        return engine;
    }

    /** Kafka Streams was created (not yet started). */
    default void streamsCreated(KafkaStreams streams) {
    }

    /** Kafka Streams is about to close. */
    default void streamsClosing(KafkaStreams streams) {
    }

    /** All of {@code observers}, in order; a failing observer is not allowed to fail the pipeline. */
    static PipelineObserver of(List<PipelineObserver> observers) {
        if (observers.isEmpty()) {
            return NONE;
        }
        if (observers.size() == 1) {
            return observers.get(0);
        }
        List<PipelineObserver> all = List.copyOf(observers);
        return new PipelineObserver() {
            @Override
            public void frameIn(String stream) {
                all.forEach(o -> o.frameIn(stream));
            }

            @Override
            public void joined(String stream, AudioCoverage coverage, long waitMillis) {
                all.forEach(o -> o.joined(stream, coverage, waitMillis));
            }

            @Override
            public void masksOut(FrameMessage frame, MasksMessage masks, int liveTracks) {
                all.forEach(o -> o.masksOut(frame, masks, liveTracks));
            }

            @Override
            public void event(EventMessage event) {
                all.forEach(o -> o.event(event));
            }

            @Override
            public void deadLetter(DlqReason reason, String stage) {
                all.forEach(o -> o.deadLetter(reason, stage));
            }

            @Override
            public Engine engine(Engine engine) {
                Engine e = engine;
                for (PipelineObserver o : all) {
                    e = o.engine(e);
                }
                return e;
            }

            @Override
            public void streamsCreated(KafkaStreams streams) {
                all.forEach(o -> o.streamsCreated(streams));
            }

            @Override
            public void streamsClosing(KafkaStreams streams) {
                all.forEach(o -> o.streamsClosing(streams));
            }
        };
    }
}
