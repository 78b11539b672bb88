package io.avisstream.avis.message;

import java.util.List;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.OptBoolean;

/**
 * One sounding-object instance of a frame in {@code avis.masks.v1}.
 *
 * @param trackId stable id of the object within its stream (monotonic, starts at 1)
 * @param classId contiguous AVISeg label 0..25 (dataset id - 1)
 * @param className AVISeg class name
 * @param score class probability x mask score
 * @param sounding whether the object is counted as sounding in this frame (see README, "Sounding flag")
 * @param bbox {@code [x, y, w, h]} of the mask's pixel extent
 * @param mask COCO compressed RLE at the frame's original size; empty (all zeros) when {@code maskDropped}
 * @param maskDropped the exact mask did not fit the masks topic's record size limit and was left out ({@code bbox}
 *        still holds its extent); written only when true
 */
public record InstanceMessage(long trackId, int classId, String className, float score, boolean sounding,
        List<Integer> bbox, RleMask mask,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JacksonInject(value = Json.ABSENT_FALSE, useInput = OptBoolean.TRUE) boolean maskDropped) {
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

    public InstanceMessage(long trackId, int classId, String className, float score, boolean sounding,
            List<Integer> bbox, RleMask mask) {
        this(trackId, classId, className, score, sounding, bbox, mask, false);
    }

    /** This instance with its mask left out: an all-zero mask of the same size, {@code maskDropped} set. */
    public InstanceMessage withoutMask() {
        return new InstanceMessage(trackId, classId, className, score, sounding, bbox, RleMask.empty(mask.height(),
                mask.width()), true);
    }
}
