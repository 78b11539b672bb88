package io.avisstream.avis.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.avisstream.avis.topology.contract.TopicContract;

/** Raw frames and audio are kept only as long as configured: input topics and the join buffers' changelogs. */
class RetentionSettingsTest {

    @Test
    void shouldShortenOnlyTheInputTopicsRetention() {
        // Given
        TopicContract bundled = TopicContract.bundled();

        // When
        TopicContract contract = bundled.withRetention(Duration.ofMinutes(15), "frames", "audio");

        // Then
        assertThat(contract.frames().spec().configs()).containsEntry("retention.ms", "900000")
                .containsEntry("max.message.bytes", bundled.frames().spec().configs().get("max.message.bytes"));
        assertThat(contract.audio().spec().configs()).containsEntry("retention.ms", "900000");
        assertThat(contract.masks().spec().configs()).isEqualTo(bundled.masks().spec().configs());
        assertThat(contract.dlq().spec().configs()).isEqualTo(bundled.dlq().spec().configs());
    }

    @Test
    void shouldDeleteBufferedFramesAndAudioFromTheirChangelogsByAge() {
        // When
        Map<String, String> changelog = AvisTopology.bufferChangelog(Duration.ofMinutes(10));

        // Then
        assertThat(changelog).containsOnly(Map.entry("cleanup.policy", "compact,delete"),
                Map.entry("retention.ms", "600000"), Map.entry("segment.ms", "300000"),
                Map.entry("delete.retention.ms", "60000"), Map.entry("min.compaction.lag.ms", "0"));
    }

    @Test
    void shouldRefuseAChangelogRetentionShorterThanWhatTheBuffersHoldBack() {
        assertThatThrownBy(() -> AvisTopology.build(new DeterministicTestEngine(), TopologySettings.defaults(),
                TopicContract.bundled(), Duration.ofSeconds(30)))
                .hasMessageContaining("avis.join.changelog-retention");
        assertThatThrownBy(() -> AvisTopology.build(new DeterministicTestEngine(),
                TopologySettings.defaults().withGrace(Duration.ofMinutes(5)), TopicContract.bundled(), Duration.ofMinutes(2)))
                .hasMessageContaining("avis.join.changelog-retention");
    }
}
