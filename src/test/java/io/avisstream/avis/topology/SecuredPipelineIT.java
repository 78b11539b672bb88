package io.avisstream.avis.topology;

import static io.avisstream.avis.topology.TestStreams.chunk;
import static io.avisstream.avis.topology.TestStreams.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.avisstream.avis.dlq.DeadLetters;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.runtime.AvisStreams;
import io.avisstream.avis.topology.runtime.KafkaAccessException;
import io.avisstream.avis.topology.runtime.KafkaClientProperties;
import io.avisstream.avis.topology.runtime.KafkaClusterConfig;
import io.avisstream.avis.topology.runtime.SecuredKafka;
import io.avisstream.avis.topology.runtime.ServiceAcls;
import io.avisstream.avis.topology.runtime.TestKafkaClients;
import io.avisstream.avis.topology.runtime.TopicAdmin;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The service on a secured, authorizer-enabled broker: SASL_SSL (SCRAM-SHA-512, TLS with a CA made for the test), the
 * service's principal {@code User:avis} holding exactly {@link ServiceAcls#required} and nothing else, its password
 * read from a file through Kafka's FileConfigProvider. Frames go through end to end, bad input reaches the
 * dead-letter topic without its bytes in the headers, no secret appears in the log (with Kafka's client config dumps
 * at INFO), and wrong credentials or a principal without ACLs fail at once with one clear error.
 */
@QuarkusTest
@TestProfile(SecuredPipelineIT.Secured.class)
class SecuredPipelineIT {
    private static final TopicContract CONTRACT = TopicContract.bundled();
    private static final String STREAM = "cam-s";
    private static final int FRAMES = 60;
    /** 3.4 s of audio: covers the last frame's window (2.36 s + 0.975 s). */
    private static final int CHUNKS = 34;

    @Inject
    AvisStreams streams;
    @Inject
    KafkaClusterConfig cluster;
    @ConfigProperty(name = "avis-test.admin-password")
    String adminPassword;
    @ConfigProperty(name = "avis-test.service-password")
    String servicePassword;
    @ConfigProperty(name = "avis-test.dir")
    Path dir;

    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            log.add(record.getLoggerName() + " " + message);
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                log.add(String.valueOf(t));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        java.util.logging.Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        java.util.logging.Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void shouldRunThePipelineOnASecuredBrokerWithExactlyTheListedAclsAndNoSecretInTheLog() throws Exception {
        // Given the service started as User:avis (password from a file, never in configuration)
        String bootstrap = streams.start();
        Map<String, Object> admin = adminClient(bootstrap);
        String wrongSizeData = Base64.getEncoder().encodeToString("SECRET-FRAME-BYTES-0123456789".getBytes(StandardCharsets.UTF_8));
        String wrongSize = "{\"streamId\":\"bad\",\"seq\":0,\"ptsMicros\":0,\"width\":32,\"height\":24,"
                + "\"encoding\":\"rgb24\",\"data\":\"" + wrongSizeData + "\"}";

        // When one stream is produced (as the superuser: producers are not the service), plus two bad frames
        Map<String, Object> producerConfig = new HashMap<>(admin);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new ByteArraySerializer())) {
            int seq = 0;
            for (int step = 0; step < CHUNKS; step++) {
                producer.send(new ProducerRecord<>(CONTRACT.audio().name(), STREAM, MessageCodec.AUDIO.encode(chunk(STREAM, step, true))));
                while (seq < FRAMES && seq * TestStreams.FRAME_MICROS < (step + 1) * TestStreams.CHUNK_MICROS) {
                    producer.send(new ProducerRecord<>(CONTRACT.frames().name(), STREAM, MessageCodec.FRAMES.encode(frame(STREAM, seq++))));
                }
            }
            producer.send(new ProducerRecord<>(CONTRACT.frames().name(), "bad", wrongSize.getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(CONTRACT.frames().name(), "bad", ("{\"streamId\":\"bad\",\"seq\":-5,\"data\":\""
                    + wrongSizeData + "\"}").getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }

        // Then every frame has its masks record, and both bad frames are dead letters
        List<Long> seqs = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();
        Map<String, Object> consumerConfig = new HashMap<>(admin);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "secured-pipeline-it");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(Set.of(CONTRACT.masks().name(), CONTRACT.dlq().name()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while ((seqs.size() < FRAMES || deadLetters.size() < 2) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    if (r.topic().equals(CONTRACT.dlq().name())) {
                        deadLetters.add(r);
                    } else {
                        MasksMessage m = MessageCodec.MASKS.decode(r.value());
                        seqs.add(m.seq());
                    }
                }
            }
        }
        assertThat(seqs).containsExactlyElementsOf(java.util.stream.LongStream.range(0, FRAMES).boxed().toList());
        assertThat(deadLetters).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.REASON))
                .containsExactlyInAnyOrder("WRONG_SIZE", "SCHEMA_VIOLATION");
        // And no frame bytes in any dead-letter header (the value keeps the original bytes, by design)
        for (ConsumerRecord<String, byte[]> r : deadLetters) {
            for (Header h : r.headers()) {
                String value = h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
                assertThat(value).as(h.key()).doesNotContain(wrongSizeData).doesNotContain("SECRET-FRAME-BYTES");
            }
        }

        // And Kafka printed its client configurations (INFO here) with the secrets hidden, and nothing else leaked them
        String text = String.join("\n", log);
        assertThat(text).contains("sasl.jaas.config = [hidden]", "ssl.truststore.password = [hidden]");
        assertThat(text).doesNotContain(servicePassword).doesNotContain(adminPassword)
                .doesNotContain(cluster.sslTruststorePassword().orElseThrow());
        // And no frame bytes in the log either
        assertThat(text).doesNotContain(wrongSizeData);

        // And raw frames and audio are kept only as configured: input topics 20 min here, join buffers' changelogs 10 min
        try (var adminClient = org.apache.kafka.clients.admin.Admin.create(admin)) {
            var frames = new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC,
                    CONTRACT.frames().name());
            var buffer = new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC,
                    "avis-stream-" + TopologyNames.JOIN_FRAMES_STORE + "-changelog");
            var configs = adminClient.describeConfigs(List.of(frames, buffer)).all().get(30, TimeUnit.SECONDS);
            assertThat(configs.get(frames).get("retention.ms").value()).isEqualTo("1200000");
            assertThat(configs.get(buffer).get("retention.ms").value()).isEqualTo("600000");
            assertThat(configs.get(buffer).get("cleanup.policy").value()).isEqualTo("compact,delete");
        }
    }

    @Test
    void shouldFailOnceAndClearlyWithWrongCredentials() {
        // Given the service's settings with a wrong password
        KafkaClientProperties clients = TestKafkaClients.of(serviceConfig("avis", "not-the-password-4711"));
        String bootstrap = cluster.bootstrapServers().orElseThrow();

        // When / Then: refused at the first request, no retry loop, one message naming the failure and not the secret
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> TopicAdmin.ensure(clients.forBootstrap(bootstrap), CONTRACT, true))
                .isInstanceOf(KafkaAccessException.class)
                .hasMessageContaining("Kafka authentication failed: bootstrap=" + bootstrap
                        + " security.protocol=SASL_SSL sasl.mechanism=SCRAM-SHA-512")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-password-4711").doesNotContain("\n"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        assertThat(String.join("\n", log)).doesNotContain("not-the-password-4711");
    }

    @Test
    void shouldRefuseAPrincipalWithoutAcls() throws Exception {
        // Given a valid user that holds no ACL
        String password = SecuredKafka.secret();
        Map<String, String> config = serviceConfig("intruder", password);
        try (var admin = org.apache.kafka.clients.admin.Admin.create(adminClient(cluster.bootstrapServers().orElseThrow()))) {
            admin.alterUserScramCredentials(List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion("intruder",
                    new org.apache.kafka.clients.admin.ScramCredentialInfo(
                            org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 4096), password)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        TopicContract other = TopicContract.bundled();

        // When / Then: it sees no topic, and may create none
        assertThatThrownBy(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    TopicAdmin.ensure(TestKafkaClients.of(config).forBootstrap(cluster.bootstrapServers().orElseThrow()),
                            other, true);
                } catch (KafkaAccessException e) {
                    if (!e.getMessage().contains("authentication") || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(200); // the new credential is not yet on the broker
                }
            }
        }).isInstanceOf(KafkaAccessException.class).hasMessageContaining("Kafka authorization failed");
    }

    /** The service's kafka.* block for another user (same broker, same truststore). */
    private Map<String, String> serviceConfig(String user, String password) {
        return Map.of("kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", SecuredKafka.MECHANISM,
                "kafka.sasl.jaas.config", SecuredKafka.jaas(user, password),
                "kafka.ssl.truststore.location", cluster.sslTruststoreLocation().orElseThrow(),
                "kafka.ssl.truststore.type", "PKCS12",
                "kafka.ssl.truststore.password", cluster.sslTruststorePassword().orElseThrow());
    }

    private Map<String, Object> adminClient(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap);
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", SecuredKafka.MECHANISM);
        config.put("sasl.jaas.config", SecuredKafka.jaas(SecuredKafka.ADMIN, adminPassword));
        config.put("ssl.truststore.location", cluster.sslTruststoreLocation().orElseThrow());
        config.put("ssl.truststore.type", "PKCS12");
        config.put("ssl.truststore.password", cluster.sslTruststorePassword().orElseThrow());
        return config;
    }

    /** The secured broker, the service's user with its ACLs, and the service's kafka.* block. */
    public static class Secured implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SecuredKafkaResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // Kafka's client config dumps at INFO, so the test sees what they print.
            return Map.of("quarkus.log.category.\"org.apache.kafka.common.config\".level", "INFO",
                    "avis.topology.input-retention", "20m");
        }
    }

    public static class SecuredKafkaResource implements QuarkusTestResourceLifecycleManager {
        private SecuredKafka kafka;

        @Override
        public Map<String, String> start() {
            kafka = SecuredKafka.start(true);
            String password = SecuredKafka.secret();
            kafka.createUser("avis", password);
            kafka.allow(ServiceAcls.required("User:avis", "avis-stream", TopicContract.bundled(), true));
            try {
                Path secret = kafka.dir().resolve("kafka-credentials.properties");
                Files.writeString(secret, "password=" + password + "\n");
                Map<String, String> config = new HashMap<>(kafka.serviceConfig("avis",
                        "$${file:" + secret + ":password}"));
                config.put("avis.topology.state-dir", kafka.dir().resolve("streams-state").toString());
                config.put("avis-test.service-password", password);
                config.put("avis-test.admin-password", adminPasswordOf(kafka));
                config.put("avis-test.dir", kafka.dir().toString());
                return config;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private static String adminPasswordOf(SecuredKafka kafka) {
            String jaas = String.valueOf(kafka.adminConfig().get("sasl.jaas.config"));
            return jaas.replaceAll(".*password=\"([^\"]*)\".*", "$1");
        }

        @Override
        public void stop() {
            if (kafka != null) {
                kafka.close();
            }
        }
    }
}
