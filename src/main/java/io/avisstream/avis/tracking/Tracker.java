package io.avisstream.avis.tracking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.avisstream.avis.media.Detection;
import io.avisstream.avis.media.FrameDetections;

/**
 * Live-mode identity linking (streaming-design §2): detections of the newest frame are matched to the live
 * tracks by the Hungarian method on the cosine similarity of their similarity embeddings; pairs below
 * {@code minSimilarity} are not linked; unmatched detections open new tracks with monotonic ids; tracks unseen
 * for more than {@code maxAge} inferred frames retire. Before linking, empty masks and duplicates are dropped
 * ({@link DetectionHygiene}); the {@link SoundingRule} flags what remains. Pure and deterministic: the same state and input give
 * the same output, which is what lets a restarted task continue the same ids.
 */
public final class Tracker {
    /** Default of {@code avis.tracking.duplicate-iou}. */
    public static final double DEFAULT_DUPLICATE_IOU = 0.8;

    private final double minSimilarity;
    private final int maxAge;
    private final DetectionHygiene hygiene;
    private final SoundingRule soundingRule;

    /**
     * @param minSimilarity lowest cosine similarity at which a detection continues a track (-1..1)
     * @param maxAge inferred frames a track may stay unseen before it retires (>= 0)
     */
    public Tracker(double minSimilarity, int maxAge) {
        this(minSimilarity, maxAge, DEFAULT_DUPLICATE_IOU);
    }

    /**
     * @param minSimilarity lowest cosine similarity at which a detection continues a track (-1..1)
     * @param maxAge inferred frames a track may stay unseen before it retires (>= 0)
     * @param duplicateIou mask IoU above which a detection is dropped as a duplicate of a better one ((0, 1])
     */
    public Tracker(double minSimilarity, int maxAge, double duplicateIou) {
        this(minSimilarity, maxAge, duplicateIou, SoundingRule.DEFAULT);
    }

    /**
     * @param minSimilarity lowest cosine similarity at which a detection continues a track (-1..1)
     * @param maxAge inferred frames a track may stay unseen before it retires (>= 0)
     * @param duplicateIou mask IoU above which a detection is dropped as a duplicate of a better one ((0, 1])
     * @param soundingRule which of the remaining detections sound
     */
    public Tracker(double minSimilarity, int maxAge, double duplicateIou, SoundingRule soundingRule) {
        if (minSimilarity < -1 || minSimilarity > 1) {
            throw new IllegalArgumentException("minSimilarity must be in [-1, 1], got " + minSimilarity);
        }
        if (maxAge < 0) {
            throw new IllegalArgumentException("maxAge must be >= 0, got " + maxAge);
        }
        this.minSimilarity = minSimilarity;
        this.maxAge = maxAge;
        this.hygiene = new DetectionHygiene(duplicateIou);
        this.soundingRule = java.util.Objects.requireNonNull(soundingRule, "soundingRule");
    }

    /** Result of one tracker step: the linked instances (best score first) and the next state. */
    public record Step(List<LinkedInstance> instances, TrackerState state) {
    }

    /** Links the newest inferred frame's detections to the live tracks. */
    public Step step(TrackerState state, FrameDetections output) {
        long frame = state.frameIndex() + 1;
        List<Detection> detections = new ArrayList<>(output.detections());
        detections.sort(Comparator.comparingDouble((Detection d) -> -d.score()).thenComparingInt(Detection::queryIndex));
        detections = hygiene.filter(detections);
        float[] heard = new float[detections.size()];
        for (int d = 0; d < heard.length; d++) {
            heard[d] = detections.get(d).heard();
        }
        boolean[] flags = soundingRule.flags(heard, output.soundingCountProbabilities());

        List<Track> live = state.tracks();
        int[] detToTrack = match(detections, live);

        List<Track> next = new ArrayList<>(live.size() + detections.size());
        boolean[] linked = new boolean[live.size()];
        List<LinkedInstance> instances = new ArrayList<>(detections.size());
        long nextId = state.nextTrackId();
        List<Track> opened = new ArrayList<>();
        Track[] updated = new Track[live.size()];
        for (int d = 0; d < detections.size(); d++) {
            Detection det = detections.get(d);
            boolean sounding = flags[d];
            float[] embedding = unit(det.similarity());
            int t = detToTrack[d];
            if (t >= 0) {
                Track old = live.get(t);
                linked[t] = true;
                updated[t] = new Track(old.id(), det.classId(), embedding, old.firstSeen(), frame, old.hits() + 1, sounding);
                instances.add(new LinkedInstance(old.id(), det, sounding));
            } else {
                Track track = new Track(nextId++, det.classId(), embedding, frame, frame, 1, sounding);
                opened.add(track);
                instances.add(new LinkedInstance(track.id(), det, sounding));
            }
        }
        for (int t = 0; t < live.size(); t++) {
            if (linked[t]) {
                next.add(updated[t]);
            } else if (frame - live.get(t).lastSeen() <= maxAge) {
                Track old = live.get(t);
                next.add(new Track(old.id(), old.classId(), old.embedding(), old.firstSeen(), old.lastSeen(), old.hits(),
                        false));
            }
        }
        next.addAll(opened);
        next.sort(Comparator.comparingLong(Track::id));

        return new Step(List.copyOf(instances), new TrackerState(nextId, frame, next));
    }

    private int[] match(List<Detection> detections, List<Track> tracks) {
        int[] result = new int[detections.size()];
        java.util.Arrays.fill(result, -1);
        if (detections.isEmpty() || tracks.isEmpty()) {
            return result;
        }
        double[][] similarity = new double[detections.size()][tracks.size()];
        double[][] cost = new double[detections.size()][tracks.size()];
        for (int d = 0; d < detections.size(); d++) {
            float[] e = unit(detections.get(d).similarity());
            for (int t = 0; t < tracks.size(); t++) {
                similarity[d][t] = dot(e, tracks.get(t).embedding());
                cost[d][t] = 1 - similarity[d][t];
            }
        }
        int[] assignment = HungarianSolver.solve(cost);
        for (int d = 0; d < assignment.length; d++) {
            int t = assignment[d];
            if (t >= 0 && similarity[d][t] >= minSimilarity) {
                result[d] = t;
            }
        }
        return result;
    }

    private static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            return -1;
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    static float[] unit(float[] v) {
        if (v == null) {
            return new float[0];
        }
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        float[] out = new float[v.length];
        if (n == 0) {
            return out;
        }
        double inv = 1 / Math.sqrt(n);
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * inv);
        }
        return out;
    }
}
