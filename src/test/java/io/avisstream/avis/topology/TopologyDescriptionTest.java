package io.avisstream.avis.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.avisstream.avis.topology.contract.TopicContract;

/**
 * The checked-in {@code topology/topology-description.txt} is the topology's shape (names, stores, topics).
 * This test fails when the code drifts from it; after an intended change, regenerate it with
 * {@code mvn -q -Dtest=TopologyDescriptionTest -Davis.topology.update-golden=true test} and review the diff.
 */
class TopologyDescriptionTest {
    private static final TopicContract CONTRACT = TopicContract.bundled();
    static final Path GOLDEN = Path.of("topology/topology-description.txt");

    @Test
    void shouldMatchTheCheckedInTopologyDescription() throws IOException {
        // Given
        String actual = AvisTopology.build(new DeterministicTestEngine(), TopologySettings.defaults(), CONTRACT)
                .describe().toString();

        // When
        if (Boolean.getBoolean("avis.topology.update-golden")) {
            Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
        }

        // Then
        assertThat(actual).as("topology drifted from %s (see this test's javadoc to regenerate)", GOLDEN)
                .isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }
}
