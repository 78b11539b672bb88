package io.avisstream.avis.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** The packaged entry point dispatches commands (the real Quarkus main, not a mock). */
@QuarkusMainTest
class CommandsTest {

    @Test
    @Launch({ "topics" })
    void shouldPrintTheTopicContractWhenRunningTopics(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("avis.frames.v1", "avis.audio.v1", "avis.masks.v1", "avis.events.v1",
                "avis.dlq.v1", "schemas/frame.schema.json");
    }

    @Test
    @Launch({ "help" })
    void shouldListTheCommandsWhenAskedForHelp(LaunchResult result) {
        assertThat(result.getOutput()).contains("serve", "topics", "mel", "(default: serve)");
    }

    @Test
    @Launch(value = { "no-such-command" }, exitCode = 2)
    void shouldFailWithUsageWhenTheCommandIsUnknown(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("usage:");
    }

    @Test
    @Launch(value = { "topics", "--apply" }, exitCode = 2)
    void shouldRefuseToApplyTopicsWithoutAClusterWhenNoBootstrapServersAreSet(LaunchResult result) {
        assertThat(result.exitCode()).isEqualTo(2);
    }
}
