package io.avisstream.avis.media;

/**
 * One candidate sounding object in the newest frame of a window.
 *
 * @param queryIndex the video query it came from (0..Q-1)
 * @param classId AVISeg class id (0..25, order of {@code aviseg-data-and-metrics.md})
 * @param score class probability x mask score, as the official inference computes it
 * @param similarity the query's similarity embedding, used to link detections to tracks across windows
 * @param mask binary mask at the frame's original size
 */
public record Detection(int queryIndex, int classId, float score, float[] similarity, BinaryMask mask) {
}
