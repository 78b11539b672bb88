package io.avisstream.avis.topology.runtime;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The in-process KRaft broker, used only when {@code kafka.bootstrap.servers} is not set ({@code avis.broker.*}). */
@ConfigMapping(prefix = "avis.broker")
public interface BrokerConfig {

    /** Client port of the in-process broker; 0 picks a free port (logged at start). */
    @WithDefault("0")
    int port();

    /**
     * Directory of the in-process broker's logs. When absent, a temporary directory is used and deleted at
     * shutdown (topics and state start empty on every run).
     */
    Optional<Path> dataDir();
}
