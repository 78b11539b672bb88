package io.avisstream.avis.tracking;

import java.util.ArrayList;
import java.util.List;

import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.Detection;

/**
 * Live-mode output hygiene, applied before linking (a departure from the official post-processing, documented in
 * {@code engines/CONTRACT.md}): a detection whose binary mask is empty is dropped (it has no box, no pixel to
 * show, yet it took a sounding slot), and a detection whose mask overlaps a better-scoring kept one with an IoU
 * above {@code duplicateIou} is dropped as a duplicate of it (mask NMS, greedy by score). The offline-exact path
 * never calls this and keeps the official candidate set.
 */
public final class DetectionHygiene {
    private final double duplicateIou;

    /** @param duplicateIou IoU above which the worse of two detections is dropped, in (0, 1]; 1 keeps duplicates */
    public DetectionHygiene(double duplicateIou) {
        if (!(duplicateIou > 0 && duplicateIou <= 1)) {
            throw new IllegalArgumentException("duplicateIou must be in (0, 1], got " + duplicateIou);
        }
        this.duplicateIou = duplicateIou;
    }

    /** The detections to publish, in the given order (callers pass them best first): empty masks and duplicates out. */
    public List<Detection> filter(List<Detection> bestFirst) {
        List<Detection> kept = new ArrayList<>(bestFirst.size());
        List<Extent> keptExtents = new ArrayList<>(bestFirst.size());
        for (Detection d : bestFirst) {
            Extent e = Extent.of(d.mask());
            if (e.area == 0) {
                continue;
            }
            boolean duplicate = false;
            for (int k = 0; k < kept.size() && !duplicate; k++) {
                duplicate = iou(d.mask(), e, kept.get(k).mask(), keptExtents.get(k)) > duplicateIou;
            }
            if (!duplicate) {
                kept.add(d);
                keptExtents.add(e);
            }
        }
        return kept;
    }

    /** Intersection over union of two masks of the frame (0 when their sizes differ or both are empty). */
    public static double iou(BinaryMask a, BinaryMask b) {
        return iou(a, Extent.of(a), b, Extent.of(b));
    }

    private static double iou(BinaryMask a, Extent ea, BinaryMask b, Extent eb) {
        if (a.width() != b.width() || a.height() != b.height() || ea.area == 0 || eb.area == 0) {
            return 0;
        }
        int x0 = Math.max(ea.x0, eb.x0);
        int x1 = Math.min(ea.x1, eb.x1);
        int y0 = Math.max(ea.y0, eb.y0);
        int y1 = Math.min(ea.y1, eb.y1);
        if (x0 > x1 || y0 > y1) {
            return 0;
        }
        byte[] da = a.data();
        byte[] db = b.data();
        long inter = 0;
        for (int y = y0; y <= y1; y++) {
            int row = y * a.width();
            for (int x = x0; x <= x1; x++) {
                if (da[row + x] != 0 && db[row + x] != 0) {
                    inter++;
                }
            }
        }
        return inter / (double) (ea.area + eb.area - inter);
    }

    /** Set-pixel count and inclusive bounding box of a mask (area 0: empty). */
    private record Extent(long area, int x0, int y0, int x1, int y1) {
        static Extent of(BinaryMask m) {
            byte[] data = m.data();
            int w = m.width();
            long area = 0;
            int x0 = Integer.MAX_VALUE;
            int y0 = Integer.MAX_VALUE;
            int x1 = -1;
            int y1 = -1;
            for (int i = 0; i < data.length; i++) {
                if (data[i] != 0) {
                    area++;
                    int x = i % w;
                    int y = i / w;
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
            return new Extent(area, x0, y0, x1, y1);
        }
    }
}
