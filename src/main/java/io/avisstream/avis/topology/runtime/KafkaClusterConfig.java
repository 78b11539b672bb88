package io.avisstream.avis.topology.runtime;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Which Kafka cluster the service uses and how every one of its Kafka clients connects to it ({@code kafka.*}): the
 * bootstrap servers and the one TLS / SASL block that {@link KafkaClientProperties} hands to Kafka Streams, the admin
 * client, the dead-letter producer and the demo / ingest producers and consumers alike. The names are Kafka's own
 * client keys under {@code kafka.}; any other client setting (e.g. {@code sasl.oauthbearer.scope.claim.name}) passes
 * through as {@code kafka-client.<client key>}.
 *
 * <p>Secrets (passwords, the JAAS line) come from the environment ({@code KAFKA_SASL_JAAS_CONFIG}, e.g. a Kubernetes
 * Secret) or from files through Kafka's config providers ({@code ${file:/path:key}}, {@code ${directory:/dir:file}},
 * {@code ${env:NAME}}; written {@code \${...}} in Quarkus configuration so that Quarkus leaves them to Kafka). They
 * are never logged: Kafka prints them as {@code [hidden]}, and the service prints only the protocol and mechanism.
 */
@ConfigMapping(prefix = "kafka")
public interface KafkaClusterConfig {

    /**
     * Bootstrap servers of an external cluster (e.g. {@code broker-0:9092,broker-1:9092}). When absent, the service
     * starts an in-process single-node KRaft broker ({@code avis.broker.*}) and uses it.
     */
    @WithName("bootstrap.servers")
    Optional<String> bootstrapServers();

    /** {@code security.protocol}: {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}. */
    @WithName("security.protocol")
    @WithDefault("PLAINTEXT")
    String securityProtocol();

    /** {@code sasl.mechanism}: {@code SCRAM-SHA-512}, {@code SCRAM-SHA-256}, {@code PLAIN} or {@code OAUTHBEARER}. */
    @WithName("sasl.mechanism")
    Optional<String> saslMechanism();

    /** {@code sasl.jaas.config}: the login module line with the credentials (a secret: from env or a file). */
    @WithName("sasl.jaas.config")
    Optional<String> saslJaasConfig();

    /** {@code sasl.login.callback.handler.class} (OAUTHBEARER: e.g. Kafka's {@code OAuthBearerLoginCallbackHandler}). */
    @WithName("sasl.login.callback.handler.class")
    Optional<String> saslLoginCallbackHandlerClass();

    /** {@code sasl.oauthbearer.token.endpoint.url} (OAUTHBEARER client credentials). */
    @WithName("sasl.oauthbearer.token.endpoint.url")
    Optional<String> saslOauthbearerTokenEndpointUrl();

    /** {@code ssl.truststore.location}: the CA(s) the brokers' certificates are checked against (PKCS12 or PEM). */
    @WithName("ssl.truststore.location")
    Optional<String> sslTruststoreLocation();

    /** {@code ssl.truststore.password} (a secret). */
    @WithName("ssl.truststore.password")
    Optional<String> sslTruststorePassword();

    /** {@code ssl.truststore.type}: {@code PKCS12} (Kafka's default is JKS), {@code JKS} or {@code PEM}. */
    @WithName("ssl.truststore.type")
    Optional<String> sslTruststoreType();

    /** {@code ssl.keystore.location}: the client certificate for mutual TLS (absent: no client certificate). */
    @WithName("ssl.keystore.location")
    Optional<String> sslKeystoreLocation();

    /** {@code ssl.keystore.password} (a secret). */
    @WithName("ssl.keystore.password")
    Optional<String> sslKeystorePassword();

    /** {@code ssl.keystore.type}: {@code PKCS12}, {@code JKS} or {@code PEM}. */
    @WithName("ssl.keystore.type")
    Optional<String> sslKeystoreType();

    /** {@code ssl.key.password} (a secret). */
    @WithName("ssl.key.password")
    Optional<String> sslKeyPassword();

    /**
     * {@code ssl.endpoint.identification.algorithm}: {@code https} (Kafka's default: the broker certificate must name
     * the host) or empty to switch host name checking off (not recommended).
     */
    @WithName("ssl.endpoint.identification.algorithm")
    Optional<String> sslEndpointIdentificationAlgorithm();
}
