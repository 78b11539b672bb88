package io.avisstream.avis.topology.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.avisstream.avis.topology.contract.TopicContract;

/**
 * The application's one {@link TopicContract}: the file of {@code avis.topology.topics-file}, or the bundled
 * {@code topology/topics.yaml}. Everything that names a topic (topology, lifecycle, dead-letter handler, demo,
 * commands) injects it.
 */
@ApplicationScoped
public class ContractProducer {

    @Produces
    @Singleton
    TopicContract contract(StreamsRuntimeConfig runtime) {
        return TopicContract.load(runtime.topicsFile());
    }
}
