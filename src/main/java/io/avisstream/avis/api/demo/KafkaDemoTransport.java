package io.avisstream.avis.api.demo;

import io.avisstream.avis.demo.DemoTransport;
import io.avisstream.avis.dlq.DeadLetters;
import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.EventMessage;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.topology.contract.Topic;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.api.ingest.StreamProducer;
import io.avisstream.avis.topology.runtime.AvisStreams;
import io.avisstream.avis.topology.runtime.KafkaClientProperties;
import io.avisstream.avis.topology.runtime.KafkaClusterConfig;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
    KafkaClusterConfig cluster;
    @Inject
    KafkaClientProperties clients;

    /** The topics this transport produces to and reads from: the service's contract. */
    TopicContract contract() {
        return contract;
    }

    /**
     * Without {@code kafka.bootstrap.servers}: starts the service's pipeline in this process (in-process broker,
     * topics, Kafka Streams; idempotent) and connects to it. With an external cluster: connects only (the service
     * there does the processing; starting Kafka Streams here would join its consumer group as a second instance).
     */
    @Override
    public Session open(String streamId, Duration topicsTimeout) {
        String bootstrap = cluster.bootstrapServers().isPresent() ? cluster.bootstrapServers().get() : streams.start();
        return new KafkaSession(clients.forBootstrap(bootstrap), contract, streamId, topicsTimeout);
    }

    static final class KafkaSession implements Session {

        private final String bootstrap;
        private final TopicContract contract;
        private final String streamId;
        private final StreamProducer producer;
        private final KafkaConsumer<String, byte[]> consumer;
        /** What came back so far, collected by {@link #poll} during and after sending. */
        private final TreeMap<Long, MasksMessage> masks = new TreeMap<>();
        private final Map<Long, Long> receivedAtNanos = new HashMap<>();
        private final List<EventMessage> events = new ArrayList<>();
        private long duplicates;
        /** This stream's records the service rejected during the run, by dead-letter reason. */
        private final Map<String, Long> deadLetters = new TreeMap<>();

        /** A PLAINTEXT session on {@code bootstrap} (the tests' in-process broker). */
        KafkaSession(String bootstrap, TopicContract contract, String streamId, Duration topicsTimeout) {
            this(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), contract, streamId, topicsTimeout);
        }

        /** @param client bootstrap servers and security settings ({@link KafkaClientProperties#forBootstrap}) */
        KafkaSession(Map<String, Object> client, TopicContract contract, String streamId, Duration topicsTimeout) {
            this.bootstrap = String.valueOf(client.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
            this.contract = contract;
            this.streamId = streamId;
            // Idempotent, and a frame may be as large as the frames topic allows (limits from the contract).
            this.producer = new StreamProducer(client, contract, streamId, "avis-demo-producer-" + streamId, 256);

            Map<String, Object> consumerConfig = new HashMap<>(client);
            consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            // Any record the contract allows on the topics read here (dead letters hold whole frames) is fetchable.
            int largest = Math.max(contract.dlq().maxMessageBytes(),
                    Math.max(contract.masks().maxMessageBytes(), contract.events().maxMessageBytes()));
            consumerConfig.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, largest);
            consumerConfig.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Math.max(largest, 50 << 20));
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
        public int frameRecordLimit() {
            return contract.frames().maxMessageBytes();
        }

        @Override
        public void send(FrameMessage frame) {
            producer.send(frame);
        }

        @Override
        public void send(AudioChunkMessage chunk) {
            producer.send(chunk);
        }

        @Override
        public void flush() {
            producer.flush();
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
                producer.close();
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }
    }
}
