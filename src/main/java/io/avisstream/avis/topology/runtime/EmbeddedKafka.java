package io.avisstream.avis.topology.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.jboss.logging.Logger;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker + controller, one node), started in this JVM from
 * the Maven Central jars: what the service uses when no {@code kafka.bootstrap.servers} is configured, and what
 * the integration tests run against. Single node, so every replication factor and min ISR is 1 (including the
 * transaction state log that exactly-once needs).
 *
 * <p>Not thread-safe: start and close from one thread. {@link #close()} is idempotent and deletes the data
 * directory when it was a temporary one.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class);
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;

    private final Path dataDir;
    private final boolean temporary;
    private final int port;
    private final int controllerPort;
    private final ClientListener listener;
    private KafkaRaftServer server;

    private EmbeddedKafka(Path dataDir, boolean temporary, int port, int controllerPort, ClientListener listener) {
        this.listener = listener;
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * Formats (if needed) and starts a broker.
     *
     * @param port client port; 0 picks a free one
     * @param dataDir where logs live; null = a temporary directory removed on close
     * @param extraConfig broker settings that override the defaults here
     */
    public static EmbeddedKafka start(int port, Path dataDir, Map<String, String> extraConfig) {
        return start(port, dataDir, extraConfig, ClientListener.PLAINTEXT);
    }

    /**
     * The client listener of the broker: its security protocol (also the inter-broker one), SCRAM credentials written
     * into the cluster's bootstrap metadata when the log directory is formatted (so the broker, and an admin that
     * creates further users, can authenticate from the first second), and the client settings the broker's own
     * readiness check connects with. TLS, SASL and authorizer settings go into the broker configuration.
     *
     * @param securityProtocol {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}
     * @param scramCredentials e.g. {@code SCRAM-SHA-512=[name=admin,password=...]} (kafka-storage format syntax)
     * @param clientConfig security settings of a client that may describe the cluster
     */
    public record ClientListener(String securityProtocol, List<String> scramCredentials, Map<String, Object> clientConfig) {
        public static final ClientListener PLAINTEXT = new ClientListener("PLAINTEXT", List.of(), Map.of());

        public ClientListener {
            scramCredentials = List.copyOf(scramCredentials);
            clientConfig = Map.copyOf(clientConfig);
        }
    }

    /** As {@link #start(int, Path, Map)}, with a secured client listener (tests of the service's Kafka security). */
    public static EmbeddedKafka start(int port, Path dataDir, Map<String, String> extraConfig, ClientListener listener) {
        try {
            boolean temporary = dataDir == null;
            Path dir = temporary ? Files.createTempDirectory("avis-kafka-") : Files.createDirectories(dataDir);
            int clientPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            EmbeddedKafka kafka = new EmbeddedKafka(dir, temporary, clientPort, controllerPort, listener);
            kafka.startServer(extraConfig);
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the in-process Kafka broker", e);
        }
    }

    /** Starts a broker on a free port with a temporary data directory (tests). */
    public static EmbeddedKafka startTemporary() {
        return start(0, null, Map.of());
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    private void startServer(Map<String, String> extraConfig) {
        long t0 = System.nanoTime();
        Path logDir = dataDir.resolve("kraft");
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        String client = listener.securityProtocol();
        props.put("listeners", client + "://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", client + "://" + HOST + ":" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", client);
        props.put("listener.security.protocol.map", client + ":" + client + ",CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "false");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // A killed instance's open transaction holds back its partitions' committed offsets (and read_committed
        // readers) until the broker aborts it: the transaction timeout (10 s under Streams' exactly-once) plus up to
        // this interval (10 s by default), which added up to 8 s to a failover (FailoverProcessIT).
        props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        // Frames are large: the broker must accept what topics.yaml allows (8 MiB).
        props.put("message.max.bytes", "8388608");
        props.put("replica.fetch.max.bytes", "8388608");
        props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        props.putAll(extraConfig);
        KafkaConfig config = new KafkaConfig(props, false);
        // A persistent data directory is formatted once; later starts reuse its cluster id and logs.
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(logDir, listener.scramCredentials());
        }
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        awaitReady();
        LOG.infof("In-process Kafka broker (KRaft) started: bootstrap=%s dataDir=%s temporary=%s startMs=%d",
                bootstrapServers(), dataDir, temporary, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private static void format(Path logDir, List<String> scramCredentials) {
        try {
            new Formatter()
                    .setScramArguments(scramCredentials)
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName("CONTROLLER")
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the in-process Kafka log directory " + logDir, e);
        }
    }

    /** Waits until the broker answers metadata requests (bounded). */
    private void awaitReady() {
        Map<String, Object> adminConfig = new java.util.HashMap<>(listener.clientConfig());
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Admin admin = Admin.create(adminConfig)) {
                admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                // A SASL listener can answer before the SCRAM credentials of the bootstrap metadata are replayed: the
                // first logins then fail as "invalid credentials". Retry those (bounded); anything else is final.
                if (e.getCause() instanceof SaslAuthenticationException && System.nanoTime() < deadline) {
                    sleepQuietly(250);
                    continue;
                }
                close();
                throw new IllegalStateException("the in-process Kafka broker did not become ready on " + bootstrapServers(), e);
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (server != null) {
            KafkaRaftServer s = server;
            server = null;
            s.shutdown();
            s.awaitShutdown();
            LOG.infof("In-process Kafka broker stopped: bootstrap=%s", bootstrapServers());
        }
        if (temporary) {
            deleteRecursively(dataDir);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("could not delete %s: %s", dir, e.getMessage());
        }
    }
}
