package io.avisstream.avis.topology;

import static io.avisstream.avis.topology.TestStreams.chunk;
import static io.avisstream.avis.topology.TestStreams.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.runtime.EmbeddedKafka;
import io.avisstream.avis.topology.runtime.TopicAdmin;

/**
 * Restart on a new machine: the second instance has an empty state directory, so its tracker, join and event
 * stores are restored from their changelog topics; it must continue the same track ids and the same seq order.
 */
class TrackerRestartIT {
    private static final TopicContract CONTRACT = TopicContract.bundled();
    private static final String CAM = "cam-r";

    @TempDir
    Path firstStateDir;
    @TempDir
    Path secondStateDir;

    @Test
    void shouldContinueTrackIdsAfterRestoringStateFromChangelogsOnAnotherInstance() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            // Given topics and a first instance that sees red then green (every frame inferred)
            TopicAdmin.ensure(kafka.bootstrapServers(), CONTRACT, true);
            TopologySettings settings = TopologySettings.defaults().withFps(0);
            try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
                for (int i = 0; i < 30; i++) {
                    producer.send(new ProducerRecord<>(CONTRACT.audio().name(), CAM, MessageCodec.AUDIO.encode(chunk(CAM, i, true))));
                }
                for (long s = 0; s < 4; s++) {
                    producer.send(new ProducerRecord<>(CONTRACT.frames().name(), CAM,
                            MessageCodec.FRAMES.encode(frame(CAM, s, s < 2 ? 0xff0000 : 0x00ff00))));
                }
            }
            List<MasksMessage> first;
            try (KafkaStreams streams = start(kafka, settings, firstStateDir)) {
                first = readMasks(kafka, 4);
            }

            // When a second instance with an empty state directory takes over and green, then red, come back
            try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
                for (long s = 4; s < 6; s++) {
                    producer.send(new ProducerRecord<>(CONTRACT.frames().name(), CAM,
                            MessageCodec.FRAMES.encode(frame(CAM, s, s < 5 ? 0x00ff00 : 0xff0000))));
                }
            }
            List<MasksMessage> all;
            try (KafkaStreams streams = start(kafka, settings, secondStateDir)) {
                all = readMasks(kafka, 6);
            }

            // Then ids continue: red = 1, green = 2 on both instances, and no frame is repeated
            assertThat(first).extracting(m -> m.instances().get(0).trackId()).containsExactly(1L, 1L, 2L, 2L);
            assertThat(all).extracting(MasksMessage::seq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
            assertThat(all).extracting(m -> m.instances().get(0).trackId()).containsExactly(1L, 1L, 2L, 2L, 2L, 1L);
        }
    }

    private static KafkaStreams start(EmbeddedKafka kafka, TopologySettings settings, Path stateDir) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "avis-restart-it");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        // Streams does not leave the group on close: a short session lets the second instance take over quickly.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000");
        KafkaStreams streams = new KafkaStreams(AvisTopology.build(new DeterministicTestEngine(), settings, CONTRACT),
                props);
        streams.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        return streams;
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static List<MasksMessage> readMasks(EmbeddedKafka kafka, int expected) {
        List<MasksMessage> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "restart-reader-" + expected,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(Set.of(CONTRACT.masks().name()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(MessageCodec.MASKS.decode(r.value()));
                }
            }
        }
        return out;
    }
}
