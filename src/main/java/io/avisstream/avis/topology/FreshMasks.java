package io.avisstream.avis.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.avisstream.avis.engine.Engine;
import io.avisstream.avis.engine.FrameRequest;
import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.CocoRle;
import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.RleMask;

/**
 * Masks of a frame between inferences from its own pixels ({@code avis.inference.mask-fps}): the engine computes
 * e_k . m_t for the mask source's embeddings ({@link Engine#masksFor}); each instance keeps the inferred frame's
 * track id, class, score and sounding flag, only its mask and bbox are new. An instance whose fresh mask is empty is
 * left out of this frame, as at inference: an empty mask is never published.
 */
final class FreshMasks {
    private final Engine engine;

    FreshMasks(Engine engine) {
        this.engine = engine;
    }

    /** The frame's instances with fresh masks, or empty when the engine cannot compute them (the caller copies). */
    Optional<List<InstanceMessage>> instances(FrameRequest frame, MaskSource source) {
        List<float[]> embeddings = source.instances().stream().map(MaskSource.Instance::embedding).toList();
        Optional<List<BinaryMask>> masks = engine.masksFor(frame, embeddings);
        if (masks.isEmpty() || masks.get().size() != embeddings.size()) {
            return Optional.empty();
        }
        List<InstanceMessage> out = new ArrayList<>(embeddings.size());
        for (int k = 0; k < embeddings.size(); k++) {
            MaskSource.Instance kept = source.instances().get(k);
            BinaryMask mask = masks.get().get(k);
            int[] box = CocoRle.bbox(mask);
            if (box[2] > 0 && box[3] > 0) {
                out.add(instance(kept.trackId(), kept.classId(), engine.info().className(kept.classId()),
                        kept.score(), kept.sounding(), box, mask));
            }
        }
        return Optional.of(out);
    }

    /** The wire form of one instance: bbox of the mask's extent, COCO RLE at the frame's size. */
    static InstanceMessage instance(long trackId, int classId, String className, float score, boolean sounding,
            int[] box, BinaryMask mask) {
        return new InstanceMessage(trackId, classId, className, Math.max(0f, Math.min(1f, score)), sounding,
                List.of(box[0], box[1], box[2], box[3]), RleMask.of(mask.height(), mask.width(), CocoRle.encode(mask)));
    }
}
