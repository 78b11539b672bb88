package io.avisstream.avis.media;

import java.util.List;

/**
 * Output of the video stage for one stream's newest frame.
 *
 * @param detections candidates above the engine's score threshold, best first
 * @param soundingCountProbabilities P(N = k) for k = 0..Kmax from the SAOC head (diagnostic, as in the official model)
 */
public record FrameDetections(String streamId, long seq, List<Detection> detections,
        float[] soundingCountProbabilities) {
    public FrameDetections {
        detections = List.copyOf(detections);
    }
}
