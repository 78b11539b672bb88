package io.avisstream.avis.topology;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What frames between inferences need for fresh masks (spec: the masks of frame t are e_k . m_t): the instances of the
 * stream's last inferred frame with their mask embeddings e_k. Owned by the inference step; kept per stream in the
 * tracker store next to the window, so a restarted task computes the same fresh masks.
 *
 * @param seq the inferred frame the instances come from, -1 when there is none (or it was stored without e_k)
 * @param instances in the inferred record's order (best score first)
 */
public record MaskSource(long seq, List<Instance> instances) {
    private static final MaskSource NONE = new MaskSource(-1, List.of());

    /** One instance of the inferred frame: what is published as it was, and the embedding its masks come from. */
    public record Instance(long trackId, int classId, float score, boolean sounding, float[] embedding) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Instance i && trackId == i.trackId && classId == i.classId
                    && Float.compare(score, i.score) == 0 && sounding == i.sounding
                    && Arrays.equals(embedding, i.embedding);
        }

        @Override
        public int hashCode() {
            return Objects.hash(trackId, classId, score, sounding, Arrays.hashCode(embedding));
        }

        @Override
        public String toString() {
            return "Instance[trackId=" + trackId + ", classId=" + classId + ", score=" + score + ", sounding="
                    + sounding + ", embedding=" + embedding.length + " floats]";
        }
    }

    public MaskSource {
        instances = List.copyOf(instances);
    }

    /** No inferred frame with mask embeddings yet: frames between inferences copy. */
    public static MaskSource none() {
        return NONE;
    }

    /** Whether fresh masks can be computed for frames after {@code inferredSeq}: every instance has an e_k. */
    public boolean covers(long inferredSeq) {
        return seq >= 0 && seq == inferredSeq && instances.stream().allMatch(i -> i.embedding().length > 0);
    }
}
