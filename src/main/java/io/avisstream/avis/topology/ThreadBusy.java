package io.avisstream.avis.topology;

/**
 * Per stream thread: the wall time it has spent processing records (decode, join, inference and events of one input
 * record, and the join's idle flushes), in milliseconds.
 *
 * <p>The join's idle flush must fire when a stream has sent nothing, not when its records are waiting while the thread
 * works on other tasks (after a restart, the backlog of one task can keep the thread busy for longer than
 * {@code idle-flush}; a stream of another task would then be flushed with partial audio although its audio is
 * already written, and the output would differ from a failure-free run's). So {@link ListeningClock} subtracts the
 * time this thread was busy from the wall time since a stream's last record: time spent waiting for input.
 */
final class ThreadBusy {
    private static final ThreadLocal<long[]> BUSY_NANOS = ThreadLocal.withInitial(() -> new long[1]);

    private ThreadBusy() {
    }

    /** Busy time of the calling thread so far. */
    static long millis() {
        return BUSY_NANOS.get()[0] / 1_000_000;
    }

    /** Adds {@code nanos} of work to the calling thread's busy time. */
    static void add(long nanos) {
        BUSY_NANOS.get()[0] += Math.max(0, nanos);
    }
}
