package io.avisstream.avis.ingest;

import io.avisstream.avis.media.VideoFrame;

/**
 * A decoded video frame as packed RGB24 at the stream's native size.
 *
 * @param seq 0-based index of the frame in presentation order
 * @param ptsMicros presentation timestamp, microseconds from the start of the file
 */
public record DecodedFrame(long seq, long ptsMicros, VideoFrame frame) implements MediaSample {
    public DecodedFrame {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0, got " + seq);
        }
        if (frame == null) {
            throw new IllegalArgumentException("frame is required");
        }
    }
}
