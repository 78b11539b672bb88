package io.avisstream.avis.topology.runtime;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Test resource: an in-process KRaft broker started before the application, handed to it as
 * {@code kafka.bootstrap.servers} (the "external cluster" path of the service). No Docker involved.
 */
public class EmbeddedKafkaResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedKafka kafka;

    @Override
    public Map<String, String> start() {
        kafka = EmbeddedKafka.startTemporary();
        // With an external cluster the state directory is not tied to a broker: give this run its own.
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                "avis.topology.state-dir", kafka.dataDir().resolve("streams-state").toString());
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
