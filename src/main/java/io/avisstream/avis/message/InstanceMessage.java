package io.avisstream.avis.message;

import java.util.List;

/**
 * One sounding-object instance of a frame in {@code avis.masks.v1}.
 *
 * @param trackId stable id of the object within its stream (monotonic, starts at 1)
 * @param classId contiguous AVISeg label 0..25 (dataset id - 1)
 * @param className AVISeg class name
 * @param score class probability x mask score
 * @param sounding whether the object is counted as sounding in this frame (see README, "Sounding flag")
 * @param bbox {@code [x, y, w, h]} of the mask's pixel extent
 * @param mask COCO compressed RLE at the frame's original size
 */
public record InstanceMessage(long trackId, int classId, String className, float score, boolean sounding,
        List<Integer> bbox, RleMask mask) {
    public InstanceMessage {
        if (trackId < 1) {
            throw new IllegalArgumentException("trackId must be >= 1, got " + trackId);
        }
        if (classId < 0) {
            throw new IllegalArgumentException("classId must be >= 0, got " + classId);
        }
        if (bbox == null || bbox.size() != 4) {
            throw new IllegalArgumentException("bbox must be [x, y, w, h], got " + bbox);
        }
        if (mask == null || className == null) {
            throw new IllegalArgumentException("mask and className are required");
        }
        bbox = List.copyOf(bbox);
    }
}
