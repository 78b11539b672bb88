package io.avisstream.avis.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.DeserializationHandlerResponse;
import org.junit.jupiter.api.Test;

import io.avisstream.avis.message.DlqReason;
import io.avisstream.avis.message.InvalidMessageException;

class DeadLetterDeserializationHandlerTest {

    @Test
    void shouldWriteTheRecordToTheDeadLetterTopicAndContinue() {
        // Given
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler(producer, "dlq", 8 * 1024 * 1024);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("avis.frames.v1", 3, 42L, "k".getBytes(StandardCharsets.UTF_8),
                "v".getBytes(StandardCharsets.UTF_8));
        Exception failure = new SerializationException("bad", new InvalidMessageException(DlqReason.SCHEMA_VIOLATION, "x"));

        // When
        DeserializationHandlerResponse response = handler.handle((org.apache.kafka.streams.errors.ErrorHandlerContext) null, record, failure);

        // Then
        assertThat(response).isEqualTo(DeserializationHandlerResponse.CONTINUE);
        assertThat(producer.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> dead = producer.history().get(0);
        assertThat(dead.topic()).isEqualTo("dlq");
        assertThat(dead.key()).isEqualTo(record.key());
        assertThat(dead.value()).isEqualTo(record.value());
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.REASON)).isEqualTo("SCHEMA_VIOLATION");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.STAGE)).isEqualTo("deserialize");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("avis.frames.v1");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("3");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("42");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.EXCEPTION_CLASS))
                .isEqualTo(SerializationException.class.getName());
    }

    @Test
    void shouldFailRatherThanLoseTheRecordWhenTheDeadLetterWriteFails() {
        // Given a producer whose sends fail
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler(producer, "dlq", 8 * 1024 * 1024);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("t", 0, 0L, null, new byte[] { 1 });

        // When the send is failed asynchronously while the handler waits
        Thread failer = new Thread(() -> {
            while (!producer.errorNext(new RuntimeException("broker down"))) {
                Thread.onSpinWait();
            }
        });
        failer.start();
        DeserializationHandlerResponse response = handler.handle((org.apache.kafka.streams.errors.ErrorHandlerContext) null, record, new SerializationException("bad"));

        // Then
        assertThat(response).isEqualTo(DeserializationHandlerResponse.FAIL);
    }
}
