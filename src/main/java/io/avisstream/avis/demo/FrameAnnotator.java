package io.avisstream.avis.demo;

import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.VideoFrame;
import java.util.Comparator;
import java.util.List;

/**
 * Draws instances onto a frame: each mask tinted with its track's colour, its box, and a label
 * {@code #id class score}. Sounding objects are highlighted: a stronger tint, a thick box and mask outline, and a
 * label on a solid background in the track colour; silent objects get a light tint, a thin box and a dark label.
 * An optional header line (frame number, time, sounding count) goes in the top-left corner.
 *
 * <p>Pure Java over RGB24 buffers; the input frame is never modified.
 */
public final class FrameAnnotator {

    static final double SOUNDING_ALPHA = 0.55;
    static final double SILENT_ALPHA = 0.25;
    static final int LABEL_TEXT_DARK = 0x101010;
    static final int LABEL_BACKGROUND_DARK = 0x202020;

    /** Draws on a copy of {@code frame}; silent objects first so sounding ones stay on top. */
    public VideoFrame annotate(VideoFrame frame, List<InstanceOverlay> instances, String header) {
        byte[] copy = frame.rgb().clone();
        RgbCanvas canvas = new RgbCanvas(frame.width(), frame.height(), copy);
        int scale = textScale(frame.height());
        List<InstanceOverlay> ordered = instances.stream()
                .sorted(Comparator.comparing(InstanceOverlay::sounding).thenComparing(InstanceOverlay::trackId))
                .toList();
        for (InstanceOverlay instance : ordered) {
            int colour = TrackColours.of(instance.trackId());
            if (instance.mask() != null) {
                tintMask(canvas, instance.mask(), colour, instance.sounding());
            }
            int thickness = instance.sounding() ? Math.max(2, scale + 1) : 1;
            canvas.strokeRect(instance.x(), instance.y(), instance.width(), instance.height(), thickness, colour);
        }
        for (InstanceOverlay instance : ordered) {
            drawLabel(canvas, instance, scale);
        }
        if (header != null && !header.isEmpty()) {
            int pad = scale * 2;
            canvas.fillRect(0, 0, BitmapFont.width(header, scale) + 2 * pad, BitmapFont.height(scale) + 2 * pad,
                    0x000000, 0.6);
            canvas.text(header, pad, pad, scale, 0xffffff);
        }
        return new VideoFrame(frame.width(), frame.height(), copy);
    }

    /** Font pixel size: 1 below 360 rows, 2 at 360p, 3 at 480p, 4 from 720p on. */
    static int textScale(int frameHeight) {
        return Math.max(1, Math.min(4, frameHeight / 240 + (frameHeight >= 360 ? 1 : 0)));
    }

    private static void tintMask(RgbCanvas canvas, BinaryMask mask, int colour, boolean sounding) {
        if (mask.width() != canvas.width() || mask.height() != canvas.height()) {
            throw new IllegalArgumentException("mask " + mask.width() + "x" + mask.height() + " does not match frame "
                    + canvas.width() + "x" + canvas.height());
        }
        byte[] bits = mask.data();
        int w = mask.width();
        int h = mask.height();
        double alpha = sounding ? SOUNDING_ALPHA : SILENT_ALPHA;
        int outline = sounding ? 2 : 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (bits[y * w + x] == 0) {
                    continue;
                }
                if (nearEdge(bits, w, h, x, y, outline)) {
                    canvas.set(x, y, colour);
                } else {
                    canvas.blend(x, y, colour, alpha);
                }
            }
        }
    }

    /** Whether a mask pixel lies within {@code distance} pixels (Chebyshev) of a background pixel or the border. */
    private static boolean nearEdge(byte[] bits, int w, int h, int x, int y, int distance) {
        for (int dy = -distance; dy <= distance; dy++) {
            for (int dx = -distance; dx <= distance; dx++) {
                int xx = x + dx;
                int yy = y + dy;
                if (xx < 0 || yy < 0 || xx >= w || yy >= h || bits[yy * w + xx] == 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void drawLabel(RgbCanvas canvas, InstanceOverlay instance, int scale) {
        String label = instance.label();
        int colour = TrackColours.of(instance.trackId());
        int pad = scale;
        int labelWidth = BitmapFont.width(label, scale) + 2 * pad;
        int labelHeight = BitmapFont.height(scale) + 2 * pad;
        // Above the box when there is room, else just inside its top edge; never off the right edge.
        int x = Math.max(0, Math.min(instance.x(), canvas.width() - labelWidth));
        int y = instance.y() - labelHeight >= 0 ? instance.y() - labelHeight : Math.max(0, instance.y());
        if (instance.sounding()) {
            canvas.fillRect(x, y, labelWidth, labelHeight, colour, 1.0);
            canvas.text(label, x + pad, y + pad, scale, LABEL_TEXT_DARK);
        } else {
            canvas.fillRect(x, y, labelWidth, labelHeight, LABEL_BACKGROUND_DARK, 0.75);
            canvas.text(label, x + pad, y + pad, scale, colour);
        }
    }
}
