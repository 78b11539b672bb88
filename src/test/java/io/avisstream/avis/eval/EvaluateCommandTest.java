package io.avisstream.avis.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * The packaged entry point runs {@code evaluate} (case c05 of the spec in {@code src/test/resources/eval/cli}) and
 * turns a usage error into exit 64.
 */
@QuarkusMainTest
class EvaluateCommandTest {

    @Test
    @Launch({ "evaluate", "--gt", "src/test/resources/eval/cli/GT.json", "--results",
            "src/test/resources/eval/cli/RESULTS.json" })
    void shouldPrintTheMetricsTableWhenRunThroughTheEntryPoint(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("AP_all      50.0  (mAP)", "HOTA       70.71", "FA           0.0  (FSLA)");
    }

    @Test
    @Launch(value = { "evaluate", "--results", "src/test/resources/eval/cli/RESULTS.json" }, exitCode = 64)
    void shouldExitSixtyFourWithOneLineWhenTheGtIsMissing(LaunchResult result) {
        assertThat(result.getErrorOutput() + result.getOutput()).contains("evaluate: --gt is required");
    }
}
