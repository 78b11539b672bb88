package io.avisstream.avis.topology.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How the Kafka Streams runtime is set up ({@code avis.topology.*}). Any other Kafka Streams setting can be
 * passed through as {@code kafka-streams.<streams key>} (e.g. {@code kafka-streams.commit.interval.ms}).
 */
@ConfigMapping(prefix = "avis.topology")
public interface StreamsRuntimeConfig {

    /** Kafka Streams {@code application.id}: consumer group, and prefix of internal topics (changelogs). */
    @WithDefault("avis-stream")
    String applicationId();

    /** A topic contract file to use instead of the bundled {@code topology/topics.yaml}. */
    Optional<Path> topicsFile();

    /**
     * {@code retention.ms} of the frames and audio topics when the service creates them (raw images and sound: keep
     * them short). Absent: the contract's value ({@code topics.yaml}: 1 h). Existing topics are not altered.
     */
    Optional<java.time.Duration> inputRetention();

    /** Create the contract's missing topics at start (AdminClient). */
    @WithDefault("true")
    boolean createTopics();

    /** Kafka Streams {@code processing.guarantee}: {@code exactly_once_v2} or {@code at_least_once}. */
    @WithDefault("exactly_once_v2")
    String processingGuarantee();

    /** Stream threads in this instance ({@code num.stream.threads}); threads share the engine. */
    @WithDefault("1")
    int streamThreads();

    /**
     * Kafka Streams state directory (RocksDB stores). Absent: inside the in-process broker's data directory (so local
     * state never outlives the changelogs it mirrors), or {@code ${java.io.tmpdir}/kafka-streams} with an external
     * cluster.
     */
    Optional<Path> stateDir();

    /** Longest wait for the topology to reach RUNNING at start before the service gives up. */
    @WithDefault("120s")
    Duration startupTimeout();
}
