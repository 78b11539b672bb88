package io.avisstream.avis.tracking;

/**
 * Which detections of a frame are flagged sounding (README, "Sounding flag"; {@code avis.tracking.sounding-rule} and
 * {@code avis.tracking.heard-threshold}). The official inference has no per-frame sounding output: its video-level
 * scores hold for a whole window, so a source that falls silent keeps them for as long as the window still holds its
 * sounding seconds.
 *
 * <ul>
 * <li>{@link Kind#HEARD} (default): the count head says how many sound, the frame decoder says which. A detection
 * is heard when the frame decoder, which hears only this frame's audio second, has a query overlapping it that
 * gives its class a probability of at least {@code heardThreshold} ({@code engine.FrameHearing}); the heard ones
 * sound, the most strongly heard first, at most as many as the count head's most probable count (its last class
 * and no count head: no cap). Engines without frame-level hearing fall back to {@link Kind#COUNT}.</li>
 * <li>{@link Kind#COUNT}: the k best-scoring detections, k = the count head's most probable count (its last class,
 * "at least Kmax": all; no count head: all). The rule before the frame decoder was used.</li>
 * </ul>
 */
public record SoundingRule(Kind kind, double heardThreshold) {

    /** The two rules. */
    public enum Kind {
        HEARD, COUNT
    }

    /** Default of {@code avis.tracking.heard-threshold} (chosen on the benchmark's validation split). */
    public static final double DEFAULT_HEARD_THRESHOLD = 0.5;

    /** The service default. */
    public static final SoundingRule DEFAULT = new SoundingRule(Kind.HEARD, DEFAULT_HEARD_THRESHOLD);

    public SoundingRule {
        if (kind == null) {
            throw new IllegalArgumentException("avis.tracking.sounding-rule must be heard or count");
        }
        if (!(heardThreshold >= 0 && heardThreshold <= 1)) {
            throw new IllegalArgumentException("avis.tracking.heard-threshold must be in [0, 1], got " + heardThreshold);
        }
    }

    /**
     * The flags of one frame's detections.
     *
     * @param heard per detection, best score first, its {@code Detection.heard} in this frame (NaN: not known)
     * @param countProbabilities P(N = k) of the count head for this frame; null or empty without a count head
     */
    public boolean[] flags(float[] heard, float[] countProbabilities) {
        boolean[] out = new boolean[heard.length];
        boolean known = heard.length > 0;
        for (float h : heard) {
            known &= !Float.isNaN(h);
        }
        int k = soundingCount(countProbabilities, heard.length);
        if (kind == Kind.HEARD && known) {
            Integer[] byHearing = new Integer[heard.length];
            for (int d = 0; d < heard.length; d++) {
                byHearing[d] = d;
            }
            // stable: equal hearing keeps the score order
            java.util.Arrays.sort(byHearing, (a, b) -> Float.compare(heard[b], heard[a]));
            for (int r = 0; r < k && heard[byHearing[r]] >= heardThreshold; r++) {
                out[byHearing[r]] = true;
            }
            return out;
        }
        for (int d = 0; d < k; d++) {
            out[d] = true;
        }
        return out;
    }

    /**
     * How many of the best detections count as sounding under {@link Kind#COUNT}: the count head's most probable
     * count; its last class means "at least that many", so every detection; no probabilities means every detection.
     */
    static int soundingCount(float[] probabilities, int detections) {
        if (probabilities == null || probabilities.length == 0) {
            return detections;
        }
        int best = 0;
        for (int k = 1; k < probabilities.length; k++) {
            if (probabilities[k] > probabilities[best]) {
                best = k;
            }
        }
        return best == probabilities.length - 1 ? detections : Math.min(best, detections);
    }
}
