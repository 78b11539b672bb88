package io.avisstream.avis.engine;

import io.avisstream.avis.media.FrameDetections;

/**
 * Live-mode output for one stream's newest frame: its detections, and the stream's window to keep for the next
 * frame.
 */
public record WindowDetections(FrameDetections detections, StreamWindow window) {
}
