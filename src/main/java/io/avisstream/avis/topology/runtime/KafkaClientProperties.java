package io.avisstream.avis.topology.runtime;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.eclipse.microprofile.config.Config;

/**
 * The connection settings of every Kafka client the service creates: Kafka Streams, the topic admin, the dead-letter
 * producer (through the Streams configuration), the demo's producer and consumer, and any other producer, consumer or
 * admin client. Each of them starts from {@link #forBootstrap(String)} (or {@link #forConfiguredCluster()}) and adds
 * only its own settings (serializers, acks, client id, ...), so TLS and SASL are configured once, in the
 * {@code kafka.*} block ({@link KafkaClusterConfig}) plus the {@code kafka-client.*} pass-through.
 *
 * <p>Values that reference Kafka config providers ({@code ${file:...}}, {@code ${directory:...}}, {@code ${env:...}})
 * get those providers registered, so secrets can stay in mounted files. Nothing here logs a value; {@link #describe()}
 * names the protocol and mechanism only.
 */
@ApplicationScoped
public class KafkaClientProperties {
    /** Any Kafka client setting for every client: {@code kafka-client.<client key>}. */
    public static final String PASS_THROUGH_PREFIX = "kafka-client.";
    static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final String CONFIG_PROVIDERS = "config.providers";
    private static final List<String> PROVIDER_REFERENCES = List.of("${file:", "${directory:", "${env:");

    private final Map<String, Object> security;
    private final String protocol;
    private final Optional<String> mechanism;
    private final Optional<String> configuredBootstrap;

    @Inject
    public KafkaClientProperties(KafkaClusterConfig cluster, Config config) {
        this(cluster, passThrough(config));
    }

    /** For tests and code outside CDI: the {@code kafka.*} block and the already stripped pass-through keys. */
    public KafkaClientProperties(KafkaClusterConfig cluster, Map<String, String> passThrough) {
        this.protocol = cluster.securityProtocol().trim().toUpperCase(Locale.ROOT);
        this.mechanism = cluster.saslMechanism().map(String::trim);
        this.configuredBootstrap = cluster.bootstrapServers();
        this.security = Map.copyOf(build(cluster, passThrough, protocol));
    }

    /**
     * A new, mutable map with {@code bootstrap.servers} and the security settings; the caller adds its own client
     * settings (and may override any of these, deliberately).
     */
    public Map<String, Object> forBootstrap(String bootstrapServers) {
        Map<String, Object> props = new HashMap<>(security);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /**
     * {@link #forBootstrap(String)} for the cluster of {@code kafka.bootstrap.servers}: clients of an external cluster
     * (e.g. an ingest producer or a results consumer in their own process).
     *
     * @throws IllegalArgumentException when {@code kafka.bootstrap.servers} is not set (the in-process broker's
     *         address is known only once {@code AvisStreams.start()} has started it: use its return value)
     */
    public Map<String, Object> forConfiguredCluster() {
        return forBootstrap(configuredBootstrap.orElseThrow(() -> new IllegalArgumentException(
                "kafka.bootstrap.servers is not set (e.g. -Dkafka.bootstrap.servers=host:9092)")));
    }

    /** The security settings only (no bootstrap servers), e.g. to merge into a {@link java.util.Properties}. */
    public Map<String, Object> security() {
        return security;
    }

    /** Whether any TLS or SASL is configured (protocol other than PLAINTEXT). */
    public boolean secured() {
        return !"PLAINTEXT".equals(protocol);
    }

    /** Loggable summary: {@code security.protocol=SASL_SSL sasl.mechanism=SCRAM-SHA-512}; never a secret. */
    public String describe() {
        return "security.protocol=" + protocol + mechanism.map(m -> " sasl.mechanism=" + m).orElse("");
    }

    private static Map<String, Object> build(KafkaClusterConfig c, Map<String, String> passThrough, String protocol) {
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("kafka.security.protocol=" + protocol + " is not one of "
                    + new java.util.TreeSet<>(PROTOCOLS));
        }
        boolean sasl = protocol.startsWith("SASL_");
        boolean tls = protocol.endsWith("SSL");
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        if (sasl) {
            String mechanism = c.saslMechanism().orElseThrow(() -> new IllegalArgumentException(
                    "kafka.sasl.mechanism is required with kafka.security.protocol=" + protocol));
            props.put(SaslConfigs.SASL_MECHANISM, mechanism.trim());
            if (!"GSSAPI".equalsIgnoreCase(mechanism.trim()) && c.saslJaasConfig().isEmpty()) {
                throw new IllegalArgumentException("kafka.sasl.jaas.config is required with kafka.sasl.mechanism="
                        + mechanism.trim());
            }
        } else if (c.saslMechanism().isPresent() || c.saslJaasConfig().isPresent()) {
            throw new IllegalArgumentException("kafka.sasl.* is set but kafka.security.protocol=" + protocol
                    + " does not use SASL (SASL_SSL or SASL_PLAINTEXT)");
        }
        c.saslJaasConfig().ifPresent(v -> props.put(SaslConfigs.SASL_JAAS_CONFIG, v));
        c.saslLoginCallbackHandlerClass().ifPresent(v -> props.put(SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS, v));
        c.saslOauthbearerTokenEndpointUrl().ifPresent(v -> props.put(SaslConfigs.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, v));
        Map<String, Optional<String>> ssl = new LinkedHashMap<>();
        ssl.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, c.sslTruststoreLocation());
        ssl.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, c.sslTruststorePassword());
        ssl.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, c.sslTruststoreType());
        ssl.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, c.sslKeystoreLocation());
        ssl.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, c.sslKeystorePassword());
        ssl.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, c.sslKeystoreType());
        ssl.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, c.sslKeyPassword());
        ssl.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG,
                c.sslEndpointIdentificationAlgorithm().map(v -> "none".equalsIgnoreCase(v.trim()) ? "" : v.trim()));
        for (Map.Entry<String, Optional<String>> e : ssl.entrySet()) {
            if (e.getValue().isPresent()) {
                if (!tls) {
                    throw new IllegalArgumentException("kafka." + e.getKey() + " is set but kafka.security.protocol="
                            + protocol + " does not use TLS (SSL or SASL_SSL)");
                }
                props.put(e.getKey(), e.getValue().get());
            }
        }
        props.putAll(passThrough);
        if (!props.containsKey(CONFIG_PROVIDERS)
                && props.values().stream().anyMatch(KafkaClientProperties::referencesProvider)) {
            props.put(CONFIG_PROVIDERS, "file,directory,env");
            props.put("config.providers.file.class", FileConfigProvider.class.getName());
            props.put("config.providers.directory.class", DirectoryConfigProvider.class.getName());
            props.put("config.providers.env.class", EnvVarConfigProvider.class.getName());
        }
        return props;
    }

    private static boolean referencesProvider(Object value) {
        String s = String.valueOf(value);
        return PROVIDER_REFERENCES.stream().anyMatch(s::contains);
    }

    private static Map<String, String> passThrough(Config config) {
        Map<String, String> out = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PASS_THROUGH_PREFIX)) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(v -> out.put(name.substring(PASS_THROUGH_PREFIX.length()), v));
            }
        }
        return out;
    }
}
