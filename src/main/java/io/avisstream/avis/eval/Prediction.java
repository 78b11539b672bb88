package io.avisstream.avis.eval;

/**
 * One predicted video-level instance (an entry of the results file).
 *
 * @param label where the prediction came from, for messages (e.g. "[3]", the results-file entry)
 * @param masks one entry per frame of the video (at least T), null where the results file has null
 */
public record Prediction(String label, int videoId, int categoryId, double score, Rle[] masks) {
}
