package io.avisstream.avis.topology;

import java.time.Duration;

import org.apache.kafka.streams.TopologyTestDriver;

/**
 * How long a join processor has been listening for input: wall time during which its stream thread was free to read
 * records (polling, or between records), not working ({@link ThreadBusy}) and not stalled.
 *
 * <p>The join's idle flush must fire when a stream has sent nothing while the service could have read it. The stream
 * thread also spends wall time where it cannot read: a transaction commit, a rebalance inside {@code poll}, a GC
 * pause. A stall of seconds would otherwise make {@code idle-flush} expire before the next poll, and frames whose
 * audio is already written would come out {@code partial}. So the clock advances at each record and each wall-clock
 * punctuation by the wall time since the previous one minus the thread's busy time, credited at most
 * {@link #maxCreditMs} per step: between two punctuations of a free thread there is one punctuation interval plus one
 * poll; anything longer is a stall, not silence.
 */
public final class ListeningClock {
    private final long maxCreditMs;
    private long listenedMs;
    private long lastWallMs = -1;
    private long lastBusyMs;

    ListeningClock(long maxCreditMs) {
        if (maxCreditMs <= 0) {
            throw new IllegalArgumentException("maxCreditMs must be > 0, got " + maxCreditMs);
        }
        this.maxCreditMs = maxCreditMs;
    }

    /** For a join whose punctuation runs every {@code punctuationMs}. */
    static ListeningClock forPunctuation(long punctuationMs) {
        return new ListeningClock(punctuationMs * 3 / 2);
    }

    /**
     * Advances to {@code wallMs}, the thread having been busy {@code busyMs} in total so far, and returns the time
     * listened since this clock's first call.
     */
    long advance(long wallMs, long busyMs) {
        if (lastWallMs >= 0) {
            long waited = (wallMs - lastWallMs) - (busyMs - lastBusyMs);
            listenedMs += Math.max(0, Math.min(maxCreditMs, waited));
        }
        lastWallMs = wallMs;
        lastBusyMs = busyMs;
        return listenedMs;
    }

    /** The join's wall-clock punctuation interval: a quarter of idle-flush, within [100 ms, 1 s]. */
    static Duration punctuationInterval(TopologySettings settings) {
        return Duration.ofMillis(Math.max(100, Math.min(1000, settings.idleFlush().toMillis() / 4)));
    }

    /**
     * Lets {@code wallTime} pass on a test driver the way it passes for a running service: in punctuation-sized
     * steps (one big jump would read as a stall and not count as listening). For offline replays (scoring, the
     * live-mode simulation) and tests.
     */
    public static void letTimePass(TopologyTestDriver driver, TopologySettings settings, Duration wallTime) {
        Duration step = punctuationInterval(settings);
        for (Duration left = wallTime; !left.isNegative() && !left.isZero(); left = left.minus(step)) {
            driver.advanceWallClockTime(left.compareTo(step) < 0 ? left : step);
        }
    }
}
