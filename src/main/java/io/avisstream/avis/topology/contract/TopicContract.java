package io.avisstream.avis.topology.contract;

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

import org.apache.kafka.common.serialization.Serdes;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.EventMessage;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;

/**
 * The topic contract, loaded from {@code topology/topics.yaml} (on the classpath, or a file given by
 * {@code avis.topology.topics-file}), with a typed descriptor per topic ({@code contract.frames().valueSerde()}):
 * the one way for producers and consumers of the service (topology, demo, dead-letter handler, tests) to name a
 * topic. Immutable. The application has one instance, a CDI bean (see {@code ContractProducer}); there are no static
 * topic names, so a contract file given at run time reaches every user.
 */
public final class TopicContract {
    public static final String RESOURCE = "topology/topics.yaml";
    /** Ids the topology needs; the file may not drop any of them. */
    public static final List<String> REQUIRED_IDS = List.of("frames", "audio", "masks", "events", "dlq");

    private final Map<String, TopicSpec> byId;
    private final Topic<String, FrameMessage> frames;
    private final Topic<String, AudioChunkMessage> audio;
    private final Topic<String, MasksMessage> masks;
    private final Topic<String, EventMessage> events;
    private final Topic<byte[], byte[]> dlq;

    private TopicContract(Map<String, TopicSpec> byId) {
        this.byId = byId;
        this.frames = new Topic<>(get("frames"), Serdes.String(), new JsonSerde<>(MessageCodec.FRAMES));
        this.audio = new Topic<>(get("audio"), Serdes.String(), new JsonSerde<>(MessageCodec.AUDIO));
        this.masks = new Topic<>(get("masks"), Serdes.String(), new JsonSerde<>(MessageCodec.MASKS));
        this.events = new Topic<>(get("events"), Serdes.String(), new JsonSerde<>(MessageCodec.EVENTS));
        this.dlq = new Topic<>(get("dlq"), Serdes.ByteArray(), Serdes.ByteArray());
    }

    /** The contract shipped inside the application (tests and tools; the service injects its contract). */
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

    /** The contract of {@code file}, or the bundled one when absent. */
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

    /**
     * This contract with {@code retention.ms} of the topics {@code ids} replaced (e.g. the raw frames and audio kept
     * for less time than the contract file says); creation uses the new value, existing topics keep theirs.
     */
    public TopicContract withRetention(java.time.Duration retention, String... ids) {
        Map<String, TopicSpec> changed = new LinkedHashMap<>(byId);
        for (String id : ids) {
            TopicSpec spec = get(id);
            Map<String, String> configs = new LinkedHashMap<>(spec.configs());
            configs.put("retention.ms", Long.toString(retention.toMillis()));
            changed.put(id, new TopicSpec(spec.id(), spec.name(), spec.key(), spec.valueSchema(), spec.partitions(),
                    spec.replicationFactor(), configs));
        }
        return new TopicContract(Map.copyOf(changed));
    }

    public TopicSpec get(String id) {
        TopicSpec spec = byId.get(id);
        if (spec == null) {
            throw new IllegalArgumentException("no topic with id " + id);
        }
        return spec;
    }

    /** Video frames in (key: stream id). */
    public Topic<String, FrameMessage> frames() {
        return frames;
    }

    /** Audio chunks in (key: stream id); co-partitioned with {@link #frames()}. */
    public Topic<String, AudioChunkMessage> audio() {
        return audio;
    }

    /** One masks record per frame out (key: stream id). */
    public Topic<String, MasksMessage> masks() {
        return masks;
    }

    /** Onset / offset / count-change events out (key: stream id). */
    public Topic<String, EventMessage> events() {
        return events;
    }

    /** Dead letters: the original key and value bytes, with {@code avis.dlq.*} headers. */
    public Topic<byte[], byte[]> dlq() {
        return dlq;
    }

    /** Largest record the service writes: frames are buffered in changelogs and dead-lettered as they came. */
    public int largestRecordBytes() {
        return Math.max(frames.maxMessageBytes(), dlq.maxMessageBytes());
    }

    /** All topics in a stable order (by name). */
    public List<TopicSpec> all() {
        List<TopicSpec> list = new ArrayList<>(byId.values());
        list.sort((a, b) -> a.name().compareTo(b.name()));
        return List.copyOf(list);
    }
}
