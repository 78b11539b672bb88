package io.avisstream.avis.topology.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * A real single-node KRaft broker whose only client listener is SASL_SSL (SCRAM-SHA-512 over TLS), for the security
 * tests. The CA, the broker's key pair (SAN 127.0.0.1) and the clients' truststore are made here with the JDK's
 * keytool; the superuser {@code admin} is written into the bootstrap metadata when the broker is formatted (it is
 * also the inter-broker identity); further users are created through the Admin API. The controller listener is TLS
 * with a required client certificate, so with the authorizer on, only the broker's own certificate
 * ({@code User:CN=avis-broker}) and {@code admin} are superusers.
 */
public final class SecuredKafka implements AutoCloseable {
    public static final String ADMIN = "admin";
    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String BROKER_PRINCIPAL = "User:CN=avis-broker";

    private final Path dir;
    private final String storePassword;
    private final String adminPassword;
    private final EmbeddedKafka kafka;

    private SecuredKafka(Path dir, String storePassword, String adminPassword, EmbeddedKafka kafka) {
        this.dir = dir;
        this.storePassword = storePassword;
        this.adminPassword = adminPassword;
        this.kafka = kafka;
    }

    /** @param authorizer true = StandardAuthorizer, deny unless an ACL allows (superusers aside) */
    public static SecuredKafka start(boolean authorizer) {
        try {
            Path dir = Files.createTempDirectory("avis-secured-kafka-");
            String storePassword = secret();
            String adminPassword = secret();
            makeStores(dir, storePassword);
            Map<String, String> broker = new HashMap<>();
            broker.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SSL");
            broker.put("listener.name.controller.ssl.client.auth", "required");
            broker.put("sasl.enabled.mechanisms", MECHANISM);
            broker.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
            broker.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas(ADMIN, adminPassword));
            broker.put("ssl.keystore.location", dir.resolve("broker.p12").toString());
            broker.put("ssl.keystore.type", "PKCS12");
            broker.put("ssl.keystore.password", storePassword);
            broker.put("ssl.key.password", storePassword);
            broker.put("ssl.truststore.location", dir.resolve("truststore.p12").toString());
            broker.put("ssl.truststore.type", "PKCS12");
            broker.put("ssl.truststore.password", storePassword);
            if (authorizer) {
                broker.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
                broker.put("super.users", "User:" + ADMIN + ";" + BROKER_PRINCIPAL);
            }
            Map<String, Object> adminClient = clientConfig(dir, storePassword, ADMIN, adminPassword);
            EmbeddedKafka kafka = EmbeddedKafka.start(0, dir.resolve("broker"), broker, new EmbeddedKafka.ClientListener(
                    "SASL_SSL", List.of(MECHANISM + "=[name=" + ADMIN + ",password=" + adminPassword + "]"), adminClient));
            return new SecuredKafka(dir, storePassword, adminPassword, kafka);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    public String truststorePassword() {
        return storePassword;
    }

    /** A directory for the test's own files (state, secrets), removed on close. */
    public Path dir() {
        return dir;
    }

    /** Client settings (bootstrap included) of the superuser. */
    public Map<String, Object> adminConfig() {
        Map<String, Object> config = clientConfig(dir, storePassword, ADMIN, adminPassword);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /** Client settings (bootstrap included) of {@code user}. */
    public Map<String, Object> clientConfig(String user, String password) {
        Map<String, Object> config = clientConfig(dir, storePassword, user, password);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /** Creates a SCRAM-SHA-512 user (as the superuser, through the Admin API) and waits until it can log in. */
    public void createUser(String user, String password) {
        try (Admin admin = Admin.create(adminConfig())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create SCRAM user " + user, e);
        }
        // The credential reaches the broker's metadata cache asynchronously: log in once before handing it out.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Admin admin = Admin.create(clientConfig(user, password))) {
                admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("user " + user + " cannot log in", e);
                }
            }
        }
    }

    /** Adds ACLs (as the superuser). */
    public void allow(Collection<AclBinding> acls) {
        try (Admin admin = Admin.create(adminConfig())) {
            admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create ACLs " + acls, e);
        }
    }

    /** The service's {@code kafka.*} block for {@code user}: what an operator writes to connect to this broker. */
    public Map<String, String> serviceConfig(String user, String password) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", bootstrapServers());
        config.put("kafka.security.protocol", "SASL_SSL");
        config.put("kafka.sasl.mechanism", MECHANISM);
        config.put("kafka.sasl.jaas.config", jaas(user, password));
        config.put("kafka.ssl.truststore.location", truststore().toString());
        config.put("kafka.ssl.truststore.type", "PKCS12");
        config.put("kafka.ssl.truststore.password", storePassword);
        return config;
    }

    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    /** A random password. */
    public static String secret() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return "pw-" + HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        kafka.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }

    private static Map<String, Object> clientConfig(Path dir, String storePassword, String user, String password) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        config.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
        config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, dir.resolve("truststore.p12").toString());
        config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, storePassword);
        return config;
    }

    /** CA, broker key pair signed by it (SAN 127.0.0.1, server and client use), and a truststore with the CA. */
    private static void makeStores(Path dir, String pw) {
        String ca = dir.resolve("ca.p12").toString();
        String broker = dir.resolve("broker.p12").toString();
        String caPem = dir.resolve("ca.pem").toString();
        String csr = dir.resolve("broker.csr").toString();
        String brokerPem = dir.resolve("broker.pem").toString();
        String ec = "-keyalg EC -groupname secp256r1 -validity 2 -storetype PKCS12";
        keytool("-genkeypair -alias ca -dname CN=avis-test-ca -ext bc:c " + ec + " -keystore " + ca + " -storepass " + pw);
        keytool("-exportcert -rfc -alias ca -keystore " + ca + " -storepass " + pw + " -file " + caPem);
        keytool("-genkeypair -alias broker -dname CN=avis-broker " + ec + " -keystore " + broker + " -storepass " + pw);
        keytool("-certreq -alias broker -keystore " + broker + " -storepass " + pw + " -file " + csr);
        keytool("-gencert -rfc -alias ca -keystore " + ca + " -storepass " + pw + " -infile " + csr + " -outfile " + brokerPem
                + " -validity 2 -ext SAN=ip:127.0.0.1,dns:localhost -ext EKU=serverAuth,clientAuth");
        keytool("-importcert -noprompt -alias ca -file " + caPem + " -keystore " + broker + " -storepass " + pw);
        keytool("-importcert -noprompt -alias broker -file " + brokerPem + " -keystore " + broker + " -storepass " + pw);
        keytool("-importcert -noprompt -alias ca -file " + caPem + " -storetype PKCS12 -keystore "
                + dir.resolve("truststore.p12") + " -storepass " + pw);
    }

    private static void keytool(String args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(args.split(" ")));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args.split(" ")[0] + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
