package io.avisstream.avis.api;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.avisstream.avis.AvisCommand;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.runtime.BrokerConfig;
import io.avisstream.avis.topology.runtime.EmbeddedKafka;
import io.avisstream.avis.topology.runtime.TopicAdmin;
import io.quarkus.runtime.Quarkus;

/**
 * {@code broker}: only the in-process KRaft broker (no topology), on {@code avis.broker.port} (9092 when 0) and
 * {@code avis.broker.data-dir}, with the contract's topics created; runs until stopped. A broker in its own process
 * is what lets {@code serve} be killed and restarted against a cluster that stays up (a local stand-in for a real
 * cluster: {@code serve -Dkafka.bootstrap.servers=127.0.0.1:9092}).
 */
@ApplicationScoped
public class BrokerCommand implements AvisCommand {
    private static final Logger LOG = Logger.getLogger(BrokerCommand.class);
    static final int DEFAULT_PORT = 9092;

    @Inject
    BrokerConfig broker;
    @Inject
    TopicContract contract;

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public String description() {
        return "run only the in-process Kafka broker (avis.broker.port, default 9092; avis.broker.data-dir) until stopped";
    }

    @Override
    public int run(String... args) {
        if (args.length > 0) {
            throw new IllegalArgumentException("broker takes no arguments (use -Davis.broker.port / -Davis.broker.data-dir)");
        }
        int port = broker.port() == 0 ? DEFAULT_PORT : broker.port();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(port, broker.dataDir().orElse(null), Map.of())) {
            TopicAdmin.ensure(kafka.bootstrapServers(), contract, true);
            LOG.infof("Broker ready: bootstrap=%s dataDir=%s. Stop with Ctrl-C.", kafka.bootstrapServers(), kafka.dataDir());
            Quarkus.waitForExit();
        }
        return 0;
    }
}
