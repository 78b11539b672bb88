package io.avisstream.avis.ingest;

import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.FrameMessage;
import java.util.Optional;

/**
 * Where {@code ingest} sends frames and audio: the frames and audio topics of a Kafka cluster, through a producer
 * only (the Kafka side is in {@code io.avisstream.avis.api.ingest}, so this package stays free of Kafka).
 */
public interface IngestTransport {

    /**
     * Connects to the cluster and checks that the frames and audio topics exist.
     *
     * @param bootstrap bootstrap servers, or empty for the configured {@code kafka.bootstrap.servers}
     * @throws IllegalArgumentException when no cluster is given or configured (a usage error)
     * @throws IllegalStateException when the cluster or its topics cannot be reached
     */
    Sink open(Optional<String> bootstrap, String streamId);

    /** The last frame of a stream already on the frames topic: a new run continues after it. */
    record LastFrame(long seq, long ptsMicros) {
    }

    interface Sink extends AutoCloseable {

        /** The cluster, for messages ({@code host:port}). */
        String describe();

        /** {@code max.message.bytes} of the frames topic: no frame record may be larger. */
        int frameRecordLimit();

        /** The newest frame of this stream on the frames topic, if any (looked up without a consumer group). */
        Optional<LastFrame> lastFrame();

        void send(FrameMessage frame);

        void send(AudioChunkMessage chunk);

        /** Blocks until everything sent is acknowledged; throws {@link IllegalStateException} on a failed send. */
        void flush();

        @Override
        void close();
    }
}
