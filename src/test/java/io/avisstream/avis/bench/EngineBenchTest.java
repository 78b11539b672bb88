package io.avisstream.avis.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Argument handling of the {@code bench} command (the bench itself prints numbers and asserts none). */
class EngineBenchTest {

    @Test
    void shouldParseEveryBenchOptionOverTheDefaults() {
        // Given / When
        EngineBench.Options defaults = EngineBench.parse(new String[0], Path.of("engines/models/tiny"));
        EngineBench.Options custom = EngineBench.parse(new String[] {"--model", "engines/build/r50", "--frames", "6",
                "--threads", "1", "--batches", "1,4", "--no-torch"}, Path.of("unused"));

        // Then
        assertThat(defaults.modelDir()).isEqualTo(Path.of("engines/models/tiny"));
        assertThat(defaults.frames()).isEqualTo(20);
        assertThat(defaults.batches()).containsExactly(1, 8);
        assertThat(defaults.torch()).isTrue();
        assertThat(custom.modelDir()).isEqualTo(Path.of("engines/build/r50"));
        assertThat(custom.frames()).isEqualTo(6);
        assertThat(custom.threads()).isEqualTo(1);
        assertThat(custom.batches()).containsExactly(1, 4);
        assertThat(custom.torch()).isFalse();
    }

    @Test
    void shouldRejectUnknownOrInvalidArguments() {
        assertThatThrownBy(() -> EngineBench.parse(new String[] {"--gpu"}, Path.of("m")))
                .hasMessageContaining("unknown bench argument --gpu").hasMessageContaining("usage: bench");
        assertThatThrownBy(() -> EngineBench.parse(new String[] {"--frames", "1"}, Path.of("m")))
                .hasMessageContaining("--frames >= 2");
        assertThatThrownBy(() -> EngineBench.parse(new String[] {"--model"}, Path.of("m")))
                .hasMessageContaining("--model needs a value");
    }

    @Test
    void shouldTakeNearestRankPercentiles() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(EngineBench.percentile(sorted, 0.5)).isEqualTo(5);
        assertThat(EngineBench.percentile(sorted, 0.99)).isEqualTo(10);
        assertThat(EngineBench.percentile(new double[] {42}, 0.99)).isEqualTo(42);
    }
}
