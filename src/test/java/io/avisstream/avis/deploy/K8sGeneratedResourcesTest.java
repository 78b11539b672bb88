package io.avisstream.avis.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.contract.TopicSpec;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The generator of {@code k8s/generated/} and its drift check: Strimzi {@code KafkaTopic} resources and the KEDA
 * {@code ScaledObject} are rendered from {@code topology/topics.yaml} (names, partitions, replication, configs) and
 * from the base ConfigMap (bootstrap servers, application id = consumer group), the one source of truth for each.
 * The test fails when the committed files differ from what the generator renders now; regenerate with
 * <pre>mvn -q -Dtest=K8sGeneratedResourcesTest -Davis.k8s.update-generated=true test</pre> then review the diff.
 */
class K8sGeneratedResourcesTest {

    static final Path GENERATED = Path.of("k8s/generated");
    static final Path TOPICS_FILE = GENERATED.resolve("kafka-topics.yaml");
    static final Path SCALER_FILE = GENERATED.resolve("scaledobject.yaml");
    static final Path CONFIGMAP = Path.of("k8s/base/configmap.yaml");

    /** Strimzi cluster the topics belong to (label strimzi.io/cluster): the Kafka resource's name. */
    static final String STRIMZI_CLUSTER = "kafka";
    /** Target of the autoscaler: the StatefulSet in k8s/base. */
    static final String STATEFUL_SET = "avis-stream";
    /** Frames of lag per replica before KEDA adds one: 10 s of one 25 fps stream. */
    static final int LAG_THRESHOLD = 250;
    static final int MIN_REPLICAS = 1;
    /** avis.topology.application-id's default, when the ConfigMap does not set it. */
    static final String DEFAULT_APPLICATION_ID = "avis-stream";

    private static final String HEADER = """
            # GENERATED from topology/topics.yaml (and kafka.bootstrap.servers / avis.topology.application-id of
            # k8s/base/configmap.yaml) by src/test/java/io/avisstream/avis/deploy/K8sGeneratedResourcesTest.java.
            # Do not edit: change the sources, then
            #   mvn -q -Dtest=K8sGeneratedResourcesTest -Davis.k8s.update-generated=true test
            """;

    @Test
    void shouldMatchWhatTheGeneratorRendersFromTheTopicContract() throws IOException {
        Map<Path, String> rendered = render();
        if (Boolean.getBoolean("avis.k8s.update-generated")) {
            Files.createDirectories(GENERATED);
            for (Map.Entry<Path, String> file : rendered.entrySet()) {
                Files.writeString(file.getKey(), file.getValue());
            }
        }
        for (Map.Entry<Path, String> file : rendered.entrySet()) {
            assertThat(file.getKey()).exists();
            assertThat(Files.readString(file.getKey()))
                    .as("%s drifted from topology/topics.yaml or k8s/base/configmap.yaml; regenerate with "
                            + "mvn -q -Dtest=K8sGeneratedResourcesTest -Davis.k8s.update-generated=true test",
                            file.getKey())
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void shouldDeclareOneKafkaTopicPerContractTopicAndScaleOnTheFramesLagOfTheApplicationGroup() throws IOException {
        TopicContract contract = contract();
        List<Map<String, Object>> topics = yamlDocuments(render().get(TOPICS_FILE));
        Map<String, Object> scaler = yamlDocuments(render().get(SCALER_FILE)).get(0);

        assertThat(topics).hasSize(contract.all().size());
        for (TopicSpec spec : contract.all()) {
            Map<String, Object> topic = topics.stream().filter(t -> spec.name().equals(
                    map(t.get("spec")).get("topicName"))).findFirst().orElseThrow();
            assertThat(topic.get("kind")).isEqualTo("KafkaTopic");
            assertThat(map(topic.get("spec")).get("partitions")).isEqualTo(spec.partitions());
            assertThat(map(map(topic.get("spec")).get("config"))).isEqualTo(new TreeMap<>(spec.configs()));
        }
        Map<String, Object> trigger = map(((List<?>) map(scaler.get("spec")).get("triggers")).get(0));
        Map<String, Object> metadata = map(trigger.get("metadata"));
        assertThat(trigger.get("type")).isEqualTo("kafka");
        assertThat(metadata.get("topic")).isEqualTo(contract.frames().name());
        assertThat(metadata.get("consumerGroup")).isEqualTo(applicationId());
        assertThat(metadata.get("bootstrapServers")).isEqualTo(configMapProperties().getProperty("kafka.bootstrap.servers"));
        assertThat(map(scaler.get("spec")).get("maxReplicaCount")).isEqualTo(contract.frames().partitions());
    }

    // ---- the generator ---------------------------------------------------------------------------------------

    /** The generated files, by path. */
    static Map<Path, String> render() throws IOException {
        TopicContract contract = contract();
        Properties config = configMapProperties();
        String bootstrap = config.getProperty("kafka.bootstrap.servers");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalStateException(CONFIGMAP + " sets no kafka.bootstrap.servers");
        }
        Map<Path, String> files = new TreeMap<>();
        files.put(TOPICS_FILE, kafkaTopics(contract));
        files.put(SCALER_FILE, scaledObject(contract.frames().spec(), bootstrap, applicationId()));
        return files;
    }

    static String kafkaTopics(TopicContract contract) {
        StringBuilder out = new StringBuilder(HEADER);
        out.append("""
                # Strimzi KafkaTopic per topic of the contract, for the topic operator of the Kafka cluster named
                # "%s" (label strimzi.io/cluster). The operator watches one namespace (the Kafka cluster's, by
                # default): apply these there. replicationFactor -1 in topics.yaml = no spec.replicas (the broker's
                # default.replication.factor).
                """.formatted(STRIMZI_CLUSTER));
        for (TopicSpec topic : contract.all()) {
            out.append("---\n");
            out.append("apiVersion: kafka.strimzi.io/v1beta2\n");
            out.append("kind: KafkaTopic\n");
            out.append("metadata:\n");
            out.append("  name: ").append(topic.name()).append('\n');
            out.append("  labels:\n");
            out.append("    app.kubernetes.io/part-of: avis-stream\n");
            out.append("    strimzi.io/cluster: ").append(STRIMZI_CLUSTER).append('\n');
            out.append("    avis-stream/topic-id: ").append(topic.id()).append('\n');
            out.append("spec:\n");
            out.append("  topicName: ").append(topic.name()).append('\n');
            out.append("  partitions: ").append(topic.partitions()).append('\n');
            if (topic.replicationFactor() > 0) {
                out.append("  replicas: ").append(topic.replicationFactor()).append('\n');
            }
            out.append("  config:\n");
            new TreeMap<>(topic.configs()).forEach((key, value) -> out.append("    ").append(key).append(": \"")
                    .append(value).append("\"\n"));
        }
        return out.toString();
    }

    static String scaledObject(TopicSpec frames, String bootstrap, String group) {
        return HEADER + """
                # KEDA ScaledObject: scales the StatefulSet on the consumer lag of %1$s for the Kafka Streams
                # application's consumer group (its application.id, "%3$s"). At most one replica per partition of
                # the frames topic (%2$d): more instances would get no task. Scale-down is slow on purpose: every
                # membership change is a rebalance that moves state stores.
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: %4$s
                  labels:
                    app.kubernetes.io/name: avis-stream
                    app.kubernetes.io/part-of: avis-stream
                spec:
                  scaleTargetRef:
                    apiVersion: apps/v1
                    kind: StatefulSet
                    name: %4$s
                  minReplicaCount: %5$d
                  maxReplicaCount: %2$d
                  pollingInterval: 15
                  cooldownPeriod: 300
                  advanced:
                    horizontalPodAutoscalerConfig:
                      behavior:
                        scaleDown:
                          stabilizationWindowSeconds: 600
                          policies:
                            - type: Pods
                              value: 1
                              periodSeconds: 300
                  triggers:
                    - type: kafka
                      metadata:
                        bootstrapServers: %6$s
                        consumerGroup: %3$s
                        topic: %1$s
                        lagThreshold: "%7$d"
                        offsetResetPolicy: earliest
                        allowIdleConsumers: "false"
                """.formatted(frames.name(), frames.partitions(), group, STATEFUL_SET, MIN_REPLICAS, bootstrap,
                LAG_THRESHOLD);
    }

    static TopicContract contract() {
        return TopicContract.load(Optional.of(Path.of("topology/topics.yaml")));
    }

    static String applicationId() throws IOException {
        return configMapProperties().getProperty("avis.topology.application-id", DEFAULT_APPLICATION_ID);
    }

    static Properties configMapProperties() throws IOException {
        for (Object doc : new Yaml().loadAll(Files.readString(CONFIGMAP))) {
            Map<String, Object> resource = map(doc);
            if ("ConfigMap".equals(resource.get("kind"))) {
                Properties properties = new Properties();
                properties.load(new StringReader((String) map(resource.get("data")).get("application.properties")));
                return properties;
            }
        }
        throw new IllegalStateException(CONFIGMAP + " holds no ConfigMap");
    }

    private static List<Map<String, Object>> yamlDocuments(String text) {
        return java.util.stream.StreamSupport.stream(new Yaml().loadAll(text).spliterator(), false)
                .filter(java.util.Objects::nonNull).map(K8sGeneratedResourcesTest::map).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }
}
