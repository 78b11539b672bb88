package io.avisstream.avis.api.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.avisstream.avis.dlq.DeadLetterDeserializationHandler;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.contract.TopicSpec;
import io.avisstream.avis.topology.runtime.AvisStreams;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With {@code avis.topology.topics-file} set, every user of a topic name takes it from that file: the topology
 * (through the lifecycle), the dead-letter deserialization handler and the demo transport. (They once read static
 * names of the bundled contract.)
 */
@QuarkusTest
@TestProfile(CustomTopicsFileTest.CustomTopics.class)
class CustomTopicsFileTest {
    static final String FILE = "src/test/resources/topology/custom-topics.yaml";

    /** The test profile: the custom contract file. */
    public static class CustomTopics implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("avis.topology.topics-file", FILE);
        }
    }

    @Inject
    TopicContract contract;
    @Inject
    AvisStreams streams;
    @Inject
    KafkaDemoTransport transport;

    @AfterEach
    void closeDeadLetterProducers() {
        DeadLetterDeserializationHandler.closeProducers();
    }

    @Test
    void shouldRunTheContractOfTheTopicsFile() {
        // Then
        assertThat(contract.all()).extracting(TopicSpec::name).containsExactly("custom.audio.v1", "custom.dlq.v1",
                "custom.events.v1", "custom.frames.v1", "custom.masks.v1");
        assertThat(streams.contract()).isSameAs(contract);
    }

    @Test
    void shouldDeadLetterUndeserializableRecordsToTheTopicOfTheTopicsFile() {
        // Given the Kafka Streams configuration the service runs with
        Map<String, Object> configs = new HashMap<>();
        streams.streamsProperties("127.0.0.1:9").forEach((k, v) -> configs.put(String.valueOf(k), v));

        // When Kafka Streams configures the handler with it
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(configs);

        // Then
        assertThat(handler.topic()).isEqualTo("custom.dlq.v1");
    }

    @Test
    void shouldProduceAndConsumeTheTopicsOfTheTopicsFileInTheDemo() {
        // When
        TopicContract used = transport.contract();

        // Then
        assertThat(List.of(used.frames().name(), used.audio().name(), used.masks().name(), used.events().name(),
                used.dlq().name())).containsExactly("custom.frames.v1", "custom.audio.v1", "custom.masks.v1",
                        "custom.events.v1", "custom.dlq.v1");
    }
}
