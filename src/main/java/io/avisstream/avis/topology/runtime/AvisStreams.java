package io.avisstream.avis.topology.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.avisstream.avis.dlq.DeadLetterDeserializationHandler;
import io.avisstream.avis.dlq.SkipFailedSendHandler;
import io.avisstream.avis.engine.Engine;
import io.avisstream.avis.engine.EngineInfo;
import io.avisstream.avis.engine.FallbackEngine;
import io.avisstream.avis.events.EventsConfig;
import io.avisstream.avis.topology.AvisTopology;
import io.avisstream.avis.topology.InferenceConfig;
import io.avisstream.avis.topology.JoinConfig;
import io.avisstream.avis.topology.PipelineObserver;
import io.avisstream.avis.topology.TopologySettings;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.tracking.TrackingConfig;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Owns the service's Kafka lifecycle, in this order: (1) the in-process KRaft broker when no
 * {@code kafka.bootstrap.servers} is set, (2) the contract's topics, (3) Kafka Streams running the topology.
 *
 * <p>The commands that need the pipeline ({@code serve}, {@code demo}) call {@link #start()}; no other command
 * starts a broker or the topology. Shutdown (ShutdownEvent) closes Kafka Streams (its threads joined), then the
 * broker; the engine bean is disposed after that by CDI, and ONNX Runtime's environment is released last
 * ({@code OrtEnvironmentLease}: ORT's own shutdown hook can no longer free it under a running inference). (Why the
 * Quarkus Kafka Streams extension does not run this lifecycle: README, "Lifecycle and guarantees".)
 */
@ApplicationScoped
public class AvisStreams {
    private static final Logger LOG = Logger.getLogger(AvisStreams.class);

    @Inject
    Engine engine;
    @Inject
    KafkaClusterConfig cluster;
    @Inject
    BrokerConfig broker;
    @Inject
    StreamsRuntimeConfig runtime;
    @Inject
    JoinConfig join;
    @Inject
    InferenceConfig inference;
    @Inject
    TrackingConfig tracking;
    @Inject
    EventsConfig events;
    @Inject
    Config config;
    @Inject
    TopicContract contract;
    /** Metrics, dashboard: whoever watches the processors (none in a build without them). */
    @Inject
    @Any
    Instance<PipelineObserver> observers;
    @Inject
    KafkaClientProperties clients;

    private final List<Consumer<KafkaStreams.State>> stateListeners = new CopyOnWriteArrayList<>();
    private EmbeddedKafka embedded;
    private KafkaStreams streams;
    private PipelineObserver observer = PipelineObserver.NONE;
    private String bootstrapServers;
    private volatile KafkaAccessException accessFailure;

    /** Starts broker (if needed), topics and topology; idempotent. Returns the bootstrap servers in use. */
    public synchronized String start() {
        if (streams != null) {
            return bootstrapServers;
        }
        TopologySettings settings = TopologySettings.from(join, inference, tracking, events);
        EngineInfo info = engine.info();
        if (FallbackEngine.NAME.equals(info.name())) {
            LOG.warnf("Engine active: %s (no inference engine is installed: every frame gets a masks record without"
                    + " instances)", info.name());
        } else {
            LOG.infof("Engine active: name=%s provider=%s model=%s window=%d", info.name(), info.executionProvider(),
                    info.modelId(), info.windowFrames());
        }
        if (cluster.bootstrapServers().isPresent()) {
            bootstrapServers = cluster.bootstrapServers().get();
            LOG.infof("Using Kafka cluster bootstrap=%s %s", bootstrapServers, clients.describe());
        } else if (clients.secured()) {
            throw new IllegalArgumentException("kafka.security.protocol=" + cluster.securityProtocol() + " needs"
                    + " kafka.bootstrap.servers: the in-process broker listens in PLAINTEXT on 127.0.0.1 only");
        } else {
            LOG.info("No kafka.bootstrap.servers configured: starting the in-process KRaft broker");
            // The broker takes any record the contract allows (its default is the contract's 8 MiB).
            String largest = Integer.toString(contract.largestRecordBytes());
            embedded = EmbeddedKafka.start(broker.port(), broker.dataDir().orElse(null),
                    java.util.Map.of("message.max.bytes", largest, "replica.fetch.max.bytes", largest));
            bootstrapServers = embedded.bootstrapServers();
        }
        TopicAdmin.ensure(clients.forBootstrap(bootstrapServers), contract, runtime.createTopics());

        PipelineObserver observer = PipelineObserver.of(observers.stream().toList());
        Topology topology = AvisTopology.build(observer.engine(engine), settings, contract, join.changelogRetention(),
                observer);
        LOG.debugf("Topology:%n%s", topology.describe());
        Properties props = streamsProperties(bootstrapServers);
        streams = new KafkaStreams(topology, props);
        observer.streamsCreated(streams);
        this.observer = observer;
        streams.setUncaughtExceptionHandler(e -> {
            // A processing error is a bug or an engine failure, never bad input (that goes to the DLQ): stop this
            // instance rather than loop on the same record; exactly-once keeps the outputs clean.
            java.util.Optional<KafkaAccessException> access = KafkaAccessException.of(e, bootstrapServers,
                    clients.describe());
            if (access.isPresent()) {
                // Refused credentials or a missing ACL: one line, no stack trace, no retry.
                accessFailure = access.get();
                LOG.error(access.get().getMessage());
            } else {
                LOG.errorf(e, "Kafka Streams thread failed: shutting down this instance");
            }
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((next, previous) -> {
            LOG.infof("Kafka Streams state %s -> %s", previous, next);
            stateListeners.forEach(l -> l.accept(next));
        });
        streams.start();
        awaitRunning(runtime.startupTimeout());
        LOG.infof("avis-stream topology running: application.id=%s bootstrap=%s guarantee=%s instance=%s",
                runtime.applicationId(), bootstrapServers, runtime.processingGuarantee(),
                props.getProperty(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), "(dynamic)"));
        return bootstrapServers;
    }

    /**
     * The Kafka Streams configuration of this instance on {@code bootstrapServers}: the {@code avis.topology.*} keys,
     * the dead-letter handler with the contract's dead-letter topic, then every {@code kafka-streams.*} pass-through.
     */
    public Properties streamsProperties(String bootstrapServers) {
        Properties props = coreProperties(runtime.applicationId(), bootstrapServers, runtime.processingGuarantee(),
                contract);
        // TLS / SASL of every client Streams creates (and of the dead-letter producer, which copies them from here).
        props.putAll(clients.forBootstrap(bootstrapServers));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(runtime.streamThreads()));
        stateDir().ifPresent(dir -> props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString()));
        staticMemberId(runtime.instanceId(), System.getenv("HOSTNAME"))
                .ifPresent(id -> props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("kafka-streams.")) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(v -> props.put(name.substring("kafka-streams.".length()), v));
            }
        }
        return props;
    }

    /**
     * The settings every instance of the topology needs whatever its configuration (tests that run the topology
     * without CDI use them too): ids, guarantee, the dead-letter and production handlers, and a producer request
     * size that holds the largest record the topology writes (a frame in the join changelog, a dead letter).
     */
    public static Properties coreProperties(String applicationId, String bootstrapServers, String guarantee,
            TopicContract contract) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipFailedSendHandler.class);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        props.put(DeadLetterDeserializationHandler.DLQ_TOPIC_CONFIG, contract.dlq().name());
        props.put(DeadLetterDeserializationHandler.DLQ_MAX_BYTES_CONFIG, Integer.toString(contract.dlq().maxMessageBytes()));
        // Frames (and their dead letters and changelog entries) may be as large as the frames topic allows.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Integer.toString(contract.largestRecordBytes()));
        // ... and every consumer of Streams (main, restore, global) must be able to fetch them.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
                Integer.toString(contract.largestRecordBytes()));
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG),
                Integer.toString(Math.max(contract.largestRecordBytes(), 50 << 20)));
        return props;
    }

    /**
     * The static membership id: the configured one ({@code none} = no static membership), else {@code HOSTNAME}
     * (the pod name in Kubernetes), else this machine's host name.
     */
    static Optional<String> staticMemberId(Optional<String> configured, String hostnameEnv) {
        if (configured.isPresent()) {
            String id = configured.get().trim();
            return id.isEmpty() || id.equals("none") ? Optional.empty() : Optional.of(id);
        }
        if (hostnameEnv != null && !hostnameEnv.isBlank()) {
            return Optional.of(hostnameEnv.trim());
        }
        try {
            return Optional.of(java.net.InetAddress.getLocalHost().getHostName());
        } catch (java.io.IOException e) {
            return Optional.of("avis-single");
        }
    }

    /**
     * The configured state directory; with the in-process broker and none configured, a directory inside the broker's
     * data directory: local state must never outlive the changelogs it mirrors (a temporary broker starts empty, and
     * stale local state of a previous broker would otherwise be taken for this one's).
     */
    public synchronized Optional<java.nio.file.Path> stateDir() {
        if (runtime.stateDir().isPresent()) {
            return runtime.stateDir();
        }
        return embedded == null ? Optional.empty() : Optional.of(embedded.dataDir().resolve("streams-state"));
    }

    private void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.RUNNING) {
                return;
            }
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
                    || state == KafkaStreams.State.PENDING_ERROR) {
                if (accessFailure != null) {
                    throw accessFailure;
                }
                throw new IllegalStateException("Kafka Streams stopped during start-up: " + state);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka Streams", e);
            }
        }
        throw new IllegalStateException("Kafka Streams not RUNNING after " + timeout + " (avis.topology.startup-timeout)");
    }

    /** Called on every Kafka Streams state change (e.g. the serve command exits when it reaches ERROR). */
    public void onStateChange(Consumer<KafkaStreams.State> listener) {
        stateListeners.add(listener);
    }

    public synchronized Optional<KafkaStreams> kafkaStreams() {
        return Optional.ofNullable(streams);
    }

    /** Data directory of the in-process broker, when this instance started one. */
    public synchronized Optional<java.nio.file.Path> brokerDataDir() {
        return embedded == null ? Optional.empty() : Optional.of(embedded.dataDir());
    }

    /** Bootstrap servers in use; empty before {@link #start()}. */
    public synchronized Optional<String> bootstrapServers() {
        return Optional.ofNullable(bootstrapServers);
    }

    /** The topic contract this instance runs (the injected one). */
    public TopicContract contract() {
        return contract;
    }

    void onStop(@Observes ShutdownEvent event) {
        close();
    }

    public synchronized void close() {
        if (streams != null) {
            observer.streamsClosing(streams);
            // Leave the group (a static member is removed too), so the partitions move or come back at once
            // instead of after the session timeout.
            long t0 = System.nanoTime();
            boolean closed = streams.close(new KafkaStreams.CloseOptions().leaveGroup(true)
                    .timeout(runtime.shutdownTimeout()));
            if (closed) {
                // The engine (disposed by CDI after this observer returns) and ONNX Runtime are closed after this line:
                // no stream thread can be inside an inference any more.
                LOG.infof("Kafka Streams closed, stream threads joined (%d ms)", (System.nanoTime() - t0) / 1_000_000);
            } else {
                LOG.errorf("Kafka Streams not closed within %s (avis.topology.shutdown-timeout): a stream thread may"
                        + " still be inside an inference; the engine waits for it before closing a graph, and leaves"
                        + " ONNX Runtime open if it does not end", runtime.shutdownTimeout());
            }
            streams = null;
        }
        DeadLetterDeserializationHandler.closeProducers();
        if (embedded != null) {
            embedded.close();
            embedded = null;
        }
    }
}
