package io.avisstream.avis.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import io.avisstream.avis.engine.Engine;
import io.avisstream.avis.engine.EngineInfo;
import io.avisstream.avis.engine.FrameFeatures;
import io.avisstream.avis.engine.FrameGeometry;
import io.avisstream.avis.engine.FrameRequest;
import io.avisstream.avis.engine.MaskFeatures;
import io.avisstream.avis.engine.WindowRequest;
import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.Detection;
import io.avisstream.avis.media.FrameDetections;

/**
 * A small deterministic engine for tests (overrides the real engine bean in {@code @QuarkusTest}s).
 *
 * <p>Every distinct non-black colour of a frame is one object: its mask is the pixels of that colour, its class
 * is the colour's dominant channel (red 0, green 1, blue 2), its similarity embedding is the colour, and its
 * score is 0.9. The SAOC probabilities say "every object is sounding" when the frame's audio is loud (RMS over
 * 1000) and "nothing is sounding" otherwise, so tests drive the sounding flag and the events through audio.
 * The image travels from the per-frame stage to the video stage inside the mask features (3 x h x w). An object's
 * mask embedding is its colour too, so fresh masks ({@link #masksFor}) are that colour's pixels in the new frame.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class DeterministicTestEngine implements Engine {
    public static final String NAME = "deterministic-test";
    public static final int WINDOW = 3;

    private final AtomicInteger encoded = new AtomicInteger();
    private final AtomicInteger decoded = new AtomicInteger();
    private final AtomicInteger refreshed = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Integer> windowSizes = new CopyOnWriteArrayList<>();

    @Override
    public EngineInfo info() {
        return new EngineInfo(NAME, "CPU", "test", 4, 8, 2, 26, WINDOW);
    }

    @Override
    public List<FrameFeatures> encodeFrames(List<FrameRequest> batch) {
        List<FrameFeatures> out = new ArrayList<>(batch.size());
        for (FrameRequest r : batch) {
            encoded.incrementAndGet();
            int w = r.frame().width();
            int h = r.frame().height();
            byte[] rgb = r.frame().rgb();
            float[] image = new float[3 * w * h];
            for (int p = 0; p < w * h; p++) {
                for (int c = 0; c < 3; c++) {
                    image[c * w * h + p] = rgb[3 * p + c] & 0xff;
                }
            }
            double energy = 0;
            for (float x : r.audio().pcm()) {
                double s = x * 32768.0; // in int16 units, as when the window was s16
                energy += s * s;
            }
            float rms = (float) Math.sqrt(energy / r.audio().pcm().length);
            float[] queries = new float[4 * 8];
            queries[0] = r.seq();
            out.add(new FrameFeatures(r.streamId(), r.seq(), queries, new float[] { rms, r.audio().coverage().ordinal() },
                    new float[] { 0f, 0f }, new MaskFeatures(3, h, w, image), new FrameGeometry(w, h, w, h, w, h)));
        }
        return out;
    }

    @Override
    public List<FrameDetections> decodeWindows(List<WindowRequest> batch) {
        List<FrameDetections> out = new ArrayList<>(batch.size());
        for (WindowRequest r : batch) {
            decoded.incrementAndGet();
            windowSizes.add(r.pastFrameQueries().size() + 1);
            MaskFeatures m = r.current().maskFeatures();
            int w = m.width();
            int h = m.height();
            int n = w * h;
            Map<Integer, byte[]> byColour = new TreeMap<>();
            for (int p = 0; p < n; p++) {
                int rr = (int) m.data()[p];
                int gg = (int) m.data()[n + p];
                int bb = (int) m.data()[2 * n + p];
                int colour = (rr << 16) | (gg << 8) | bb;
                if (colour != 0) {
                    byColour.computeIfAbsent(colour, k -> new byte[n])[p] = 1;
                }
            }
            List<Detection> detections = new ArrayList<>();
            int query = 0;
            for (Map.Entry<Integer, byte[]> e : byColour.entrySet()) {
                int c = e.getKey();
                float[] rgb = { (c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff };
                int classId = rgb[0] >= rgb[1] && rgb[0] >= rgb[2] ? 0 : rgb[1] >= rgb[2] ? 1 : 2;
                float[] similarity = new float[8];
                System.arraycopy(rgb, 0, similarity, 0, 3);
                detections.add(new Detection(query++, classId, 0.9f, similarity, new BinaryMask(w, h, e.getValue()),
                        rgb.clone()));
            }
            boolean loud = r.current().audioFeatures()[0] > 1000;
            out.add(new FrameDetections(r.streamId(), r.seq(), detections,
                    loud ? new float[] { 0f, 0f, 1f } : new float[] { 1f, 0f, 0f }));
        }
        return out;
    }

    /** The pixels of each embedding's colour in {@code frame}. */
    @Override
    public Optional<List<BinaryMask>> masksFor(FrameRequest frame, List<float[]> maskEmbeddings) {
        refreshed.incrementAndGet();
        int w = frame.frame().width();
        int h = frame.frame().height();
        byte[] rgb = frame.frame().rgb();
        List<BinaryMask> out = new ArrayList<>(maskEmbeddings.size());
        for (float[] colour : maskEmbeddings) {
            byte[] mask = new byte[w * h];
            for (int p = 0; p < w * h; p++) {
                boolean same = (rgb[3 * p] & 0xff) == (int) colour[0] && (rgb[3 * p + 1] & 0xff) == (int) colour[1]
                        && (rgb[3 * p + 2] & 0xff) == (int) colour[2];
                mask[p] = (byte) (same ? 1 : 0);
            }
            out.add(new BinaryMask(w, h, mask));
        }
        return Optional.of(out);
    }

    /** Frames that got fresh masks. */
    public int refreshedFrames() {
        return refreshed.get();
    }

    public int encodedFrames() {
        return encoded.get();
    }

    public int decodedWindows() {
        return decoded.get();
    }

    public List<Integer> windowSizes() {
        return List.copyOf(windowSizes);
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
