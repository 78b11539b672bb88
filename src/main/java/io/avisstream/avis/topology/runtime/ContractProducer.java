package io.avisstream.avis.topology.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.avisstream.avis.topology.contract.TopicContract;

/**
 * The application's one {@link TopicContract}: the file of {@code avis.topology.topics-file}, or the bundled
 * {@code topology/topics.yaml} (with {@code avis.topology.input-retention} applied). Everything that names a topic (topology, lifecycle, dead-letter handler, demo,
 * commands) injects it.
 */
@ApplicationScoped
public class ContractProducer {

    @Produces
    @Singleton
    TopicContract contract(StreamsRuntimeConfig runtime) {
        TopicContract contract = TopicContract.load(runtime.topicsFile());
        // Data minimisation: raw frames and audio (faces, voices) are kept only as long as configured.
        return runtime.inputRetention().map(r -> contract.withRetention(r, "frames", "audio")).orElse(contract);
    }
}
