package io.avisstream.avis.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.avisstream.avis.message.MasksMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyTest {

    private static MasksMessage masks(long seq, boolean inferred) {
        return new MasksMessage("s", seq, seq * 40_000, 4, 4, "complete", inferred, inferred ? seq : 0, "test",
                List.of());
    }

    @Test
    void shouldMeasureSendToReceiveTimePerFrameAndForInferredFramesAlone() {
        // Given: frames 0 (inferred), 1, 2 sent at 0 ms, received 1000, 20 and 30 ms later; frame 3 never sent here
        Map<Long, Long> sent = Map.of(0L, 0L, 1L, 40_000_000L, 2L, 80_000_000L);
        Map<Long, Long> received = Map.of(0L, 1_000_000_000L, 1L, 60_000_000L, 2L, 110_000_000L, 3L, 5L);
        List<MasksMessage> records = List.of(masks(0, true), masks(1, false), masks(2, false), masks(3, false));

        // When
        Latency latency = Latency.of(sent, received, records);

        // Then
        assertThat(latency.all()).containsExactly(20.0, 30.0, 1000.0);
        assertThat(latency.inferred()).containsExactly(1000.0);
        assertThat(Latency.percentile(latency.all(), 50)).isEqualTo(30.0);
        assertThat(Latency.percentile(latency.all(), 100)).isEqualTo(1000.0);
        assertThat(latency.describe()).contains("p50 30", "max 1000", "n=3", "n=1");
    }

    @Test
    void shouldReportNaNWithoutSamples() {
        assertThat(Latency.percentile(new double[0], 50)).isNaN();
    }
}
