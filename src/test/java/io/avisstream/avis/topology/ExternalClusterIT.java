package io.avisstream.avis.topology;

import static io.avisstream.avis.topology.TestStreams.chunk;
import static io.avisstream.avis.topology.TestStreams.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.avisstream.avis.dlq.DeadLetters;
import io.avisstream.avis.message.MessageCodec;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.runtime.AvisStreams;
import io.avisstream.avis.topology.runtime.EmbeddedKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With {@code kafka.bootstrap.servers} set, the service uses that cluster (here a broker started by the test
 * resource before the application) and does not start its own; a bad record and a good frame go through it.
 */
@QuarkusTest
@WithTestResource(EmbeddedKafkaResource.class)
class ExternalClusterIT {
    private static final TopicContract CONTRACT = TopicContract.bundled();
    @Inject
    AvisStreams streams;

    // Optional: every @QuarkusTest class is a bean of every test application, and the others have no such key.
    @ConfigProperty(name = "kafka.bootstrap.servers")
    java.util.Optional<String> configured;

    @Test
    void shouldUseTheConfiguredClusterInsteadOfStartingABroker() throws Exception {
        // Given
        String bootstrap = streams.start();

        // When a malformed record and then one frame with its audio are produced
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(CONTRACT.frames().name(), "cam-x", "{oops".getBytes()));
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(CONTRACT.audio().name(), "cam-x", MessageCodec.AUDIO.encode(chunk("cam-x", i, true))));
            }
            producer.send(new ProducerRecord<>(CONTRACT.frames().name(), "cam-x", MessageCodec.FRAMES.encode(frame("cam-x", 0))));
        }

        // Then
        assertThat(configured).contains(bootstrap);
        assertThat(streams.brokerDataDir()).isEmpty();
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "external-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(Set.of(CONTRACT.masks().name(), CONTRACT.dlq().name()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (seen.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    seen.add(r.topic().equals(CONTRACT.dlq().name()) ? "dlq:" + DeadLetters.header(r.headers(), DeadLetters.REASON)
                            : "masks:" + MessageCodec.MASKS.decode(r.value()).audio());
                }
            }
        }
        assertThat(seen).containsExactlyInAnyOrder("dlq:UNDECODABLE", "masks:complete");
    }
}
