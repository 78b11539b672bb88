package io.avisstream.avis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The package plan (ARCHITECTURE.md), enforced on the imports of the main sources: which package may use which, the
 * Kafka-free ground floor, and no cycle between packages. A new package, or a new arrow, is a line here first.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/io/avisstream/avis");
    private static final String BASE = "io.avisstream.avis";
    /** The root package ({@code Main}, {@code AvisCommand}). */
    private static final String ROOT = "(root)";

    /**
     * Every package and the packages it may import, from the ground floor up. Arrows point down only; sub-packages
     * are packages of their own, except {@code api.demo} (the demo's Kafka transport), which belongs to {@code api}.
     */
    static final Map<String, Set<String>> ALLOWED = allowed(
            ROOT, "",
            "message", "",
            "events", "",
            "media", "message",
            "audio", "message",
            "tracking", "media",
            "engine", "media audio message",
            "ingest", "audio media message " + ROOT,
            "bench", "engine media audio message " + ROOT,
            "eval", "media " + ROOT,
            "dlq", "message",
            "topology.contract", "message",
            "topology", "topology.contract dlq engine tracking events media message",
            "topology.runtime", "topology topology.contract dlq engine tracking events media message",
            "demo", "ingest media message " + ROOT,
            // Observers of the running pipeline (PipelineObserver beans): Micrometer metrics, the live dashboard.
            "metrics", "topology engine media message",
            "dashboard", "topology.runtime topology media message",
            "api", "topology.runtime topology topology.contract dlq tracking demo ingest message " + ROOT,
            // predict: the engine over a benchmark split, offline-exact or through the topology in a test driver
            "score", "topology topology.contract engine tracking ingest eval media message " + ROOT);

    /** The only packages that may import Kafka; everything else is plain Java, testable without a broker. */
    static final Set<String> KAFKA = Set.of("topology", "topology.contract", "topology.runtime", "dlq", "api",
            "metrics", "dashboard", "score");

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?" + Pattern.quote(BASE) + "\\.([\\w.]+);",
            Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.])" + Pattern.quote(BASE) + "\\.([a-z][\\w.]*\\.[A-Z]\\w*)");

    @Test
    void shouldDeclareEveryPackageInThePlan() throws IOException {
        // Given the packages of the main sources
        Set<String> packages = new TreeSet<>(sources().values());

        // Then every one has its line in ALLOWED
        assertThat(ALLOWED.keySet()).as("packages without a place in the plan: add them to ALLOWED")
                .containsAll(packages);
    }

    @Test
    void shouldKeepTheScoringPackageAboveTheEngineTheTopologyAndTheMetrics() throws IOException {
        // Given: score (predict) drives the engine through the topology and writes what eval reads
        Set<String> below = Set.of("engine", "topology", "eval", "ingest");

        // Then: it may use them, none of them (nor anything under them) may use it, and it is a Kafka package
        assertThat(ALLOWED.get("score")).containsAll(below);
        assertThat(ALLOWED.entrySet()).filteredOn(e -> e.getValue().contains("score")).isEmpty();
        assertThat(KAFKA).contains("score");
        assertThat(sources().entrySet()).filteredOn(e -> !e.getValue().equals("score"))
                .allSatisfy(e -> assertThat(dependencies(e.getKey())).doesNotContain("score"));
    }

    @Test
    void shouldImportOnlyAlongTheAllowedArrows() throws IOException {
        // Given
        Map<Path, String> sources = sources();

        // When
        List<String> violations = new ArrayList<>();
        for (Map.Entry<Path, String> source : sources.entrySet()) {
            String from = source.getValue();
            for (String to : dependencies(source.getKey())) {
                if (!to.equals(from) && !ALLOWED.getOrDefault(from, Set.of()).contains(to)) {
                    violations.add(MAIN.relativize(source.getKey()) + ": " + from + " -> " + to);
                }
            }
        }

        // Then
        assertThat(violations).isEmpty();
    }

    @Test
    void shouldHaveNoCycleBetweenPackages() throws IOException {
        // Given the package graph as the code has it (not as the plan allows it)
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Map.Entry<Path, String> source : sources().entrySet()) {
            Set<String> out = graph.computeIfAbsent(source.getValue(), k -> new TreeSet<>());
            dependencies(source.getKey()).stream().filter(to -> !to.equals(source.getValue())).forEach(out::add);
        }

        // Then
        assertThat(cycle(graph)).as("package cycle").isEmpty();
        assertThat(cycle(ALLOWED)).as("the plan itself has a cycle").isEmpty();
    }

    @Test
    void shouldImportKafkaOnlyFromTheStreamingPackages() throws IOException {
        // Given every main source file outside the streaming packages
        List<String> violations = new ArrayList<>();
        for (Map.Entry<Path, String> source : sources().entrySet()) {
            if (KAFKA.contains(source.getValue())) {
                continue;
            }
            Files.readAllLines(source.getKey()).stream()
                    .filter(l -> l.startsWith("import org.apache.kafka.") || l.startsWith("import kafka."))
                    .map(l -> MAIN.relativize(source.getKey()) + ": " + l).forEach(violations::add);
        }

        // Then
        assertThat(violations).isEmpty();
    }

    /** Main source file -> its package, relative to the base package. */
    private static Map<Path, String> sources() throws IOException {
        Map<Path, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> out.put(p, packageOf(MAIN.relativize(p.getParent()))));
        }
        return out;
    }

    private static String packageOf(Path dir) {
        String name = dir.toString().replace('/', '.');
        if (name.isEmpty()) {
            return ROOT;
        }
        return name.startsWith("api.") ? "api" : name;
    }

    /** The packages a file uses: imports and fully qualified names of the base package. */
    private static Set<String> dependencies(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> out = new LinkedHashSet<>();
        for (Pattern p : List.of(IMPORT, QUALIFIED)) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                out.add(packageOfType(m.group(1)));
            }
        }
        return out;
    }

    /** {@code topology.runtime.AvisStreams} -> {@code topology.runtime}; a static import's member is dropped. */
    private static String packageOfType(String qualified) {
        String[] parts = qualified.split("\\.");
        List<String> pkg = new ArrayList<>();
        for (String part : parts) {
            if (Character.isUpperCase(part.charAt(0))) {
                break;
            }
            pkg.add(part);
        }
        return pkg.isEmpty() ? ROOT : packageOf(Path.of(String.join("/", pkg)));
    }

    /** One cycle of the graph (as a path a -> ... -> a), or an empty list. */
    private static List<String> cycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new HashMap<>();
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            if (visit(start, graph, state, path)) {
                return path;
            }
        }
        return List.of();
    }

    private static boolean visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state, List<String> path) {
        int s = state.getOrDefault(node, 0);
        if (s == 2) {
            return false;
        }
        path.add(node);
        if (s == 1) {
            path.subList(0, path.indexOf(node)).clear();
            return true;
        }
        state.put(node, 1);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (visit(next, graph, state, path)) {
                return true;
            }
        }
        state.put(node, 2);
        path.remove(path.size() - 1);
        return false;
    }

    private static Map<String, Set<String>> allowed(String... pairs) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Set<String> to = new TreeSet<>();
            for (String t : pairs[i + 1].split(" ")) {
                if (!t.isBlank()) {
                    to.add(t);
                }
            }
            out.put(pairs[i], to);
        }
        return out;
    }
}
