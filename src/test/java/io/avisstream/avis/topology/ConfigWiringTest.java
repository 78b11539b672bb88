package io.avisstream.avis.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.avisstream.avis.engine.Engine;
import io.avisstream.avis.events.EventsConfig;
import io.avisstream.avis.topology.runtime.AvisStreams;
import io.avisstream.avis.topology.runtime.StreamsRuntimeConfig;
import io.avisstream.avis.tracking.SoundingRule;
import io.avisstream.avis.tracking.TrackingConfig;
import io.quarkus.test.junit.QuarkusTest;

/** The CDI wiring: configuration mappings feed the topology, and the test engine replaces any real engine. */
@QuarkusTest
class ConfigWiringTest {
    @Inject
    Engine engine;
    @Inject
    JoinConfig join;
    @Inject
    InferenceConfig inference;
    @Inject
    TrackingConfig tracking;
    @Inject
    EventsConfig events;
    @Inject
    StreamsRuntimeConfig runtime;
    @Inject
    AvisStreams streams;

    @Test
    void shouldBuildTheTopologyFromConfigurationWithTheDocumentedDefaults() {
        // Given the application.properties of the test profile (idle-flush 4 s, the rest default)
        TopologySettings settings = TopologySettings.from(join, inference, tracking, events);

        // Then
        assertThat(engine.info().name()).isEqualTo(DeterministicTestEngine.NAME);
        assertThat(settings).isEqualTo(new TopologySettings(Duration.ofSeconds(2), Duration.ofSeconds(4), 500, 4096, 4096,
                Duration.ofSeconds(30), 1.0, 5.0, 0.5, 5, 0.8, SoundingRule.DEFAULT, 2, 2));
        assertThat(runtime.processingGuarantee()).isEqualTo("exactly_once_v2");
        assertThat(AvisTopology.build(engine, settings, streams.contract()).describe().toString())
                .contains(TopologyNames.JOIN, TopologyNames.TRACKER_STORE);
    }

    @Test
    void shouldJoinAsAStaticMemberWithAShortSessionAndTheSkipAndCountProductionHandler() {
        // When
        java.util.Properties props = streams.streamsProperties("127.0.0.1:1");

        // Then: a stable group.instance.id (HOSTNAME or the host name), a 10 s session, handlers that never FAIL
        assertThat(props.getProperty("main.consumer.group.instance.id"))
                .isNotBlank();
        assertThat(props.getProperty("consumer.session.timeout.ms")).isEqualTo("10000");
        assertThat(props.get("production.exception.handler")).isEqualTo(io.avisstream.avis.dlq.SkipFailedSendHandler.class);
        assertThat(props.getProperty("producer.max.request.size")).isEqualTo("8388608");
    }
}
