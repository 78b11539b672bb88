package io.avisstream.avis.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The dead-letter producer connects as Kafka Streams' own producers do: same TLS / SASL settings, same overrides. */
class DeadLetterClientSettingsTest {

    @Test
    void shouldConnectWithTheStreamsClientSecurityAndNothingTransactional() {
        // Given a Streams configuration as AvisStreams builds it (security block from KafkaClientProperties)
        Map<String, Object> streams = Map.of(
                "application.id", "avis-stream",
                "bootstrap.servers", "broker:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "ScramLoginModule required username=\"avis\" password=\"p\";",
                "ssl.truststore.location", "/etc/avis/ca.p12",
                "producer.ssl.endpoint.identification.algorithm", "https",
                "commit.interval.ms", "200",
                "transactional.id", "must-not-leak",
                DeadLetterDeserializationHandler.DLQ_TOPIC_CONFIG, "avis.dlq.v1");

        // When
        Map<String, Object> producer = DeadLetterDeserializationHandler.clientSettings(streams);

        // Then
        assertThat(producer).containsOnly(
                Map.entry("bootstrap.servers", "broker:9093"),
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("sasl.jaas.config", "ScramLoginModule required username=\"avis\" password=\"p\";"),
                Map.entry("ssl.truststore.location", "/etc/avis/ca.p12"),
                Map.entry("ssl.endpoint.identification.algorithm", "https"));
    }
}
