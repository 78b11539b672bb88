package io.avisstream.avis.topology.contract;

import java.util.Map;
import java.util.Optional;

/**
 * One topic of {@code topology/topics.yaml}.
 *
 * @param id short id used in code ({@code frames}, {@code audio}, {@code masks}, {@code events}, {@code dlq})
 * @param name versioned topic name
 * @param key what the key holds
 * @param valueSchema schema file under {@code topology/}, absent for the dead-letter topic (raw bytes)
 * @param partitions partition count at creation
 * @param replicationFactor replication factor at creation; -1 = broker default
 * @param configs topic-level configs (cleanup.policy, retention.ms, max.message.bytes, ...)
 */
public record TopicSpec(String id, String name, String key, Optional<String> valueSchema, int partitions,
        short replicationFactor, Map<String, String> configs) {
    public TopicSpec {
        if (id == null || id.isBlank() || name == null || name.isBlank()) {
            throw new IllegalArgumentException("topic id and name are required");
        }
        if (partitions <= 0) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be > 0, got " + partitions);
        }
        if (replicationFactor == 0 || replicationFactor < -1) {
            throw new IllegalArgumentException("topic " + name + ": replicationFactor must be -1 or > 0");
        }
        configs = Map.copyOf(configs);
    }

    /** {@code max.message.bytes} of this topic, or Kafka's default (1 MiB). */
    public int maxMessageBytes() {
        return Integer.parseInt(configs.getOrDefault("max.message.bytes", "1048588"));
    }
}
