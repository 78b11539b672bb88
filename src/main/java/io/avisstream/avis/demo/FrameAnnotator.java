package io.avisstream.avis.demo;

import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.VideoFrame;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Draws instances onto a frame: each mask tinted with its track's colour, its box, and a label
 * {@code #id class score}. Sounding objects are highlighted: a stronger tint, a thick box and mask outline, and a
 * label on a solid background in the track colour; silent objects get a light tint, a thin box and a dark label.
 * An optional header (frame number, time, sounding count) goes in the top-left corner, wrapped so it never runs off
 * the right edge; labels stay inside the frame and off the header and each other ({@link #layout}). Instances with an
 * empty mask (or an empty box) are not drawn at all.
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
        List<InstanceOverlay> ordered = instances.stream().filter(i -> !i.empty())
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
        Layout layout = layout(frame.width(), frame.height(), instances, header);
        for (Label label : layout.labels()) {
            drawLabel(canvas, label);
        }
        if (layout.header() != null) {
            Header h = layout.header();
            canvas.fillRect(h.box().x(), h.box().y(), h.box().w(), h.box().h(), 0x000000, 0.6);
            int lineHeight = BitmapFont.height(h.scale()) + h.scale() * 2;
            for (int i = 0; i < h.lines().size(); i++) {
                canvas.text(h.lines().get(i), h.scale() * 2, h.scale() * 2 + i * lineHeight, h.scale(), 0xffffff);
            }
        }
        return new VideoFrame(frame.width(), frame.height(), copy);
    }

    /** A rectangle in frame pixels, {@code [x, x + w) x [y, y + h)}. */
    record Box(int x, int y, int w, int h) {
        boolean overlaps(Box o) {
            return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
        }

        boolean inside(int width, int height) {
            return x >= 0 && y >= 0 && x + w <= width && y + h <= height;
        }
    }

    /** The header: its lines (wrapped at double spaces, shortened if still too wide), its scale and its bar. */
    record Header(List<String> lines, int scale, Box box) {
    }

    /** One instance's label: its text as drawn (possibly shortened), its box, its instance. */
    record Label(String text, int scale, Box box, InstanceOverlay instance) {
    }

    /** Where everything goes on a frame: the header and the labels, none overlapping another, all inside. */
    record Layout(Header header, List<Label> labels) {
    }

    /**
     * Places the header in the top-left corner (wrapped onto several lines, then shortened, so it never runs off the
     * right edge) and then one label per non-empty instance, sounding ones first: above its box, else inside its
     * top edge, below it, inside its bottom edge (each moved just below the header when it would cover it), else the
     * nearest free row; always inside the frame and never
     * over the header or an earlier label while a free place exists.
     */
    static Layout layout(int width, int height, List<InstanceOverlay> instances, String header) {
        int scale = textScale(height);
        List<Box> taken = new ArrayList<>();
        Header placedHeader = null;
        if (header != null && !header.isEmpty()) {
            placedHeader = header(width, header, scale);
            taken.add(placedHeader.box());
        }
        List<InstanceOverlay> byPriority = instances.stream().filter(i -> !i.empty())
                .sorted(Comparator.comparing(InstanceOverlay::sounding).reversed()
                        .thenComparing(Comparator.comparingDouble(InstanceOverlay::score).reversed())
                        .thenComparing(InstanceOverlay::trackId))
                .toList();
        List<Label> labels = new ArrayList<>();
        for (InstanceOverlay instance : byPriority) {
            Label label = place(width, height, instance, scale,
                    placedHeader == null ? null : placedHeader.box(), taken);
            if (label != null) {
                labels.add(label);
                taken.add(label.box());
            }
        }
        return new Layout(placedHeader, labels);
    }

    private static Header header(int width, String text, int scale) {
        // Largest scale (down to 1) at which every double-space separated part fits on a line of its own.
        int s = scale;
        String[] parts = text.trim().split(" {2,}");
        while (s > 1 && maxWidth(parts, s) + 4 * s > width) {
            s--;
        }
        int room = width - 4 * s;
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String part : parts) {
            String fitted = fit(part, room, s);
            String joined = line.length() == 0 ? fitted : line + "  " + fitted;
            if (line.length() > 0 && BitmapFont.width(joined, s) > room) {
                lines.add(line.toString());
                line = new StringBuilder(fitted);
            } else {
                line = new StringBuilder(joined);
            }
        }
        lines.add(line.toString());
        int textWidth = 0;
        for (String l : lines) {
            textWidth = Math.max(textWidth, BitmapFont.width(l, s));
        }
        int lineHeight = BitmapFont.height(s) + 2 * s;
        return new Header(List.copyOf(lines), s, new Box(0, 0, Math.min(width, textWidth + 4 * s),
                lines.size() * lineHeight + 2 * s));
    }

    private static int maxWidth(String[] parts, int scale) {
        int w = 0;
        for (String p : parts) {
            w = Math.max(w, BitmapFont.width(p, scale));
        }
        return w;
    }

    /** {@code text}, cut and ended with {@code ..} when it is wider than {@code room} pixels. */
    static String fit(String text, int room, int scale) {
        if (BitmapFont.width(text, scale) <= room) {
            return text;
        }
        int chars = Math.max(0, (room / scale + 1) / BitmapFont.ADVANCE - 2);
        return text.substring(0, Math.min(text.length(), chars)) + "..";
    }

    private static Label place(int width, int height, InstanceOverlay instance, int scale, Box header,
            List<Box> taken) {
        int pad = scale;
        String text = fit(instance.label(), width - 2 * pad, scale);
        int w = Math.min(width, BitmapFont.width(text, scale) + 2 * pad);
        int h = BitmapFont.height(scale) + 2 * pad;
        if (h > height) {
            return null;
        }
        int x = Math.max(0, Math.min(instance.x(), width - w));
        int[] rows = { instance.y() - h, instance.y(), instance.y() + instance.height(),
                instance.y() + instance.height() - h };
        Box first = null;
        for (int row : rows) {
            Box box = new Box(x, Math.max(0, Math.min(row, height - h)), w, h);
            if (header != null && box.overlaps(header) && header.y() + header.h() + h <= height) {
                box = new Box(x, header.y() + header.h(), w, h); // just below the header instead
            }
            if (first == null) {
                first = box;
            }
            if (free(box, taken)) {
                return new Label(text, scale, box, instance);
            }
        }
        // Nearest free row, below first then above, at the box's x and then at the left edge.
        for (int dy = 1; dy <= height; dy++) {
            for (int sign : new int[] { 1, -1 }) {
                int y = first.y() + sign * dy;
                for (int bx : new int[] { x, 0 }) {
                    Box box = new Box(bx, y, w, h);
                    if (box.inside(width, height) && free(box, taken)) {
                        return new Label(text, scale, box, instance);
                    }
                }
            }
        }
        return null;
    }

    private static boolean free(Box box, List<Box> taken) {
        for (Box t : taken) {
            if (box.overlaps(t)) {
                return false;
            }
        }
        return true;
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

    private static void drawLabel(RgbCanvas canvas, Label label) {
        InstanceOverlay instance = label.instance();
        int colour = TrackColours.of(instance.trackId());
        Box b = label.box();
        int pad = label.scale();
        if (instance.sounding()) {
            canvas.fillRect(b.x(), b.y(), b.w(), b.h(), colour, 1.0);
            canvas.text(label.text(), b.x() + pad, b.y() + pad, label.scale(), LABEL_TEXT_DARK);
        } else {
            canvas.fillRect(b.x(), b.y(), b.w(), b.h(), LABEL_BACKGROUND_DARK, 0.75);
            canvas.text(label.text(), b.x() + pad, b.y() + pad, label.scale(), colour);
        }
    }
}
