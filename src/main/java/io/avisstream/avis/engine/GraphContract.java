package io.avisstream.avis.engine;

import java.util.List;

/**
 * Graph and tensor names of the exported model ({@code engines/CONTRACT.md}): the only place the Java side spells
 * them. Sessions bind inputs and outputs by these names and refuse a graph that lacks one.
 */
public final class GraphContract {

    public static final String AUDIO = "audio";
    public static final String FRAME = "frame";
    public static final String VIDEO = "video";
    public static final String MASKS = "masks";
    public static final List<String> GRAPHS = List.of(AUDIO, FRAME, VIDEO, MASKS);
    /** Optional: m_t alone (backbone + pixel decoder), the cheaper path to fresh masks; without it the frame graph. */
    public static final String PIXEL = "pixel";
    public static final List<String> OPTIONAL_GRAPHS = List.of(PIXEL);

    /** audio: (N,1,96,64) log-mel patches in, (N,A) quantised VGGish features out. */
    public static final String MEL = "mel";
    public static final String AUDIO_FEATURES = "audio_features";
    /** frame: (N,3,H,W) raw RGB 0..255, resized but not padded, plus (N,A) audio features. */
    public static final String IMAGE = "image";
    public static final String FRAME_QUERIES = "frame_queries";
    /** Optional: a model without a count head (AVISM, additive fusion) has none; then every detection sounds. */
    public static final String COUNT_LOGITS = "count_logits";
    public static final String MASK_FEATURES = "mask_features";
    public static final String PRED_LOGITS = "pred_logits";
    public static final String PRED_MASKS = "pred_masks";
    /** video: (T,Q,C) frame queries and (T,A) audio features of one window in; per-query outputs out. */
    public static final String CLASS_LOGITS = "class_logits";
    public static final String MASK_EMBED = "mask_embed";
    public static final String SIM_EMBED = "sim_embed";
    /** masks: (K,C) embeddings and (1,C,h,w) mask features in, (K,4h,4w) logits at the padded size out. */
    public static final String MASK_LOGITS = "mask_logits";

    public static List<String> inputs(String graph) {
        return switch (graph) {
            case AUDIO -> List.of(MEL);
            case FRAME -> List.of(IMAGE, AUDIO_FEATURES);
            case VIDEO -> List.of(FRAME_QUERIES, AUDIO_FEATURES);
            case MASKS -> List.of(MASK_EMBED, MASK_FEATURES);
            case PIXEL -> List.of(IMAGE);
            default -> throw new IllegalArgumentException("unknown graph " + graph);
        };
    }

    /** Outputs a graph must declare; {@link #COUNT_LOGITS} is used when the frame graph declares it. */
    public static List<String> outputs(String graph) {
        return switch (graph) {
            case AUDIO -> List.of(AUDIO_FEATURES);
            case FRAME -> List.of(FRAME_QUERIES, MASK_FEATURES, PRED_LOGITS, PRED_MASKS);
            case VIDEO -> List.of(CLASS_LOGITS, MASK_EMBED, SIM_EMBED);
            case MASKS -> List.of(MASK_LOGITS);
            case PIXEL -> List.of(MASK_FEATURES);
            default -> throw new IllegalArgumentException("unknown graph " + graph);
        };
    }

    private GraphContract() {
    }
}
