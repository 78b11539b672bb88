package io.avisstream.avis.engine;

import java.util.List;

/**
 * The video stage's input for one stream: up to W-1 earlier frames (oldest first) plus the newest.
 *
 * @param pastFrameQueries f of earlier frames, each {@code numQueries * hiddenDim} floats
 * @param pastAudioFeatures a of the same earlier frames, each {@code audioDim} floats
 * @param current the newest frame's per-frame output; its mask features decode the detections
 */
public record WindowRequest(String streamId, long seq, List<float[]> pastFrameQueries,
        List<float[]> pastAudioFeatures, FrameFeatures current) {
    public WindowRequest {
        if (pastFrameQueries.size() != pastAudioFeatures.size()) {
            throw new IllegalArgumentException("past frame queries and audio features differ in length");
        }
        pastFrameQueries = List.copyOf(pastFrameQueries);
        pastAudioFeatures = List.copyOf(pastAudioFeatures);
    }
}
