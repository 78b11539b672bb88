package io.avisstream.avis.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ListeningClockTest {
    @Test
    void shouldCountWallTimeBetweenStepsLessTheThreadsBusyTime() {
        ListeningClock clock = new ListeningClock(1_500);
        assertThat(clock.advance(10_000, 0)).isZero(); // the first step only starts the clock
        assertThat(clock.advance(10_750, 0)).isEqualTo(750);
        assertThat(clock.advance(11_500, 600)).isEqualTo(900); // 750 ms of wall time, 600 of it busy
        assertThat(clock.advance(12_000, 2_000)).isEqualTo(900); // busier than the wall time passed: never negative
    }

    @Test
    void shouldCreditAStallAtMostOneAndAHalfPunctuationIntervals() {
        ListeningClock clock = ListeningClock.forPunctuation(1_000);
        clock.advance(0, 0);
        assertThat(clock.advance(8_000, 0)).isEqualTo(1_500);
        assertThat(clock.advance(9_000, 0)).isEqualTo(2_500);
    }

    @Test
    void shouldPunctuateEveryQuarterOfIdleFlush() {
        assertThat(ListeningClock.punctuationInterval(TopologySettings.defaults())).isEqualTo(Duration.ofMillis(750));
    }
}
