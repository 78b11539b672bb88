package io.avisstream.avis.topology.contract;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import io.avisstream.avis.message.InvalidMessageException;
import io.avisstream.avis.message.MessageCodec;

/**
 * Kafka serde over a {@link MessageCodec}: JSON out, JSON validated against the topic's schema in. The
 * deserializer throws {@link SerializationException} (cause: {@link InvalidMessageException} with the
 * dead-letter reason) for anything that is not a valid message.
 */
public final class JsonSerde<T> implements Serde<T> {
    private final MessageCodec<T> codec;

    public JsonSerde(MessageCodec<T> codec) {
        this.codec = codec;
    }

    public MessageCodec<T> codec() {
        return codec;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : codec.encode(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return codec.decode(bytes);
            } catch (InvalidMessageException e) {
                throw new SerializationException(e.reason() + ": " + e.getMessage(), e);
            }
        };
    }
}
