package io.avisstream.avis.api.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.avisstream.avis.demo.DemoTransport;
import io.avisstream.avis.dlq.DeadLetters;
import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.EventMessage;
import io.avisstream.avis.message.EventType;
import io.avisstream.avis.message.FrameEncoding;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.runtime.EmbeddedKafka;
import io.avisstream.avis.topology.runtime.TopicAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's Kafka glue on a real in-process broker, without the topology: what it sends lands on the contract's
 * topics through their serdes, and what it collects is this run's records of this stream only.
 */
class KafkaDemoTransportIT {
    private static final TopicContract CONTRACT = TopicContract.bundled();

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.startTemporary();
        TopicAdmin.ensure(kafka.bootstrapServers(), CONTRACT, true);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static MasksMessage masks(String stream, long seq) {
        return new MasksMessage(stream, seq, seq * 40_000, 4, 4, "complete", seq == 0, 0, "test", List.of());
    }

    private static EventMessage onset(String stream, long seq) {
        return new EventMessage(stream, seq, seq * 40_000, EventType.ONSET, 1L, 0, "person", 1, 0);
    }

    /** Plays the service: writes masks/events records as the topology would. */
    private static void publish(List<ProducerRecord<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    private static ProducerRecord<String, byte[]> record(MasksMessage m) {
        return new ProducerRecord<>(CONTRACT.masks().name(), m.streamId(),
                CONTRACT.masks().valueSerde().serializer().serialize(CONTRACT.masks().name(), m));
    }

    private static ProducerRecord<String, byte[]> record(EventMessage e) {
        return new ProducerRecord<>(CONTRACT.events().name(), e.streamId(),
                CONTRACT.events().valueSerde().serializer().serialize(CONTRACT.events().name(), e));
    }

    @Test
    void shouldCollectOnlyThisRunsRecordsOfItsStreamInSeqOrder() {
        // Given: a record of an earlier run of the same stream, already on the masks topic
        String stream = "cam-collect";
        publish(List.of(record(masks(stream, 0))));

        try (DemoTransport.Session session = new KafkaDemoTransport.KafkaSession(kafka.bootstrapServers(), CONTRACT, stream,
                Duration.ofSeconds(30))) {
            // When: this run's records arrive out of order, with another stream's and a duplicate in between
            publish(List.of(record(masks(stream, 1)), record(masks("other", 0)), record(masks(stream, 0)),
                    record(masks(stream, 1)), record(onset(stream, 1)), record(onset("other", 0))));
            DemoTransport.Results results = session.await(2, Duration.ofSeconds(30), Duration.ofMillis(300),
                    (done, total) -> { });

            // Then
            assertThat(results.timedOut()).isFalse();
            assertThat(results.masks()).containsExactly(masks(stream, 0), masks(stream, 1));
            assertThat(results.duplicates()).isEqualTo(1);
            assertThat(results.events()).containsExactly(onset(stream, 1));
            assertThat(results.receivedAtNanos()).containsOnlyKeys(0L, 1L);
            assertThat(results.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldCountThisStreamsDeadLettersByReason() {
        // Given
        String stream = "cam-dlq";
        try (DemoTransport.Session session = new KafkaDemoTransport.KafkaSession(kafka.bootstrapServers(), CONTRACT, stream,
                Duration.ofSeconds(30))) {
            // When: the service rejects two of this stream's records and one of another stream's
            publish(List.of(deadLetter(stream, "OVERSIZED"), deadLetter(stream, "LATE_FRAME"),
                    deadLetter("other", "OVERSIZED"), record(masks(stream, 0))));
            DemoTransport.Results results = session.await(1, Duration.ofSeconds(30), Duration.ofMillis(500),
                    (done, total) -> { });

            // Then
            assertThat(results.deadLetters()).isEqualTo(Map.of("LATE_FRAME", 1L, "OVERSIZED", 1L));
        }
    }

    private static ProducerRecord<String, byte[]> deadLetter(String stream, String reason) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(CONTRACT.dlq().name(), stream, new byte[] { 1 });
        record.headers().add(DeadLetters.REASON, reason.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return record;
    }

    @Test
    void shouldReportATimeoutWithWhatArrived() {
        String stream = "cam-timeout";
        try (DemoTransport.Session session = new KafkaDemoTransport.KafkaSession(kafka.bootstrapServers(), CONTRACT, stream,
                Duration.ofSeconds(30))) {
            publish(List.of(record(masks(stream, 0))));

            DemoTransport.Results results = session.await(3, Duration.ofSeconds(2), Duration.ofMillis(100),
                    (done, total) -> { });

            assertThat(results.timedOut()).isTrue();
            assertThat(results.masks()).containsExactly(masks(stream, 0));
        }
    }

    @Test
    void shouldSendFramesAndAudioKeyedByStreamThroughTheTopicSerdes() {
        // Given
        String stream = "cam-send";
        FrameMessage frame = new FrameMessage(stream, 0, 0, 2, 1, FrameEncoding.RGB24, new byte[6]);
        AudioChunkMessage chunk = AudioChunkMessage.of(stream, 0, new short[] { 1, -1 });

        // When
        try (DemoTransport.Session session = new KafkaDemoTransport.KafkaSession(kafka.bootstrapServers(), CONTRACT, stream,
                Duration.ofSeconds(30))) {
            session.send(frame);
            session.send(chunk);
            session.flush();
        }

        // Then: the service's own deserializers read them back
        assertThat(readAll(CONTRACT.frames().name())).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(stream);
            assertThat(CONTRACT.frames().valueSerde().deserializer().deserialize(r.topic(), r.value())).isEqualTo(frame);
        });
        assertThat(readAll(CONTRACT.audio().name())).singleElement().satisfies(r -> assertThat(
                CONTRACT.audio().valueSerde().deserializer().deserialize(r.topic(), r.value())).isEqualTo(chunk));
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
