package io.avisstream.avis.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Credentials come from a Secret, not the ConfigMap; the pod runs as non-root with a read-only root filesystem and
 * only /tmp and its volumes writable.
 */
class K8sSecretsTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String file) throws Exception {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(Path.of("k8s", "base", file)));
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... path) {
        Object current = node;
        for (String p : path) {
            current = current instanceof List<?> list ? list.get(Integer.parseInt(p)) : ((Map<String, Object>) current).get(p);
        }
        return (T) current;
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldTakeCredentialsFromTheSecretAndRunLockedDown() throws Exception {
        // Given
        Map<String, Object> secret = yaml("secrets.example.yaml");
        Map<String, Object> statefulSet = yaml("statefulset.yaml");
        Map<String, Object> configMap = yaml("configmap.yaml");
        Map<String, Object> pod = at(statefulSet, "spec", "template", "spec");
        Map<String, Object> container = at(pod, "containers", "0");

        // Then: the Secret holds the credentials, in keys the application reads
        Properties secrets = new Properties();
        secrets.load(new StringReader(at(secret, "stringData", "secrets.properties")));
        assertThat(secrets.stringPropertyNames()).contains("kafka.sasl.jaas.config", "avis.http.auth.enabled",
                "quarkus.security.users.embedded.users.viewer");
        Properties configured = new Properties();
        configured.load(new StringReader(at(configMap, "data", "application.properties")));
        assertThat(configured.stringPropertyNames()).noneMatch(k -> k.contains("password") || k.contains("jaas")
                || k.startsWith("quarkus.security.users"));
        // and the pod mounts it where QUARKUS_CONFIG_LOCATIONS points
        List<Map<String, Object>> volumes = at(pod, "volumes");
        assertThat(volumes).filteredOn(v -> v.containsKey("secret"))
                .anySatisfy(v -> assertThat((String) at(v, "secret", "secretName")).isEqualTo(at(secret, "metadata", "name")));
        List<Map<String, Object>> env = at(container, "env");
        List<String> locations = new ArrayList<>();
        env.stream().filter(e -> "QUARKUS_CONFIG_LOCATIONS".equals(e.get("name"))).forEach(e -> locations.add((String) e.get("value")));
        List<Map<String, Object>> mounts = at(container, "volumeMounts");
        String secretsMount = mounts.stream().filter(m -> "secrets".equals(m.get("name"))).map(m -> (String) m.get("mountPath"))
                .findFirst().orElseThrow();
        assertThat(locations).containsExactly(secretsMount + "/secrets.properties");

        // And: non-root, read-only root filesystem, no privilege escalation, no capabilities, writable /tmp only
        assertThat((Boolean) at(pod, "securityContext", "runAsNonRoot")).isTrue();
        assertThat((Boolean) at(container, "securityContext", "readOnlyRootFilesystem")).isTrue();
        assertThat((Boolean) at(container, "securityContext", "allowPrivilegeEscalation")).isFalse();
        assertThat((List<String>) at(container, "securityContext", "capabilities", "drop")).containsExactly("ALL");
        assertThat(mounts).anySatisfy(m -> assertThat(m.get("mountPath")).isEqualTo("/tmp"));
    }
}
