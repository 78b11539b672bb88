package io.avisstream.avis.engine;

/**
 * A frame after pre-processing: resized planar RGB (0..255, the graph normalises) and its log-mel patch
 * ({@code null} = the zero patch of a window without any audio).
 */
record PreparedFrame(String streamId, long seq, FrameGeometry geometry, float[] chw, float[] mel) {
}
