package io.avisstream.avis.api;

import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.avisstream.avis.AvisCommand;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.contract.TopicSpec;
import io.avisstream.avis.topology.runtime.KafkaAccessException;
import io.avisstream.avis.topology.runtime.KafkaClientProperties;
import io.avisstream.avis.topology.runtime.KafkaClusterConfig;
import io.avisstream.avis.topology.runtime.TopicAdmin;

/**
 * {@code topics [--apply]}: prints the topic contract as a table; with {@code --apply}, creates the missing
 * topics on the cluster of {@code kafka.bootstrap.servers} and reports what exists.
 */
@ApplicationScoped
public class TopicsCommand implements AvisCommand {
    private static final Logger LOG = Logger.getLogger(TopicsCommand.class);

    @Inject
    KafkaClusterConfig cluster;
    @Inject
    TopicContract contract;
    @Inject
    KafkaClientProperties clients;

    @Override
    public String name() {
        return "topics";
    }

    @Override
    public String description() {
        return "print the topic contract (topology/topics.yaml); --apply creates missing topics on kafka.bootstrap.servers";
    }

    @Override
    public String usage() {
        return """
                usage: topics [--apply]
                  --apply   create the missing topics on kafka.bootstrap.servers and report what exists
                exit codes: 0 done, 2 --apply without kafka.bootstrap.servers, 64 usage""";
    }

    @Override
    public int run(String... args) {
        List<String> argList = Arrays.asList(args);
        for (String arg : argList) {
            if (!arg.equals("--apply")) {
                throw new IllegalArgumentException("unknown option " + arg + " (topics --help lists them)");
            }
        }
        boolean apply = argList.contains("--apply");
        if (!apply) {
            System.out.print(table(contract.all(), null));
            return 0;
        }
        if (cluster.bootstrapServers().isEmpty()) {
            LOG.error("topics --apply needs kafka.bootstrap.servers (e.g. -Dkafka.bootstrap.servers=host:9092);"
                    + " the in-process broker creates its topics itself when serving");
            return 2;
        }
        List<TopicAdmin.Outcome> outcomes;
        try {
            outcomes = TopicAdmin.ensure(clients.forBootstrap(cluster.bootstrapServers().get()), contract, true);
        } catch (KafkaAccessException e) {
            LOG.error(e.getMessage());
            return KafkaAccessException.EXIT_CODE;
        }
        System.out.print(table(contract.all(), outcomes));
        return 0;
    }

    static String table(List<TopicSpec> specs, List<TopicAdmin.Outcome> outcomes) {
        StringBuilder s = new StringBuilder();
        String format = "%-16s %10s %4s %-8s %14s %12s  %-28s %s%n";
        s.append(String.format(format, "topic", "partitions", "rf", "cleanup", "retention.ms", "max.bytes", "value schema",
                outcomes == null ? "" : "status"));
        for (TopicSpec t : specs) {
            String status = outcomes == null ? "" : outcomes.stream().filter(o -> o.spec().name().equals(t.name()))
                    .map(TopicAdmin.Outcome::status).findFirst().orElse("");
            s.append(String.format(format, t.name(), t.partitions(), t.replicationFactor() < 0 ? "dflt" : t.replicationFactor(),
                    t.configs().getOrDefault("cleanup.policy", "delete"), t.configs().getOrDefault("retention.ms", "-"),
                    t.configs().getOrDefault("max.message.bytes", "-"), t.valueSchema().orElse("(raw bytes)"), status));
        }
        return s.toString();
    }
}
