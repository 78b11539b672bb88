package io.avisstream.avis.topology;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The topic contract, loaded from {@code topology/topics.yaml} (on the classpath, or a file given by
 * {@code avis.topology.topics-file}). Immutable.
 */
public final class TopicContract {
    public static final String RESOURCE = "topology/topics.yaml";
    /** Ids the topology needs; the file may not drop any of them. */
    public static final List<String> REQUIRED_IDS = List.of("frames", "audio", "masks", "events", "dlq");

    private final Map<String, TopicSpec> byId;

    private TopicContract(Map<String, TopicSpec> byId) {
        this.byId = byId;
    }

    /** The contract shipped inside the application. */
    public static TopicContract bundled() {
        try (InputStream in = TopicContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return parse(in, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TopicContract load(Optional<Path> file) {
        if (file.isEmpty()) {
            return bundled();
        }
        try (InputStream in = Files.newInputStream(file.get())) {
            return parse(in, file.get().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read topic contract " + file.get(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static TopicContract parse(InputStream in, String origin) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        if (!(root instanceof Map<?, ?> map) || !(map.get("topics") instanceof List<?> topics)) {
            throw new IllegalArgumentException(origin + ": expected a top-level 'topics' list");
        }
        Map<String, TopicSpec> byId = new LinkedHashMap<>();
        for (Object entry : topics) {
            Map<String, Object> t = (Map<String, Object>) entry;
            Map<String, String> configs = new LinkedHashMap<>();
            Object rawConfigs = t.get("configs");
            if (rawConfigs instanceof Map<?, ?> c) {
                c.forEach((k, v) -> configs.put(String.valueOf(k), String.valueOf(v)));
            }
            TopicSpec spec = new TopicSpec(str(t, "id", origin), str(t, "name", origin),
                    String.valueOf(t.getOrDefault("key", "")),
                    Optional.ofNullable(t.get("valueSchema")).map(String::valueOf),
                    ((Number) t.getOrDefault("partitions", 1)).intValue(),
                    ((Number) t.getOrDefault("replicationFactor", -1)).shortValue(), configs);
            if (byId.put(spec.id(), spec) != null) {
                throw new IllegalArgumentException(origin + ": duplicate topic id " + spec.id());
            }
        }
        for (String id : REQUIRED_IDS) {
            if (!byId.containsKey(id)) {
                throw new IllegalArgumentException(origin + ": topic '" + id + "' is missing");
            }
        }
        if (byId.get("frames").partitions() != byId.get("audio").partitions()) {
            throw new IllegalArgumentException(origin + ": frames and audio must have the same partition count");
        }
        return new TopicContract(Map.copyOf(byId));
    }

    private static String str(Map<String, Object> t, String key, String origin) {
        Object v = t.get(key);
        if (v == null) {
            throw new IllegalArgumentException(origin + ": topic entry without '" + key + "': " + t);
        }
        return String.valueOf(v);
    }

    public TopicSpec get(String id) {
        TopicSpec spec = byId.get(id);
        if (spec == null) {
            throw new IllegalArgumentException("no topic with id " + id);
        }
        return spec;
    }

    public TopicSpec frames() {
        return get("frames");
    }

    public TopicSpec audio() {
        return get("audio");
    }

    public TopicSpec masks() {
        return get("masks");
    }

    public TopicSpec events() {
        return get("events");
    }

    public TopicSpec dlq() {
        return get("dlq");
    }

    /** All topics in a stable order (by name). */
    public List<TopicSpec> all() {
        List<TopicSpec> list = new ArrayList<>(byId.values());
        list.sort((a, b) -> a.name().compareTo(b.name()));
        return List.copyOf(list);
    }
}
