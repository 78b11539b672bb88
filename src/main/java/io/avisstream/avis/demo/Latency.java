package io.avisstream.avis.demo;

import io.avisstream.avis.message.MasksMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Time from sending a frame to receiving its masks record, over all frames and over inferred frames only
 * (those wait for their audio window, ~1 s of stream time, before the engine runs). Only meaningful with
 * {@code --realtime}: sent as fast as possible, frames queue behind each other and the numbers measure the backlog.
 *
 * @param all milliseconds for every frame that has both times, sorted
 * @param inferred milliseconds for the inferred frames, sorted
 */
record Latency(double[] all, double[] inferred) {

    static Latency of(Map<Long, Long> sentAtNanos, Map<Long, Long> receivedAtNanos, List<MasksMessage> masks) {
        double[] all = masks.stream().filter(m -> sentAtNanos.containsKey(m.seq()) && receivedAtNanos.containsKey(m.seq()))
                .mapToDouble(m -> millis(sentAtNanos, receivedAtNanos, m.seq())).sorted().toArray();
        double[] inferred = masks.stream().filter(MasksMessage::inferred)
                .filter(m -> sentAtNanos.containsKey(m.seq()) && receivedAtNanos.containsKey(m.seq()))
                .mapToDouble(m -> millis(sentAtNanos, receivedAtNanos, m.seq())).sorted().toArray();
        return new Latency(all, inferred);
    }

    private static double millis(Map<Long, Long> sent, Map<Long, Long> received, long seq) {
        return (received.get(seq) - sent.get(seq)) / 1e6;
    }

    /** Nearest-rank percentile of sorted values; NaN when empty. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    String describe() {
        return String.format(Locale.ROOT, "send -> masks record, ms: all frames p50 %.0f p95 %.0f max %.0f (n=%d); "
                + "inferred p50 %.0f max %.0f (n=%d)", percentile(all, 50), percentile(all, 95), percentile(all, 100),
                all.length, percentile(inferred, 50), percentile(inferred, 100), inferred.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Latency l && Arrays.equals(l.all, all) && Arrays.equals(l.inferred, inferred);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(all) + Arrays.hashCode(inferred);
    }

    @Override
    public String toString() {
        return "Latency[" + describe() + "]";
    }
}
