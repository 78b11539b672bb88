package io.avisstream.avis.engine;

import io.avisstream.avis.media.AudioWindow;
import io.avisstream.avis.media.VideoFrame;

/** One frame of one stream, joined with its audio window, ready for the per-frame stage. */
public record FrameRequest(String streamId, long seq, long ptsMicros, VideoFrame frame, AudioWindow audio) {
    public FrameRequest {
        if (streamId == null || streamId.isEmpty()) {
            throw new IllegalArgumentException("streamId is required");
        }
        if (frame == null || audio == null) {
            throw new IllegalArgumentException("frame and audio are required");
        }
    }
}
