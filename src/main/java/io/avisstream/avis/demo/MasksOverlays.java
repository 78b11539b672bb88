package io.avisstream.avis.demo;

import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.CocoRle;
import io.avisstream.avis.message.AudioCoverage;
import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.MasksMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns masks records into what the annotator draws: RLE decoded at the frame size, plus a header note. */
final class MasksOverlays {

    private MasksOverlays() {
    }

    /**
     * Overlays by frame seq. Frames that were not inferred repeat their source frame's instances, so masks are
     * decoded once per source frame (at 1 inferred frame a second, ~25x fewer RLE decodes for a 25 fps clip).
     */
    static Map<Long, FrameOverlay> all(List<MasksMessage> records) {
        Map<Long, FrameOverlay> bySeq = new HashMap<>();
        Map<Long, CachedSource> bySource = new HashMap<>();
        for (MasksMessage masks : records) {
            CachedSource cached = bySource.get(masks.maskSeq());
            FrameOverlay overlay;
            if (cached != null && cached.instances().equals(masks.instances())) {
                overlay = new FrameOverlay(cached.overlay().instances(), note(masks));
            } else {
                overlay = of(masks);
                bySource.put(masks.maskSeq(), new CachedSource(masks.instances(), overlay));
            }
            bySeq.put(masks.seq(), overlay);
        }
        return bySeq;
    }

    private record CachedSource(List<InstanceMessage> instances, FrameOverlay overlay) {
    }

    static FrameOverlay of(MasksMessage masks) {
        List<InstanceOverlay> instances = new ArrayList<>(masks.instances().size());
        for (InstanceMessage instance : masks.instances()) {
            BinaryMask mask = decodeMask(masks, instance);
            List<Integer> box = instance.bbox();
            instances.add(new InstanceOverlay(instance.trackId(), instance.className(), instance.score(),
                    instance.sounding(), box.get(0), box.get(1), box.get(2), box.get(3), mask));
        }
        return new FrameOverlay(instances, note(masks));
    }

    /** The mask when its size matches the frame; a mismatched one is drawn as a box only rather than failing. */
    private static BinaryMask decodeMask(MasksMessage masks, InstanceMessage instance) {
        if (instance.mask().width() != masks.width() || instance.mask().height() != masks.height()) {
            return null;
        }
        return CocoRle.decode(instance.mask().counts(), masks.height(), masks.width());
    }

    static String note(MasksMessage masks) {
        // FRESH: this frame's own masks for the instances inferred at sourceSeq; FROM: copied.
        String source = masks.inferred() ? "INFERRED"
                : (masks.freshMasks() ? "FRESH FROM " : "FROM ") + masks.sourceSeq();
        return masks.coverage() == AudioCoverage.COMPLETE ? source
                : source + "  AUDIO " + masks.coverage().name().toUpperCase(Locale.ROOT);
    }
}
