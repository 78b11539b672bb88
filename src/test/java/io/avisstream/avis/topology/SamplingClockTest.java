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
    void shouldOpenANewMaskSlotOnTheFirstFrameOfEachSlotOfTheSecondGridAnchoredLikeTheFirst() {
        // Given the grid anchored at 120 ms and fresh masks at 5 fps (200 ms slots)
        SamplingClock clock = new SamplingClock(120_000, 0);
        long period = SECOND / 5;

        // Then, after masks computed at 120 ms (slot 0): 280 ms is still slot 0, 320 ms opens slot 1
        assertThat(clock.newSlot(280_000, 120_000, period)).isFalse();
        assertThat(clock.newSlot(320_000, 120_000, period)).isTrue();
        assertThat(clock.newSlot(320_000 - 500, 120_000, period)).as("half a millisecond of jitter").isTrue();
        assertThat(clock.newSlot(360_000, 320_000, period)).isFalse();
        assertThat(SamplingClock.initial().newSlot(320_000, 120_000, period)).as("no anchor yet").isFalse();
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
