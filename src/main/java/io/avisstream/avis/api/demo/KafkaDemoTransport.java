package io.avisstream.avis.api.demo;

import io.avisstream.avis.demo.DemoTransport;
import io.avisstream.avis.dlq.DeadLetters;
import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.EventMessage;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.topology.contract.Topic;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.runtime.AvisStreams;
import io.avisstream.avis.topology.runtime.KafkaClientProperties;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The demo's Kafka glue, on the service's own pipeline ({@link AvisStreams}): one idempotent producer for the frames and audio topics, one {@code read_committed}
 * consumer assigned to every partition of the masks, events and dead-letter topics, positioned at their end before the first
 * record is sent. Values go through the topics' own serdes ({@link TopicContract}), so the demo produces exactly what
 * the service validates.
 */
@ApplicationScoped
public class KafkaDemoTransport implements DemoTransport {

    private static final Logger LOG = Logger.getLogger(KafkaDemoTransport.class);

    @Inject
    AvisStreams streams;
    @Inject
    TopicContract contract;
    @Inject
    KafkaClientProperties clients;

    /** The topics this transport produces to and reads from: the service's contract. */
    TopicContract contract() {
        return contract;
    }

    /**
     * Starts the service's pipeline in this process (in-process broker unless {@code kafka.bootstrap.servers} is
     * set, topics, Kafka Streams; idempotent) and connects to the cluster it uses.
     */
    @Override
    public Session open(String streamId, Duration topicsTimeout) {
        String bootstrap = streams.start();
        return new KafkaSession(clients.forBootstrap(bootstrap), contract, streamId, topicsTimeout);
    }

    static final class KafkaSession implements Session {

        private final String bootstrap;
        private final TopicContract contract;
        private final String streamId;
        private final KafkaProducer<String, byte[]> producer;
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<Future<RecordMetadata>> inFlight = new ArrayList<>();
        /** What came back so far, collected by {@link #poll} during and after sending. */
        private final TreeMap<Long, MasksMessage> masks = new TreeMap<>();
        private final Map<Long, Long> receivedAtNanos = new HashMap<>();
        private final List<EventMessage> events = new ArrayList<>();
        private long duplicates;
        /** This stream's records the service rejected during the run, by dead-letter reason. */
        private final Map<String, Long> deadLetters = new TreeMap<>();
        /** Record timestamps follow the clip's pts from the moment the session opened. */
        private final long baseEpochMillis = System.currentTimeMillis();

        /** A PLAINTEXT session on {@code bootstrap} (the tests' in-process broker). */
        KafkaSession(String bootstrap, TopicContract contract, String streamId, Duration topicsTimeout) {
            this(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), contract, streamId, topicsTimeout);
        }

        /** @param client bootstrap servers and security settings ({@link KafkaClientProperties#forBootstrap}) */
        KafkaSession(Map<String, Object> client, TopicContract contract, String streamId, Duration topicsTimeout) {
            this.bootstrap = String.valueOf(client.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
            this.contract = contract;
            this.streamId = streamId;
            Map<String, Object> producerConfig = new HashMap<>(client);
            producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
            producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            producerConfig.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            // A frame may be as large as the frames topic allows.
            producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                    contract.frames().maxMessageBytes());
            producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "avis-demo-producer-" + streamId);
            this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());

            Map<String, Object> consumerConfig = new HashMap<>(client);
            consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumerConfig.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                    contract.masks().maxMessageBytes());
            consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "avis-demo-consumer-" + streamId);
            this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
            try {
                List<TopicPartition> partitions = new ArrayList<>();
                partitions.addAll(partitionsOf(contract.masks().name(), topicsTimeout));
                partitions.addAll(partitionsOf(contract.events().name(), topicsTimeout));
                partitions.addAll(partitionsOf(contract.dlq().name(), topicsTimeout));
                partitionsOf(contract.frames().name(), topicsTimeout);
                partitionsOf(contract.audio().name(), topicsTimeout);
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                // seekToEnd is lazy: resolve the positions now, before anything of this run is produced.
                partitions.forEach(consumer::position);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            LOG.infof("demo connected bootstrap=%s stream=%s", bootstrap, streamId);
        }

        /** Waits (bounded) until the service has created {@code topic}. */
        private List<TopicPartition> partitionsOf(String topic, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<PartitionInfo> infos = consumer.listTopics(Duration.ofSeconds(5)).get(topic);
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + " does not exist on " + bootstrap + " after "
                            + timeout.toSeconds() + " s: is the service (serve) running against this cluster?");
                }
                sleep(250);
            }
        }

        @Override
        public String describe() {
            return bootstrap;
        }

        @Override
        public void send(FrameMessage frame) {
            send(contract.frames(), frame, frame.ptsMicros());
        }

        @Override
        public void send(AudioChunkMessage chunk) {
            send(contract.audio(), chunk, chunk.startMicros());
        }

        private <V> void send(Topic<String, V> topic, V value, long micros) {
            byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
            inFlight.add(producer.send(new ProducerRecord<>(topic.name(), null, baseEpochMillis + micros / 1000,
                    streamId, bytes)));
            if (inFlight.size() >= 256) {
                awaitAcks();
            }
        }

        @Override
        public void flush() {
            producer.flush();
            awaitAcks();
        }

        /** Surfaces a failed send here instead of losing it in a callback. */
        private void awaitAcks() {
            try {
                for (Future<RecordMetadata> ack : inFlight) {
                    ack.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the broker rejected a demo record: " + e.getCause().getMessage(),
                        e.getCause());
            } finally {
                inFlight.clear();
            }
        }

        @Override
        public void poll(Duration maxWait) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(maxWait)) {
                if (!streamId.equals(record.key())) {
                    continue;
                }
                if (record.topic().equals(contract.dlq().name())) {
                    deadLetters.merge(reasonOf(record), 1L, Long::sum);
                } else if (record.topic().equals(contract.masks().name())) {
                    Optional<MasksMessage> message = decode(contract.masks(), record);
                    if (message.isEmpty()) {
                        continue;
                    }
                    if (masks.putIfAbsent(message.get().seq(), message.get()) == null) {
                        receivedAtNanos.put(message.get().seq(), System.nanoTime());
                    } else {
                        duplicates++;
                    }
                } else {
                    decode(contract.events(), record).ifPresent(events::add);
                }
            }
        }

        @Override
        public Results await(long expectedFrames, Duration timeout, Duration settle, Progress progress) {
            long deadline = System.nanoTime() + timeout.toNanos();
            long settleUntil = Long.MAX_VALUE;
            long lastReport = 0;
            while (true) {
                long now = System.nanoTime();
                if (now > settleUntil || now > deadline) {
                    return new Results(List.copyOf(masks.values()), events, Map.copyOf(receivedAtNanos), duplicates,
                            deadLetters, !complete(masks, expectedFrames));
                }
                poll(Duration.ofMillis(200));
                if (settleUntil == Long.MAX_VALUE && complete(masks, expectedFrames)) {
                    settleUntil = System.nanoTime() + settle.toNanos();
                }
                if (now - lastReport > 1_000_000_000L) {
                    progress.update(masks.size(), expectedFrames);
                    lastReport = now;
                }
            }
        }

        private static String reasonOf(ConsumerRecord<String, byte[]> record) {
            Header reason = record.headers().lastHeader(DeadLetters.REASON);
            return reason == null ? "UNKNOWN" : new String(reason.value(), StandardCharsets.UTF_8);
        }

        private static boolean complete(TreeMap<Long, MasksMessage> masks, long expectedFrames) {
            return masks.size() >= expectedFrames && (expectedFrames == 0 || masks.lastKey() >= expectedFrames - 1);
        }

        private static <V> Optional<V> decode(Topic<String, V> topic, ConsumerRecord<String, byte[]> record) {
            try {
                return Optional.ofNullable(topic.valueSerde().deserializer().deserialize(record.topic(), record.value()));
            } catch (SerializationException e) {
                LOG.warnf("demo skipped an invalid record topic=%s partition=%d offset=%d: %s", record.topic(),
                        record.partition(), record.offset(), e.getMessage());
                return Optional.empty();
            }
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        @Override
        public void close() {
            try {
                producer.close(Duration.ofSeconds(10));
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }
    }
}
