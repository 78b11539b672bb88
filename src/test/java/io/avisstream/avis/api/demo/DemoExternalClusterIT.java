package io.avisstream.avis.api.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.avisstream.avis.demo.DemoTransport;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.runtime.AvisStreams;
import io.avisstream.avis.topology.runtime.EmbeddedKafkaResource;
import io.avisstream.avis.topology.runtime.TopicAdmin;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Against an external cluster ({@code kafka.bootstrap.servers}) the demo only produces and consumes: the service
 * runs elsewhere, and a Kafka Streams instance here would join its consumer group (rebalances, fenced
 * transactions).
 */
@QuarkusTest
@WithTestResource(EmbeddedKafkaResource.class)
class DemoExternalClusterIT {

    @Inject
    KafkaDemoTransport transport;
    @Inject
    AvisStreams streams;
    @Inject
    TopicContract contract;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    java.util.Optional<String> configured;

    @Test
    void shouldNeverStartKafkaStreamsWhenAClusterIsConfigured() {
        // Given the topics exist on the configured cluster (the service there made them)
        TopicAdmin.ensure(configured.orElseThrow(), contract, true);
        boolean runningBefore = streams.kafkaStreams().isPresent();

        // When the demo connects (it sends nothing: the broker is shared with ExternalClusterIT, whose service
        // would process the frame)
        try (DemoTransport.Session session = transport.open("ext-demo", Duration.ofSeconds(30))) {
            session.flush();

            // Then it talks to that cluster, and this process runs no Kafka Streams of its own
            assertThat(session.describe()).isEqualTo(configured.orElseThrow());
            assertThat(session.frameRecordLimit()).isEqualTo(contract.frames().maxMessageBytes());
        }
        if (!runningBefore) {
            assertThat(streams.kafkaStreams()).isEmpty();
        }
    }
}
