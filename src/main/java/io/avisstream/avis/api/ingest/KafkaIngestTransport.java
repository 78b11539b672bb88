package io.avisstream.avis.api.ingest;

import io.avisstream.avis.ingest.IngestTransport;
import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.runtime.KafkaClientProperties;
import io.avisstream.avis.topology.runtime.KafkaClusterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

/**
 * {@code ingest}'s Kafka side: one idempotent producer for the frames and audio topics, sized from the topic
 * contract ({@code max.request.size} = the larger {@code max.message.bytes} of the two), and a group-less consumer
 * (assign, no group id) that reads the stream's last frame back so a new run continues its seq and pts. Never a
 * Kafka Streams instance, never a member of any consumer group.
 */
@ApplicationScoped
public class KafkaIngestTransport implements IngestTransport {

    private static final Logger LOG = Logger.getLogger(KafkaIngestTransport.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    /** How far back the last frame of a stream is looked for (records of its partition, all streams). */
    private static final int LOOK_BACK_RECORDS = 512;

    @Inject
    TopicContract contract;
    @Inject
    KafkaClusterConfig cluster;
    @Inject
    KafkaClientProperties clients;

    /** The cluster to use: the option, else {@code kafka.bootstrap.servers}; a usage error when neither is set. */
    public static String bootstrap(Optional<String> option, KafkaClusterConfig cluster, String command) {
        return option.or(cluster::bootstrapServers).orElseThrow(() -> new IllegalArgumentException(command
                + " needs a Kafka cluster: --bootstrap HOST:PORT or -Dkafka.bootstrap.servers=HOST:PORT"
                + " (serve logs the address of its in-process broker; -Davis.broker.port fixes it)"));
    }

    /** Fails with one sentence unless every topic exists on the cluster (checked with an admin client). */
    public static Map<String, TopicDescription> requireTopics(Map<String, Object> client, List<String> topics) {
        String bootstrap = String.valueOf(client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        Map<String, Object> config = new HashMap<>(client);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CONNECT_TIMEOUT.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CONNECT_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            return admin.describeTopics(topics).allTopicNames().get(CONNECT_TIMEOUT.toMillis() + 1000,
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("the topics " + String.join(", ", topics) + " do not all exist on "
                        + bootstrap + ": start serve against this cluster, or create them with topics --apply");
            }
            throw new IllegalStateException("cannot reach Kafka at " + bootstrap + ": " + e.getCause().getMessage());
        } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrap + " within "
                    + CONNECT_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + bootstrap);
        }
    }

    @Override
    public Sink open(Optional<String> bootstrapOption, String streamId) {
        Map<String, Object> client = clients.forBootstrap(bootstrap(bootstrapOption, cluster, "ingest"));
        Map<String, TopicDescription> topics = requireTopics(client,
                List.of(contract.frames().name(), contract.audio().name()));
        int partitions = topics.get(contract.frames().name()).partitions().size();
        return new KafkaSink(client, contract, streamId, partitions);
    }

    /** Producer settings every client that writes frames needs: limits from the contract, idempotence. */
    public static Map<String, Object> producerConfig(Map<String, Object> client, TopicContract contract,
            String clientId) {
        int largest = Math.max(contract.frames().maxMessageBytes(), contract.audio().maxMessageBytes());
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Any record the contract accepts must be sendable: the request limit follows the topics' limit.
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, largest);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(32L << 20, 4L * largest));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    static final class KafkaSink implements Sink {
        private final Map<String, Object> client;
        private final String bootstrap;
        private final TopicContract contract;
        private final String streamId;
        private final int framePartitions;
        private final StreamProducer producer;

        KafkaSink(Map<String, Object> client, TopicContract contract, String streamId, int framePartitions) {
            this.client = client;
            this.bootstrap = String.valueOf(client.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
            this.contract = contract;
            this.streamId = streamId;
            this.framePartitions = framePartitions;
            this.producer = new StreamProducer(client, contract, streamId, "avis-ingest-" + streamId, 64);
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
        public Optional<LastFrame> lastFrame() {
            // The partition the default partitioner gives the key (the producer and Kafka Streams agree on it).
            int partition = Utils.toPositive(Utils.murmur2(streamId.getBytes(StandardCharsets.UTF_8))) % framePartitions;
            TopicPartition tp = new TopicPartition(contract.frames().name(), partition);
            Map<String, Object> config = new HashMap<>(client);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, contract.frames().maxMessageBytes());
            config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, contract.frames().maxMessageBytes());
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "avis-ingest-lookup-" + streamId);
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer.assign(List.of(tp));
                long end = consumer.endOffsets(List.of(tp)).get(tp);
                long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
                long from = Math.max(begin, end - LOOK_BACK_RECORDS);
                consumer.seek(tp, from);
                ConsumerRecord<String, byte[]> newest = null;
                long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
                while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (streamId.equals(r.key()) && r.value() != null) {
                            newest = r;
                        }
                    }
                }
                if (newest == null) {
                    return Optional.empty();
                }
                FrameMessage frame = contract.frames().valueSerde().deserializer().deserialize(newest.topic(),
                        newest.value());
                return Optional.of(new LastFrame(frame.seq(), frame.ptsMicros()));
            } catch (RuntimeException e) {
                LOG.warnf("ingest: could not read the last frame of stream %s (%s): starting at seq 0", streamId,
                        e.getMessage());
                return Optional.empty();
            }
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
        public void close() {
            producer.close();
        }
    }
}
