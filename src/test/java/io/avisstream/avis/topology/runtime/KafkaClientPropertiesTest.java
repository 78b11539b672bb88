package io.avisstream.avis.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;


/** The one {@code kafka.*} security block, as every Kafka client of the service receives it. */
class KafkaClientPropertiesTest {

    private static KafkaClientProperties clients(Map<String, String> properties) {
        return TestKafkaClients.of(properties);
    }

    @Test
    void shouldGiveEveryClientTheSameSaslSslSettings() {
        // Given
        Map<String, String> properties = Map.of(
                "kafka.security.protocol", "sasl_ssl",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.sasl.jaas.config", "ScramLoginModule required username=\"avis\" password=\"s3cret\";",
                "kafka.ssl.truststore.location", "/etc/avis/kafka/ca.p12",
                "kafka.ssl.truststore.type", "PKCS12",
                "kafka-client.sasl.login.retry.backoff.ms", "500");

        // When
        KafkaClientProperties clients = clients(properties);
        Map<String, Object> admin = clients.forBootstrap("broker:9093");

        // Then
        assertThat(admin).containsOnly(
                Map.entry("bootstrap.servers", "broker:9093"),
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("sasl.jaas.config", "ScramLoginModule required username=\"avis\" password=\"s3cret\";"),
                Map.entry("ssl.truststore.location", "/etc/avis/kafka/ca.p12"),
                Map.entry("ssl.truststore.type", "PKCS12"),
                Map.entry("sasl.login.retry.backoff.ms", "500"));
        assertThat(clients.describe()).isEqualTo("security.protocol=SASL_SSL sasl.mechanism=SCRAM-SHA-512")
                .doesNotContain("s3cret");
        assertThat(clients.secured()).isTrue();
    }

    @Test
    void shouldLeaveFileReferencesToKafkasConfigProvidersWhenEscaped() {
        // Given a password that lives in a mounted file, escaped ($${...}) so that Quarkus leaves it to Kafka
        Map<String, String> properties = Map.of(
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "PLAIN",
                "kafka.sasl.jaas.config",
                "PlainLoginModule required username=\"avis\" password=\"$${file:/etc/avis/kafka/creds.properties:password}\";");

        // When
        Map<String, Object> producer = clients(properties).forBootstrap("broker:9093");

        // Then
        assertThat(producer.get("sasl.jaas.config")).isEqualTo(
                "PlainLoginModule required username=\"avis\" password=\"${file:/etc/avis/kafka/creds.properties:password}\";");
        assertThat(producer).containsEntry("config.providers", "file,directory,env")
                .containsEntry("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
    }

    @Test
    void shouldStayPlaintextWithoutSettings() {
        // When
        KafkaClientProperties clients = clients(Map.of());

        // Then
        assertThat(clients.forBootstrap("127.0.0.1:9092")).containsOnly(Map.entry("bootstrap.servers", "127.0.0.1:9092"),
                Map.entry("security.protocol", "PLAINTEXT"));
        assertThat(clients.secured()).isFalse();
        assertThatThrownBy(clients::forConfiguredCluster).hasMessageContaining("kafka.bootstrap.servers");
        assertThat(clients(Map.of("kafka.bootstrap.servers", "b:9092")).forConfiguredCluster())
                .containsEntry("bootstrap.servers", "b:9092");
    }

    @Test
    void shouldRefuseHalfConfiguredSecurityNamingTheKey() {
        assertThatThrownBy(() -> clients(Map.of("kafka.security.protocol", "SASL_SSL")))
                .hasMessageContaining("kafka.sasl.mechanism");
        assertThatThrownBy(() -> clients(Map.of("kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "PLAIN")))
                .hasMessageContaining("kafka.sasl.jaas.config");
        assertThatThrownBy(() -> clients(Map.of("kafka.ssl.truststore.location", "/ca.p12")))
                .hasMessageContaining("kafka.ssl.truststore.location").hasMessageContaining("PLAINTEXT");
        assertThatThrownBy(() -> clients(Map.of("kafka.security.protocol", "TLS")))
                .hasMessageContaining("kafka.security.protocol=TLS");
    }
}
