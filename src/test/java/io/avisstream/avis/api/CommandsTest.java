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
        assertThat(result.getOutput()).contains("serve", "topics", "mel", "ingest", "consume", "(default: serve;");
    }

    @Test
    @Launch(value = { "no-such-command" }, exitCode = 64)
    void shouldFailWithOneLineWhenTheCommandIsUnknown(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("unknown command 'no-such-command'");
        assertThat(result.getOutput()).isEmpty();
    }

    @Test
    @Launch(value = { "serve", "--bogus" }, exitCode = 64)
    void shouldRefuseAnUnknownServeOptionWithoutStarting(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("serve: unknown option --bogus").doesNotContain("Exception");
    }

    @Test
    @Launch(value = { "bench", "--model", "/nonexistent/avis-model", "--no-torch" }, exitCode = 70)
    void shouldNameAMissingModelInOneLineWithoutAStackTrace(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("bench: ").contains("/nonexistent/avis-model/manifest.json")
                .doesNotContain("\tat ").doesNotContain("Caused by");
    }

    @Test
    @Launch(value = { "topics", "--bogus" }, exitCode = 64)
    void shouldRefuseAnUnknownTopicsOption(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("topics: unknown option --bogus");
    }

    @Test
    @Launch({ "ingest", "--help" })
    void shouldPrintTheCommandsOptionsWhenAskedForItsHelp(LaunchResult result) {
        assertThat(result.getOutput()).contains("--input", "--stream", "--encoding", "exit codes");
    }

    @Test
    @Launch(value = { "ingest", "--input", "rtsp://127.0.0.1:1/none", "--bogus" }, exitCode = 64)
    void shouldRefuseAnUnknownIngestOption(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("ingest: unknown option --bogus").doesNotContain("Exception");
    }

    @Test
    @Launch(value = { "ingest", "--input", "target/no-such-clip.mp4", "--stream", "x" }, exitCode = 66)
    void shouldRefuseAMissingInputFileWithOneLine(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("ingest: --input target/no-such-clip.mp4 is not a readable file")
                .doesNotContain("Exception");
    }

    @Test
    @Launch(value = { "consume", "--topic", "frames" }, exitCode = 64)
    void shouldRefuseATopicConsumeDoesNotRead(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("consume: --topic must be masks, events or dlq");
    }

    @Test
    @Launch(value = { "topics", "--apply" }, exitCode = 2)
    void shouldRefuseToApplyTopicsWithoutAClusterWhenNoBootstrapServersAreSet(LaunchResult result) {
        assertThat(result.exitCode()).isEqualTo(2);
    }
}
