package io.avisstream.avis.topology;

import org.apache.kafka.common.serialization.Serdes;

import io.avisstream.avis.topology.message.AudioChunkMessage;
import io.avisstream.avis.topology.message.EventMessage;
import io.avisstream.avis.topology.message.FrameMessage;
import io.avisstream.avis.topology.message.MasksMessage;
import io.avisstream.avis.topology.message.MessageCodec;

/**
 * Typed descriptors of the topics of the bundled {@code topology/topics.yaml}. Stable API for producers and
 * consumers of the service (ingest, demo, tests): {@code Topics.FRAMES.keySerde()} etc.
 */
public final class Topics {
    public static final TopicContract CONTRACT = TopicContract.bundled();

    public static final Topic<String, FrameMessage> FRAMES = new Topic<>(CONTRACT.frames(), Serdes.String(),
            new JsonSerde<>(MessageCodec.FRAMES));
    public static final Topic<String, AudioChunkMessage> AUDIO = new Topic<>(CONTRACT.audio(), Serdes.String(),
            new JsonSerde<>(MessageCodec.AUDIO));
    public static final Topic<String, MasksMessage> MASKS = new Topic<>(CONTRACT.masks(), Serdes.String(),
            new JsonSerde<>(MessageCodec.MASKS));
    public static final Topic<String, EventMessage> EVENTS = new Topic<>(CONTRACT.events(), Serdes.String(),
            new JsonSerde<>(MessageCodec.EVENTS));
    /** Dead letters keep the original key and value bytes. */
    public static final Topic<byte[], byte[]> DLQ = new Topic<>(CONTRACT.dlq(), Serdes.ByteArray(), Serdes.ByteArray());

    private Topics() {
    }
}
