package io.avisstream.avis.topology.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class TopicContractTest {
    private static final TopicContract CONTRACT = TopicContract.bundled();

    @Test
    void shouldDeclareTheVersionedTopicsWithSchemasThatExist() {
        // Given
        TopicContract contract = TopicContract.load(java.util.Optional.of(Path.of("topology/topics.yaml")));

        // Then
        assertThat(contract.all()).extracting(TopicSpec::name).containsExactly("avis.audio.v1", "avis.dlq.v1",
                "avis.events.v1", "avis.frames.v1", "avis.masks.v1");
        assertThat(contract.frames().partitions()).isEqualTo(contract.audio().partitions());
        assertThat(contract.frames().maxMessageBytes()).isGreaterThanOrEqualTo(1280 * 720 * 3 * 4 / 3);
        assertThat(contract.dlq().maxMessageBytes()).isGreaterThanOrEqualTo(contract.frames().maxMessageBytes());
        for (TopicSpec spec : contract.all()) {
            assertThat(spec.configs()).containsKeys("cleanup.policy", "retention.ms", "max.message.bytes");
            spec.valueSchema().ifPresent(schema -> assertThat(Files.exists(Path.of("topology").resolve(schema)))
                    .as(schema).isTrue());
        }
        assertThat(CONTRACT.frames().name()).isEqualTo(contract.frames().name());
    }

    @Test
    void shouldRejectAContractWhoseJoinedTopicsAreNotCoPartitioned() {
        String yaml = """
                topics:
                  - {id: frames, name: f, partitions: 6}
                  - {id: audio, name: a, partitions: 3}
                  - {id: masks, name: m, partitions: 6}
                  - {id: events, name: e, partitions: 6}
                  - {id: dlq, name: d, partitions: 1}
                """;
        assertThatThrownBy(() -> TopicContract.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "t"))
                .hasMessageContaining("same partition count");
    }
}
