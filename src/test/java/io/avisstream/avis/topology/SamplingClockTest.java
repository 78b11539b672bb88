package io.avisstream.avis.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SamplingClockTest {
    private static final long SECOND = 1_000_000;

    @Test
    void shouldSampleTheFirstFrameAndThenOneFramePerSlotOfTheGrid() {
        // Given 25 fps frames from pts 120 ms, sampled at 1 fps
        List<Long> sampled = new ArrayList<>();
        SamplingClock clock = SamplingClock.initial();

        // When
        for (int i = 0; i < 60; i++) {
            long pts = 120_000 + i * 40_000L;
            Optional<SamplingClock> next = clock.sample(pts, SECOND);
            if (next.isPresent()) {
                sampled.add(pts);
                clock = next.get();
            }
        }

        // Then the grid is anchored at the first frame
        assertThat(sampled).containsExactly(120_000L, 1_120_000L, 2_120_000L);
        assertThat(clock).isEqualTo(new SamplingClock(120_000, 2));
    }

    @Test
    void shouldToleratePtsJitterOfHalfAMillisecond() {
        SamplingClock clock = new SamplingClock(0, 0);
        assertThat(clock.sample(SECOND - 500, SECOND)).contains(new SamplingClock(0, 1));
        assertThat(clock.sample(SECOND - 501, SECOND)).isEmpty();
    }

    @Test
    void shouldSampleEveryFrameWithoutRememberingASlotWhenThePeriodIsZero() {
        SamplingClock clock = SamplingClock.initial().sample(7, 0).orElseThrow();
        assertThat(clock).isEqualTo(new SamplingClock(7, -1));
        assertThat(clock.sample(7, 0)).contains(new SamplingClock(7, -1));
    }
}
