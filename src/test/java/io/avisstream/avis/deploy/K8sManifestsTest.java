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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The k8s/ manifests, as {@code kubectl kustomize} renders them for the base and each overlay: they parse, fit
 * together (selectors, service name, volumes, probes), only set configuration keys the application knows (a key in
 * the ConfigMap or the pod environment that nothing reads would be silently ignored), size memory for the heap they
 * give the JVM, and the overlays carry the generated Strimzi topics and KEDA autoscaler.
 *
 * <p>Needs {@code kubectl} (Debian's kubernetes-client 1.20 or newer; {@code bash .ci/run} installs it when missing);
 * {@code -Davis.kubectl=PATH} picks another binary. Without one these tests fail, they do not skip.
 */
class K8sManifestsTest {

    private static final Path K8S = Path.of("k8s");
    /** What is rendered and checked: the application alone and the two deployable overlays. */
    static final String BASE = "k8s/base";
    static final String CPU = "k8s/overlays/cpu";
    static final String GPU = "k8s/overlays/gpu";
    /** Kafka Streams settings passed through as {@code kafka-streams.<key>} (see AvisStreams). */
    private static final Set<String> PASS_THROUGH_KEYS = Set.of("kafka-streams.application.server",
            "kafka-streams.num.standby.replicas");
    /** Environment variables the JVM itself reads (not configuration keys). */
    private static final Set<String> JVM_ENV = Set.of("JAVA_TOOL_OPTIONS");
    /** Resident set measured under overload with the tiny model (bytes), and the headroom the limit must leave. */
    static final double MEASURED_OVERLOAD_RSS = 4.3e9;
    static final double RSS_HEADROOM = 1.25;
    /** Memory outside the heap the pod must have at least (RocksDB, ONNX Runtime, FFmpeg, direct buffers...). */
    static final long MIN_NON_HEAP = 2L << 30;

    private static final Map<String, List<Map<String, Object>>> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();
    private static Set<String> knownKeys;
    private List<Map<String, Object>> documents;

    @BeforeAll
    static void load() throws Exception {
        knownKeys = new TreeSet<>(PASS_THROUGH_KEYS);
        knownKeys.addAll(applicationPropertiesKeys());
        knownKeys.addAll(configMappingKeys());
    }

    /** {@code kubectl kustomize DIR}, parsed; once per directory and JVM. */
    static List<Map<String, Object>> rendered(String dir) {
        return RENDERED.computeIfAbsent(dir, d -> {
            String kubectl = System.getProperty("avis.kubectl", "kubectl");
            try {
                Process process = new ProcessBuilder(kubectl, "kustomize", d).redirectErrorStream(false).start();
                byte[] err;
                String out;
                var errReader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return process.getErrorStream().readAllBytes();
                    } catch (IOException e) {
                        return new byte[0];
                    }
                });
                out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                err = errReader.join();
                int rc = process.waitFor();
                assertThat(rc).as("%s kustomize %s failed: %s", kubectl, d,
                        new String(err, java.nio.charset.StandardCharsets.UTF_8)).isZero();
                List<Map<String, Object>> docs = new ArrayList<>();
                for (Object doc : new Yaml().loadAll(out)) {
                    if (doc != null) {
                        docs.add(map(doc));
                    }
                }
                return docs;
            } catch (IOException e) {
                throw new AssertionError("cannot run '" + kubectl + " kustomize " + d + "' (" + e.getMessage()
                        + "): install kubectl (bash .ci/run does) or pass -Davis.kubectl=PATH", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
    }

    private void render(String dir) {
        documents = rendered(dir);
    }

    @Test
    void shouldOnlyReferToFilesThatExistFromEveryKustomization() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file : files.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).toList()) {
                Map<String, Object> kustomization = map(new Yaml().load(Files.readString(file)));
                List<String> paths = new ArrayList<>();
                for (String field : List.of("resources", "bases", "patchesStrategicMerge")) {
                    if (kustomization.get(field) != null) {
                        list(kustomization.get(field)).forEach(r -> paths.add((String) r));
                    }
                }
                if (kustomization.get("patchesJson6902") != null) {
                    list(kustomization.get("patchesJson6902")).forEach(p -> paths.add((String) map(p).get("path")));
                }
                assertThat(paths).as(file.toString()).isNotEmpty().allSatisfy(r -> assertThat(
                        file.getParent().resolve(r)).as("%s lists %s", file, r).exists());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { BASE, CPU, GPU })
    void shouldRenderTheApplicationsResources(String dir) {
        render(dir);
        assertThat(documents).extracting(d -> (String) d.get("kind"))
                .contains("StatefulSet", "Service", "ConfigMap", "PodDisruptionBudget");
        assertThat(documents).allSatisfy(d -> assertThat(map(d.get("metadata")).get("labels")).isNotNull());
    }

    @ParameterizedTest
    @ValueSource(strings = { BASE, CPU, GPU })
    void shouldGoverTheStatefulSetWithAHeadlessServiceAndSelectItsPods(String dir) {
        render(dir);
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

    @ParameterizedTest
    @ValueSource(strings = { BASE, CPU, GPU })
    void shouldPutTheStateDirectoryOnAPersistentVolumeAndAdvertiseAStableApplicationServer(String dir)
            throws IOException {
        render(dir);
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

    @ParameterizedTest
    @ValueSource(strings = { BASE, CPU, GPU })
    void shouldOnlySetConfigurationKeysTheApplicationReads(String dir) throws IOException {
        render(dir);
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
        env.keySet().stream().filter(name -> !name.startsWith("POD_") && !JVM_ENV.contains(name))
                .forEach(name -> assertThat(knownEnv)
                .as("environment variable %s maps to no configuration key", name).contains(name));
    }

    @ParameterizedTest
    @ValueSource(strings = { BASE, CPU, GPU })
    void shouldLeaveMemoryOutsideTheHeapWithinALimitAboveTheMeasuredOverloadFootprint(String dir) throws Exception {
        render(dir);
        // Given
        Map<String, Object> container = container(map(only("StatefulSet").get("spec")));
        Map<String, Object> resources = map(container.get("resources"));
        long limit = bytes(map(resources.get("limits")).get("memory"));
        long request = bytes(map(resources.get("requests")).get("memory"));
        String jvm = env(container).get("JAVA_TOOL_OPTIONS");
        double heapShare = maxRamPercentage(jvm) / 100.0;

        // Then: the limit covers the measured footprint with headroom; the heap leaves enough native memory
        assertThat(limit).isGreaterThanOrEqualTo((long) (MEASURED_OVERLOAD_RSS * RSS_HEADROOM));
        assertThat(request).as("memory request = limit (Guaranteed QoS for memory)").isEqualTo(limit);
        assertThat(heapShare).isBetween(0.25, 0.6);
        assertThat((long) (limit * (1 - heapShare))).isGreaterThanOrEqualTo(MIN_NON_HEAP);
        assertThat(jvm).contains("-Dorg.bytedeco.javacpp.cachedir=");
        // The image's default split is the same, so a pod without the variable behaves alike.
        String dockerfile = Files.readString(Path.of(dir.equals(GPU) ? "docker/Dockerfile.gpu" : "docker/Dockerfile"));
        assertThat(maxRamPercentage(dockerfile)).isEqualTo(maxRamPercentage(jvm));
    }

    @ParameterizedTest
    @ValueSource(strings = { CPU, GPU })
    void shouldDeployTheGeneratedTopicsAndLetTheAutoscalerOwnTheReplicas(String dir) throws IOException {
        render(dir);
        // Given
        Map<String, Object> sts = only("StatefulSet");
        Map<String, Object> scaler = only("ScaledObject");
        Map<String, Object> target = map(map(scaler.get("spec")).get("scaleTargetRef"));
        Set<String> topics = new TreeSet<>();
        kind("KafkaTopic").forEach(t -> topics.add((String) map(t.get("spec")).get("topicName")));
        Set<String> contract = new TreeSet<>();
        K8sGeneratedResourcesTest.contract().all().forEach(t -> contract.add(t.name()));

        // Then
        assertThat(topics).isEqualTo(contract);
        assertThat(target.get("kind")).isEqualTo("StatefulSet");
        assertThat(target.get("name")).isEqualTo(name(sts));
        assertThat(map(sts.get("spec"))).as("replicas belong to the ScaledObject's HPA").doesNotContainKey("replicas");
        String bootstrap = mountedProperties().getProperty("kafka.bootstrap.servers");
        Map<String, Object> trigger = map(list(map(scaler.get("spec")).get("triggers")).get(0));
        assertThat(map(trigger.get("metadata")).get("bootstrapServers")).isEqualTo(bootstrap);
        assertThat(bootstrap).startsWith(K8sGeneratedResourcesTest.STRIMZI_CLUSTER + "-kafka-bootstrap.");
        assertThat(kind("KafkaTopic")).allSatisfy(t -> assertThat(map(map(t.get("metadata")).get("labels")))
                .containsEntry("strimzi.io/cluster", K8sGeneratedResourcesTest.STRIMZI_CLUSTER));
    }

    @Test
    void shouldRunTheCpuImageOnCpuAndTheGpuImageOnAGpu() {
        Map<String, Object> cpu = container(map(rendered(CPU).stream()
                .filter(d -> "StatefulSet".equals(d.get("kind"))).findFirst().orElseThrow().get("spec")));
        Map<String, Object> gpu = container(map(rendered(GPU).stream()
                .filter(d -> "StatefulSet".equals(d.get("kind"))).findFirst().orElseThrow().get("spec")));

        assertThat(cpu.get("image")).isEqualTo("avis-stream:cpu");
        assertThat(map(map(cpu.get("resources")).get("limits"))).doesNotContainKey("nvidia.com/gpu");
        assertThat(gpu.get("image")).isEqualTo("avis-stream:gpu");
        assertThat(map(map(gpu.get("resources")).get("limits"))).containsEntry("nvidia.com/gpu", 1);
        assertThat(env(gpu)).containsEntry("AVIS_ENGINE_KIND", "ort-tensorrt");
    }

    static double maxRamPercentage(String text) {
        Matcher matcher = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)").matcher(text == null ? "" : text);
        assertThat(matcher.find()).as("-XX:MaxRAMPercentage in %s", text).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    /** Kubernetes quantity (Ki, Mi, Gi, Ti, k, M, G, T or plain bytes) in bytes. */
    static long bytes(Object quantity) {
        Matcher matcher = Pattern.compile("([0-9.]+)([KMGT]i?|k)?").matcher(String.valueOf(quantity));
        assertThat(matcher.matches()).as("memory quantity %s", quantity).isTrue();
        double value = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(2) == null ? "" : matcher.group(2);
        double factor = switch (unit) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            case "k", "K" -> 1e3;
            case "M" -> 1e6;
            case "G" -> 1e9;
            case "T" -> 1e12;
            default -> 1;
        };
        return (long) (value * factor);
    }

    // ---------------------------------------------------------------------------------------------------------

    private Properties mountedProperties() throws IOException {
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

    private Map<String, Object> only(String kind) {
        List<Map<String, Object>> found = kind(kind);
        assertThat(found).as("exactly one %s", kind).hasSize(1);
        return found.get(0);
    }

    private List<Map<String, Object>> kind(String kind) {
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
