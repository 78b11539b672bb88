package io.avisstream.avis.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import io.avisstream.avis.topology.runtime.AvisStreams;

/** Liveness (the topology has not failed) and readiness (it is RUNNING) at {@code /q/health}. */
public final class StreamsHealthChecks {

    private StreamsHealthChecks() {
    }

    static HealthCheckResponse check(String name, KafkaStreams.State state, boolean ready) {
        return HealthCheckResponse.named(name).status(ready).withData("state", state == null ? "NOT_STARTED" : state.name())
                .build();
    }

    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        @Inject
        AvisStreams streams;

        @Override
        public HealthCheckResponse call() {
            KafkaStreams.State state = streams.kafkaStreams().map(KafkaStreams::state).orElse(null);
            boolean alive = state == null || (state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR);
            return check("avis-streams-liveness", state, alive);
        }
    }

    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        @Inject
        AvisStreams streams;

        @Override
        public HealthCheckResponse call() {
            KafkaStreams.State state = streams.kafkaStreams().map(KafkaStreams::state).orElse(null);
            return check("avis-streams-readiness", state, state == KafkaStreams.State.RUNNING);
        }
    }
}
