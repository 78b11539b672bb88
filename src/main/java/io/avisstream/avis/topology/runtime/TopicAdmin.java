package io.avisstream.avis.topology.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.contract.TopicSpec;

/** Creates the contract's missing topics and checks the ones that exist. */
public final class TopicAdmin {
    private static final Logger LOG = Logger.getLogger(TopicAdmin.class);

    /** What happened to one topic. */
    public record Outcome(TopicSpec spec, String status, int actualPartitions) {
    }

    private TopicAdmin() {
    }

    /**
     * Plain connection to {@code bootstrapServers} (PLAINTEXT: the in-process broker of the tests). The service
     * connects with its security settings through {@link #ensure(Map, TopicContract, boolean)}.
     *
     * @param create false = only report
     * @throws IllegalStateException when frames and audio end up with different partition counts (the join needs
     *         them co-partitioned)
     */
    public static List<Outcome> ensure(String bootstrapServers, TopicContract contract, boolean create) {
        return ensure(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), contract, create);
    }

    /**
     * As {@link #ensure(String, TopicContract, boolean)}, with the admin client's connection settings (bootstrap servers
     * and security: {@link KafkaClientProperties#forBootstrap(String)}). The service's code calls this one.
     */
    public static List<Outcome> ensure(Map<String, Object> clientProperties, TopicContract contract, boolean create) {
        Map<String, Object> adminProps = new java.util.HashMap<>(clientProperties);
        adminProps.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        adminProps.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "avis-topic-admin");
        String bootstrapServers = String.valueOf(clientProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        try (Admin admin = Admin.create(adminProps)) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : contract.all()) {
                if (!existing.contains(spec.name())) {
                    missing.add(new NewTopic(spec.name(), Optional.of(spec.partitions()),
                            spec.replicationFactor() < 0 ? Optional.empty() : Optional.of(spec.replicationFactor()))
                            .configs(spec.configs()));
                }
            }
            if (create && !missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                LOG.infof("Created topics: %s", missing.stream().map(NewTopic::name).toList());
            }
            Set<String> missingNames = new java.util.HashSet<>(missing.stream().map(NewTopic::name).toList());
            List<String> present = contract.all().stream().map(TopicSpec::name)
                    .filter(n -> create || !missingNames.contains(n)).toList();
            Map<String, TopicDescription> described = present.isEmpty() ? Map.of() : describe(admin, present);
            List<Outcome> outcomes = new ArrayList<>();
            for (TopicSpec spec : contract.all()) {
                TopicDescription d = described.get(spec.name());
                int actual = d == null ? 0 : d.partitions().size();
                String status = missingNames.contains(spec.name()) ? (create ? "created" : "missing")
                        : actual == spec.partitions() ? "exists" : "exists, " + actual + " partitions";
                outcomes.add(new Outcome(spec, status, actual));
            }
            int frames = partitionsOf(outcomes, contract.frames().name());
            int audio = partitionsOf(outcomes, contract.audio().name());
            if (frames > 0 && audio > 0 && frames != audio) {
                throw new IllegalStateException("topics " + contract.frames().name() + " (" + frames + ") and "
                        + contract.audio().name() + " (" + audio + ") must have the same partition count: the audio-video"
                        + " join needs them co-partitioned");
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            KafkaAccessException.of(e, bootstrapServers, "security.protocol="
                    + clientProperties.getOrDefault(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
                    + (clientProperties.containsKey("sasl.mechanism") ? " sasl.mechanism=" + clientProperties.get("sasl.mechanism") : ""))
                    .ifPresent(access -> {
                        throw access;
                    });
            throw new IllegalStateException("cannot create or describe topics on " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    /**
     * Describes topics, waiting (bounded) for just-created ones: the broker acknowledges a creation before its
     * metadata cache knows the topic, so an immediate describe can answer UnknownTopicOrPartition.
     */
    private static Map<String, TopicDescription> describe(Admin admin, List<String> names)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.debugf("topics not yet visible in metadata, retrying: %s", e.getCause().getMessage());
                Thread.sleep(200);
            }
        }
    }

    private static int partitionsOf(List<Outcome> outcomes, String name) {
        return outcomes.stream().filter(o -> o.spec().name().equals(name)).mapToInt(Outcome::actualPartitions)
                .findFirst().orElse(0);
    }
}
