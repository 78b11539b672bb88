package io.avisstream.avis.topology.runtime;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/** Which Kafka cluster the service uses ({@code kafka.*}). */
@ConfigMapping(prefix = "kafka")
public interface KafkaClusterConfig {

    /**
     * Bootstrap servers of an external cluster (e.g. {@code broker-0:9092,broker-1:9092}). When absent, the service
     * starts an in-process single-node KRaft broker ({@code avis.broker.*}) and uses it.
     */
    @WithName("bootstrap.servers")
    Optional<String> bootstrapServers();
}
