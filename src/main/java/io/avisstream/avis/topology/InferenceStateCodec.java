package io.avisstream.avis.topology;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.avisstream.avis.engine.PastFrame;
import io.avisstream.avis.engine.StreamWindow;
import io.avisstream.avis.tracking.Track;
import io.avisstream.avis.tracking.TrackerState;

/**
 * Binary layout of {@link InferenceState}, the value of the tracker store (big-endian). The first byte is the
 * format version; every version ever written stays readable. Splitting the state by owner (sampling clock, model
 * window, track table) changed the Java types, not the bytes. A state without a mask source is still written as v2,
 * byte for byte as before, so a release without fresh masks reads it after a rollback; v3 only adds the mask source.
 *
 * <pre>
 * v3 (current, with a mask source): the v2 layout, then
 *   i64 maskSourceSeq | i32 instanceCount, then per instance: i64 trackId | i32 classId | f32 score | u8 sounding
 *                                  | i32 d | d x f32 maskEmbedding
 * v2:
 *   u8 version=2 | i64 nextTrackId | i64 frameIndex        (tracker)
 *   | i64 anchorPts | i64 lastSampledSlot                  (sampling clock)
 *   i32 windowCount, then per frame (window): i64 seq | i32 q | q x f16 frameQueries | i32 a | a x f32 audioFeatures
 *   i32 trackCount, then per track (tracker): i64 id | i32 classId | i32 d | d x f32 embedding | i64 firstSeen
 *                                  | i64 lastSeen | i32 hits | u8 sounding
 * v1 (first layout, read only): no anchorPts/lastSampledSlot (read as -1: the next frame is sampled);
 *   tracks without firstSeen/hits/sounding (read as lastSeen, 1, false).
 * </pre>
 */
public final class InferenceStateCodec {
    public static final byte V1 = 1;
    public static final byte V2 = 2;
    public static final byte V3 = 3;
    public static final byte CURRENT = V3;

    private InferenceStateCodec() {
    }

    public static byte[] encode(InferenceState state) {
        TrackerState s = state.tracker();
        List<PastFrame> window = state.window().frames();
        int size = 1 + 8 * 4 + 4 + 4;
        for (PastFrame f : window) {
            size += 8 + 4 + 2 * f.frameQueriesHalf().length + 4 + 4 * f.audioFeatures().length;
        }
        for (Track t : s.tracks()) {
            size += 8 + 4 + 4 + 4 * t.embedding().length + 8 + 8 + 4 + 1;
        }
        MaskSource masks = state.masks();
        boolean v3 = masks.seq() >= 0;
        if (v3) {
            size += 8 + 4;
            for (MaskSource.Instance i : masks.instances()) {
                size += 8 + 4 + 4 + 1 + 4 + 4 * i.embedding().length;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(v3 ? V3 : V2).putLong(s.nextTrackId()).putLong(s.frameIndex()).putLong(state.clock().anchorPts())
                .putLong(state.clock().lastSampledSlot());
        b.putInt(window.size());
        for (PastFrame f : window) {
            b.putLong(f.seq()).putInt(f.frameQueriesHalf().length);
            for (short h : f.frameQueriesHalf()) {
                b.putShort(h);
            }
            b.putInt(f.audioFeatures().length);
            for (float a : f.audioFeatures()) {
                b.putFloat(a);
            }
        }
        b.putInt(s.tracks().size());
        for (Track t : s.tracks()) {
            b.putLong(t.id()).putInt(t.classId()).putInt(t.embedding().length);
            for (float e : t.embedding()) {
                b.putFloat(e);
            }
            b.putLong(t.firstSeen()).putLong(t.lastSeen()).putInt(t.hits()).put((byte) (t.sounding() ? 1 : 0));
        }
        if (v3) {
            b.putLong(masks.seq()).putInt(masks.instances().size());
            for (MaskSource.Instance i : masks.instances()) {
                b.putLong(i.trackId()).putInt(i.classId()).putFloat(i.score()).put((byte) (i.sounding() ? 1 : 0))
                        .putInt(i.embedding().length);
                for (float e : i.embedding()) {
                    b.putFloat(e);
                }
            }
        }
        return b.array();
    }

    /** Decodes any known version; null bytes mean "no state yet". */
    public static InferenceState decode(byte[] bytes) {
        if (bytes == null) {
            return InferenceState.initial();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte version = b.get();
        if (version != V1 && version != V2 && version != V3) {
            throw new IllegalStateException("unknown inference state format version " + version);
        }
        long nextTrackId = b.getLong();
        long frameIndex = b.getLong();
        long anchorPts = version >= V2 ? b.getLong() : -1;
        long lastSampledSlot = version >= V2 ? b.getLong() : -1;
        int historyCount = b.getInt();
        List<PastFrame> history = new ArrayList<>(historyCount);
        for (int i = 0; i < historyCount; i++) {
            long seq = b.getLong();
            short[] q = new short[b.getInt()];
            for (int k = 0; k < q.length; k++) {
                q[k] = b.getShort();
            }
            float[] a = new float[b.getInt()];
            for (int k = 0; k < a.length; k++) {
                a[k] = b.getFloat();
            }
            history.add(new PastFrame(seq, q, a));
        }
        int trackCount = b.getInt();
        List<Track> tracks = new ArrayList<>(trackCount);
        for (int i = 0; i < trackCount; i++) {
            long id = b.getLong();
            int classId = b.getInt();
            float[] e = new float[b.getInt()];
            for (int k = 0; k < e.length; k++) {
                e[k] = b.getFloat();
            }
            if (version >= V2) {
                long firstSeen = b.getLong();
                long lastSeen = b.getLong();
                int hits = b.getInt();
                boolean sounding = b.get() != 0;
                tracks.add(new Track(id, classId, e, firstSeen, lastSeen, hits, sounding));
            } else {
                long lastSeen = b.getLong();
                tracks.add(new Track(id, classId, e, lastSeen, lastSeen, 1, false));
            }
        }
        MaskSource masks = version >= V3 ? readMaskSource(b) : MaskSource.none();
        if (b.hasRemaining()) {
            throw new IllegalStateException("inference state v" + version + " has " + b.remaining() + " trailing bytes");
        }
        return new InferenceState(new SamplingClock(anchorPts, lastSampledSlot), new StreamWindow(history),
                new TrackerState(nextTrackId, frameIndex, tracks), masks);
    }

    private static MaskSource readMaskSource(ByteBuffer b) {
        long seq = b.getLong();
        int count = b.getInt();
        List<MaskSource.Instance> instances = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            long trackId = b.getLong();
            int classId = b.getInt();
            float score = b.getFloat();
            boolean sounding = b.get() != 0;
            float[] e = new float[b.getInt()];
            for (int k = 0; k < e.length; k++) {
                e[k] = b.getFloat();
            }
            instances.add(new MaskSource.Instance(trackId, classId, score, sounding, e));
        }
        return new MaskSource(seq, instances);
    }
}
