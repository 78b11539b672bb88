package io.avisstream.avis.demo;

import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.EventMessage;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.MasksMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the demo reaches the running service: the Kafka side lives in {@code io.avisstream.avis.api.demo}, so this
 * package (decode, render, report) stays free of Kafka imports and can be tested without a broker.
 */
public interface DemoTransport {

    /**
     * Connects to the service's topics for one stream: with the in-process broker, the service's pipeline is started
     * in this process first; with an external cluster ({@code kafka.bootstrap.servers}) the demo only produces and
     * consumes there (the service runs elsewhere; this process never becomes a second Kafka Streams instance). Output topics are read from their current end, so records
     * of earlier runs on the same cluster are never mistaken for this run's.
     *
     * @param topicsTimeout how long to wait for the service to have created the topics
     * @throws IllegalStateException when the cluster or its topics cannot be reached
     */
    Session open(String streamId, Duration topicsTimeout);

    /** One demo run's producer and consumer. */
    interface Session extends AutoCloseable {

        /** Where the session is connected, for the summary (e.g. {@code 127.0.0.1:39093 (in-process)}). */
        String describe();

        /** {@code max.message.bytes} of the frames topic: no frame record may be larger. */
        int frameRecordLimit();

        void send(FrameMessage frame);

        void send(AudioChunkMessage chunk);

        /** Blocks until everything sent is acknowledged by the broker. */
        void flush();

        /** Collects whatever masks and events of this stream arrived, waiting at most {@code maxWait}. */
        void poll(Duration maxWait);

        /**
         * Collects this stream's masks and events (including those {@link #poll} already collected) until frames {@code 0..expectedFrames-1} all have a masks record
         * or {@code timeout} passes; events that follow the last masks record within {@code settle} are included.
         */
        Results await(long expectedFrames, Duration timeout, Duration settle, Progress progress);

        @Override
        void close();
    }

    /** Called while waiting, at most about once a second. */
    @FunctionalInterface
    interface Progress {
        void update(long framesWithMasks, long expectedFrames);
    }

    /**
     * What came back.
     *
     * @param masks one per frame seq, in seq order (duplicates dropped and counted)
     * @param events in arrival order
     * @param receivedAtNanos {@link System#nanoTime()} at which each seq's masks record was first received
     * @param duplicates masks records seen again for a seq already collected
     * @param deadLetters this stream's records the service sent to the dead-letter topic, by reason
     * @param timedOut whether the wait ended before every frame had its masks record
     */
    record Results(List<MasksMessage> masks, List<EventMessage> events, Map<Long, Long> receivedAtNanos,
            long duplicates, Map<String, Long> deadLetters, boolean timedOut) {
        public Results {
            deadLetters = Map.copyOf(deadLetters);
            masks = List.copyOf(masks);
            events = List.copyOf(events);
            receivedAtNanos = Map.copyOf(receivedAtNanos);
        }
    }
}
