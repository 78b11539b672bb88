package io.avisstream.avis.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.avisstream.avis.topology.runtime.EmbeddedKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** {@code topics --apply} creates the contract's topics on the cluster of {@code kafka.bootstrap.servers}. */
@QuarkusMainTest
@WithTestResource(EmbeddedKafkaResource.class)
class TopicsApplyIT {

    @Test
    @Launch({ "topics", "--apply" })
    void shouldCreateEveryContractTopicOnTheConfiguredCluster(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput().lines().filter(l -> l.startsWith("avis.") && l.endsWith("created")))
                .hasSize(5);
    }
}
