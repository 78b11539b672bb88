package io.avisstream.avis.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.avisstream.avis.audio.LogMelFrontEnd;
import io.avisstream.avis.media.VideoFrame;
import io.avisstream.avis.message.AudioCoverage;

/**
 * The translator's input side: a frame and its audio window become what the graphs take (PIL-exact resize to
 * planar RGB, VGGish log-mel patch). Stateless and thread-safe.
 */
final class FramePreprocessor {
    private final FrameResizer resizer = FrameResizer.official();
    private final LogMelFrontEnd logMel = new LogMelFrontEnd();

    PreparedFrame prepare(FrameRequest request) {
        VideoFrame frame = request.frame();
        FrameGeometry g = resizer.geometry(frame.width(), frame.height());
        float[] chw = new float[3 * g.resizedWidth() * g.resizedHeight()];
        resizer.resizeToChw(frame, g, chw, 0);
        // A window not fully covered is the official "past the end of the soundtrack" case: a zero patch.
        float[] mel = logMel.modelPatch(request.audio().pcm(), request.audio().coverage() == AudioCoverage.COMPLETE);
        return new PreparedFrame(request.streamId(), request.seq(), g, chw, mel);
    }

    /** The image side only (fresh masks need no audio): the resized planar RGB, no mel patch. */
    PreparedFrame prepareImage(FrameRequest request) {
        VideoFrame frame = request.frame();
        FrameGeometry g = resizer.geometry(frame.width(), frame.height());
        float[] chw = new float[3 * g.resizedWidth() * g.resizedHeight()];
        resizer.resizeToChw(frame, g, chw, 0);
        return new PreparedFrame(request.streamId(), request.seq(), g, chw, null);
    }

    /** The mel patches of a batch, one after the other (a zero patch where a frame has none). */
    float[] melBatch(List<PreparedFrame> batch) {
        float[] mel = new float[batch.size() * LogMelFrontEnd.PATCH_LENGTH];
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).mel() != null) {
                System.arraycopy(batch.get(i).mel(), 0, mel, i * LogMelFrontEnd.PATCH_LENGTH, LogMelFrontEnd.PATCH_LENGTH);
            }
        }
        return mel;
    }

    /** Indexes of the batch's frames grouped by resized size: one frame-graph call per group. */
    List<List<Integer>> groupsBySize(List<PreparedFrame> batch) {
        Map<Long, List<Integer>> bySize = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            FrameGeometry g = batch.get(i).geometry();
            long key = ((long) g.resizedWidth() << 32) | g.resizedHeight();
            bySize.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        return List.copyOf(bySize.values());
    }

    /** The images of one size group, one after the other (planar RGB). */
    float[] images(List<PreparedFrame> batch, List<Integer> group) {
        FrameGeometry g = batch.get(group.get(0)).geometry();
        int plane = 3 * g.resizedWidth() * g.resizedHeight();
        float[] image = new float[group.size() * plane];
        for (int j = 0; j < group.size(); j++) {
            float[] chw = batch.get(group.get(j)).chw();
            if (chw.length != plane) {
                throw new IllegalArgumentException("resized frame have " + chw.length + " floats, the model needs " + plane);
            }
            System.arraycopy(chw, 0, image, j * plane, plane);
        }
        return image;
    }
}
