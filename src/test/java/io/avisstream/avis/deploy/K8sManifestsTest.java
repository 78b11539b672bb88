package io.avisstream.avis.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The k8s/ manifests parse, fit together (selectors, service name, volumes, probes), and only set configuration keys
 * the application knows: a key in the ConfigMap or the pod environment that nothing reads would be silently ignored.
 */
class K8sManifestsTest {

    private static final Path K8S = Path.of("k8s");
    /** Kafka Streams settings passed through as {@code kafka-streams.<key>} (see AvisStreams). */
    private static final Set<String> PASS_THROUGH_KEYS = Set.of("kafka-streams.application.server",
            "kafka-streams.num.standby.replicas");

    private static List<Map<String, Object>> documents;
    private static Set<String> knownKeys;

    @BeforeAll
    static void load() throws Exception {
        documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Yaml().loadAll(Files.readString(file))) {
                    if (doc != null) {
                        documents.add(map(doc));
                    }
                }
            }
        }
        knownKeys = new TreeSet<>(PASS_THROUGH_KEYS);
        knownKeys.addAll(applicationPropertiesKeys());
        knownKeys.addAll(configMappingKeys());
    }

    @Test
    void shouldDeclareEveryResourceTheKustomizationLists() {
        Map<String, Object> kustomization = only("Kustomization");
        List<Object> resources = list(kustomization.get("resources"));

        assertThat(resources).allSatisfy(r -> assertThat(K8S.resolve((String) r)).exists());
        assertThat(documents).extracting(d -> (String) d.get("kind"))
                .contains("StatefulSet", "Service", "ConfigMap", "PodDisruptionBudget");
    }

    @Test
    void shouldGoverTheStatefulSetWithAHeadlessServiceAndSelectItsPods() {
        Map<String, Object> sts = only("StatefulSet");
        Map<String, Object> spec = map(sts.get("spec"));
        Map<String, Object> podLabels = map(map(map(spec.get("template")).get("metadata")).get("labels"));
        Map<String, Object> headless = documents.stream().filter(d -> "Service".equals(d.get("kind")))
                .filter(d -> name(d).equals(spec.get("serviceName"))).findFirst().orElseThrow();

        assertThat(map(headless.get("spec")).get("clusterIP")).isEqualTo("None");
        assertThat(map(map(spec.get("selector")).get("matchLabels"))).isEqualTo(podLabels);
        for (Map<String, Object> service : kind("Service")) {
            assertThat(podLabels).containsAllEntriesOf(map(map(service.get("spec")).get("selector")));
        }
        Map<String, Object> pdb = only("PodDisruptionBudget");
        assertThat(podLabels).containsAllEntriesOf(map(map(map(pdb.get("spec")).get("selector")).get("matchLabels")));
    }

    @Test
    void shouldPutTheStateDirectoryOnAPersistentVolumeAndAdvertiseAStableApplicationServer() throws IOException {
        // Given
        Map<String, Object> spec = map(only("StatefulSet").get("spec"));
        Map<String, Object> container = container(spec);
        Properties mounted = mountedProperties();
        String claim = name(map(list(spec.get("volumeClaimTemplates")).get(0)));
        String stateMount = mountPath(container, claim);
        String configVolume = list(map(map(spec.get("template")).get("spec")).get("volumes")).stream()
                .map(K8sManifestsTest::map).filter(v -> v.containsKey("configMap")).map(K8sManifestsTest::name0)
                .findFirst().orElseThrow();
        int port = (int) map(list(container.get("ports")).get(0)).get("containerPort");

        // Then: state on the claim, config file where Quarkus looks (config/ under the working dir), per-pod address
        assertThat(mounted.getProperty("avis.topology.state-dir")).startsWith(stateMount + "/");
        assertThat(mountPath(container, configVolume)).isEqualTo("/deployments/config");
        assertThat(mounted.getProperty("kafka-streams.application.server"))
                .isEqualTo("${POD_NAME}." + spec.get("serviceName") + ".${POD_NAMESPACE}.svc.cluster.local:" + port);
        assertThat(env(container)).containsKeys("POD_NAME", "POD_NAMESPACE");
        assertThat(container.get("args")).isEqualTo(List.of("serve"));
        assertThat(map(map(container.get("livenessProbe")).get("httpGet")).get("path")).isEqualTo("/q/health/live");
        assertThat(map(map(container.get("readinessProbe")).get("httpGet")).get("path")).isEqualTo("/q/health/ready");
    }

    @Test
    void shouldOnlySetConfigurationKeysTheApplicationReads() throws IOException {
        // Given: the keys of the mounted application.properties and of the pod environment
        Properties mounted = mountedProperties();
        Map<String, String> env = env(container(map(only("StatefulSet").get("spec"))));

        // Then: each is a key of application.properties, of an @ConfigMapping, or one the extension reads
        assertThat(mounted.stringPropertyNames()).isNotEmpty().allSatisfy(key -> assertThat(knownKeys)
                .as("ConfigMap key %s is not read by the application", key).contains(key));
        assertThat(mounted.stringPropertyNames()).anyMatch(k -> k.startsWith("avis."));
        Set<String> knownEnv = new TreeSet<>();
        knownKeys.forEach(k -> knownEnv.add(k.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT)));
        // Quarkus' own bootstrap setting: where the mounted Secret's properties file is.
        knownEnv.add("QUARKUS_CONFIG_LOCATIONS");
        env.keySet().stream().filter(name -> !name.startsWith("POD_")).forEach(name -> assertThat(knownEnv)
                .as("environment variable %s maps to no configuration key", name).contains(name));
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Properties mountedProperties() throws IOException {
        Properties mounted = new Properties();
        mounted.load(new StringReader((String) map(only("ConfigMap").get("data")).get("application.properties")));
        return mounted;
    }

    private static String mountPath(Map<String, Object> container, String volume) {
        return list(container.get("volumeMounts")).stream().map(K8sManifestsTest::map)
                .filter(m -> volume.equals(m.get("name"))).map(m -> (String) m.get("mountPath")).findFirst()
                .orElseThrow(() -> new AssertionError("no mount of volume " + volume));
    }

    private static String name0(Map<String, Object> item) {
        return (String) item.get("name");
    }

    private static Map<String, Object> container(Map<String, Object> statefulSetSpec) {
        Map<String, Object> podSpec = map(map(statefulSetSpec.get("template")).get("spec"));
        return map(list(podSpec.get("containers")).get(0));
    }

    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Object item : list(container.get("env"))) {
            Map<String, Object> var = map(item);
            env.put((String) var.get("name"), var.get("value") == null ? "" : var.get("value").toString());
        }
        return env;
    }

    static Set<String> applicationPropertiesKeys() throws IOException {
        Path file = Path.of("src/main/resources/application.properties");
        Set<String> keys = new TreeSet<>();
        if (Files.exists(file)) {
            Properties properties = new Properties();
            try (var in = Files.newBufferedReader(file)) {
                properties.load(in);
            }
            for (String key : properties.stringPropertyNames()) {
                keys.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
            }
        }
        return keys;
    }

    /** Every key of every @ConfigMapping interface compiled into target/classes. */
    static Set<String> configMappingKeys() throws IOException, URISyntaxException {
        Path classes = Path.of(K8sManifestsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolveSibling("classes");
        Set<String> keys = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, K8sManifestsTest.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
                if (mapping != null) {
                    collectKeys(type, mapping.prefix(), keys);
                }
            }
        }
        return keys;
    }

    private static void collectKeys(Class<?> type, String prefix, Set<String> keys) {
        for (Method method : type.getMethods()) {
            if (method.getParameterCount() != 0 || method.isDefault() || method.getDeclaringClass() == Object.class) {
                continue;
            }
            String key = method.isAnnotationPresent(WithParentName.class) ? prefix
                    : prefix + "." + (method.isAnnotationPresent(WithName.class)
                            ? method.getAnnotation(WithName.class).value() : kebab(method.getName()));
            Class<?> returned = unwrapOptional(method.getGenericReturnType());
            if (returned.isInterface() && returned.getName().startsWith("io.avisstream")) {
                collectKeys(returned, key, keys);
            } else {
                keys.add(key);
            }
        }
    }

    private static Class<?> unwrapOptional(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == java.util.Optional.class
                && p.getActualTypeArguments()[0] instanceof Class<?> c) {
            return c;
        }
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Map<String, Object> only(String kind) {
        List<Map<String, Object>> found = kind(kind);
        assertThat(found).as("exactly one %s", kind).hasSize(1);
        return found.get(0);
    }

    private static List<Map<String, Object>> kind(String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static String name(Map<String, Object> resource) {
        return (String) map(resource.get("metadata")).get("name");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }
}
