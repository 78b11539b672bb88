package io.avisstream.avis.topology;

import static io.avisstream.avis.topology.TestStreams.chunk;
import static io.avisstream.avis.topology.TestStreams.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
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
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.avisstream.avis.dlq.DeadLetters;
import io.avisstream.avis.message.FrameEncoding;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.runtime.AvisStreams;
import io.avisstream.avis.topology.runtime.EmbeddedKafka;
import io.avisstream.avis.topology.runtime.TopicAdmin;

/**
 * The records that stopped the service for good, on the real broker with exactly-once v2: each one is dead-lettered
 * exactly once with its reason, the instance stays RUNNING, and a good frame sent after them still gets its masks.
 */
class PoisonRecordsIT {
    private static final TopicContract CONTRACT = TopicContract.bundled();
    private static final String CAM = "cam-poison";
    /** The invalid frame measured from outside: just under the frames topic's max.message.bytes. */
    private static final int NEAR_LIMIT_BYTES = 8_388_305;

    @TempDir
    Path stateDir;

    @Test
    void shouldDeadLetterEveryPoisonRecordOnceAndKeepServing() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            TopicAdmin.ensure(kafka.bootstrapServers(), CONTRACT, true);
            byte[] key = CAM.getBytes(StandardCharsets.UTF_8);
            // Given the poison records, in this order on one partition
            byte[] nearLimit = invalidJpegFrameOfExactly(NEAR_LIMIT_BYTES);
            byte[] claims26000 = MessageCodec.FRAMES.encode(new FrameMessage(CAM, 2, 80_000, 640, 360,
                    FrameEncoding.JPEG, TestStreams.jpegClaiming(32, 24, 26000, 26000)));
            byte[] bomb = TestStreams.jpegClaiming(32, 24, 26750, 26750);
            // declared 26750x26750 too: beyond the schema's bound on width/height, rejected before any decode
            byte[] bombDeclared = MessageCodec.FRAMES.encode(new FrameMessage(CAM, 3, 120_000, 26750, 26750,
                    FrameEncoding.JPEG, bomb));
            byte[] bombUndeclared = MessageCodec.FRAMES.encode(new FrameMessage(CAM, 4, 160_000, 32, 24,
                    FrameEncoding.JPEG, bomb));
            byte[] good = TestStreams.jpeg(32, 24);
            byte[] truncated = MessageCodec.FRAMES.encode(new FrameMessage(CAM, 5, 200_000, 32, 24, FrameEncoding.JPEG,
                    Arrays.copyOf(good, good.length - 2)));
            byte[] trailingGarbage = concat(MessageCodec.FRAMES.encode(frame(CAM, 6)), "}garbage".getBytes(StandardCharsets.UTF_8));
            List<byte[]> poison = List.of(nearLimit, claims26000, claims26000, claims26000, bombDeclared, bombUndeclared,
                    truncated, trailingGarbage);
            List<String> expectedReasons = List.of("BAD_IMAGE", "WRONG_SIZE", "WRONG_SIZE", "WRONG_SIZE", "SCHEMA_VIOLATION",
                    "WRONG_SIZE", "BAD_IMAGE", "UNDECODABLE");

            try (KafkaStreams streams = start(kafka)) {
                // When they are sent, then a good frame with its audio
                try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                    for (byte[] value : poison) {
                        producer.send(new ProducerRecord<>(CONTRACT.frames().name(), key, value)).get();
                    }
                    producer.send(new ProducerRecord<>(CONTRACT.frames().name(), key,
                            MessageCodec.FRAMES.encode(frame(CAM, 10)))).get();
                    for (int i = 0; i < 10; i++) {
                        producer.send(new ProducerRecord<>(CONTRACT.audio().name(), key,
                                MessageCodec.AUDIO.encode(chunk(CAM, 4 + i, true)))).get();
                    }
                }
                List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
                List<MasksMessage> masks = new ArrayList<>();
                read(kafka, dead, masks, poison.size(), 1);

                // Then every poison record is dead-lettered once, in order, with its reason and offset
                assertThat(dead).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.REASON))
                        .containsExactlyElementsOf(expectedReasons);
                assertThat(dead).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET))
                        .containsExactly("0", "1", "2", "3", "4", "5", "6", "7");
                // the near-limit one cut to fit, saying its original size; the others unchanged
                ConsumerRecord<byte[], byte[]> big = dead.get(0);
                assertThat(DeadLetters.header(big.headers(), DeadLetters.TRUNCATED)).isEqualTo(Integer.toString(NEAR_LIMIT_BYTES));
                assertThat(big.value()).isEqualTo(Arrays.copyOf(nearLimit, big.value().length));
                assertThat(big.key()).isEqualTo(key);
                for (int i = 1; i < dead.size(); i++) {
                    assertThat(dead.get(i).value()).isEqualTo(poison.get(i));
                    assertThat(DeadLetters.header(dead.get(i).headers(), DeadLetters.TRUNCATED)).isNull();
                }
                // and the service kept going: the good frame is joined and inferred
                assertThat(masks).extracting(MasksMessage::seq, MasksMessage::audio)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(10L, "complete"));
                assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
            }
        }
    }

    /** A valid frame message (jpeg, 32x24) of exactly {@code size} bytes whose image bytes are not a JPEG. */
    private static byte[] invalidJpegFrameOfExactly(int size) {
        String head = "{\"streamId\":\"" + CAM + "\",\"seq\":1,\"ptsMicros\":40000,\"width\":32,\"height\":24,"
                + "\"encoding\":\"jpeg\",\"data\":\"";
        String tail = "\"}";
        int room = size - head.length() - tail.length();
        int base64 = room - room % 4;
        byte[] raw = new byte[base64 / 4 * 3];
        Arrays.fill(raw, (byte) 0x5a);
        String json = head + Base64.getEncoder().encodeToString(raw) + tail + " ".repeat(room - base64);
        byte[] bytes = json.getBytes(StandardCharsets.US_ASCII);
        assertThat(bytes).hasSize(size);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private KafkaStreams start(EmbeddedKafka kafka) throws InterruptedException {
        Properties props = AvisStreams.coreProperties("avis-poison-it", kafka.bootstrapServers(),
                StreamsConfig.EXACTLY_ONCE_V2, CONTRACT);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), "8388608");
        KafkaStreams streams = new KafkaStreams(AvisTopology.build(new DeterministicTestEngine(),
                TopologySettings.defaults(), CONTRACT), props);
        streams.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        return streams;
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "8388608"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void read(EmbeddedKafka kafka, List<ConsumerRecord<byte[], byte[]>> dead, List<MasksMessage> masks,
            int expectedDead, int expectedMasks) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "poison-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "8388608",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(Set.of(CONTRACT.dlq().name(), CONTRACT.masks().name()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while ((dead.size() < expectedDead || masks.size() < expectedMasks) && System.nanoTime() < deadline) {
                poll(consumer, dead, masks, Duration.ofMillis(200));
            }
            // nothing more may arrive (each record dead-lettered exactly once)
            poll(consumer, dead, masks, Duration.ofSeconds(2));
        }
    }

    private static void poll(KafkaConsumer<byte[], byte[]> consumer, List<ConsumerRecord<byte[], byte[]>> dead,
            List<MasksMessage> masks, Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            if (r.topic().equals(CONTRACT.dlq().name())) {
                dead.add(r);
            } else {
                masks.add(MessageCodec.MASKS.decode(r.value()));
            }
        }
    }
}
