package io.avisstream.avis.eval;

/**
 * One GT object track of a video.
 *
 * @param id annotation id
 * @param area mean of the truthy entries of the {@code areas} field (spec §2.2), used for the mAP area ranges
 * @param masks one entry per frame (at least the video's T), null where the object is not sounding
 */
public record GtTrack(long id, int categoryId, boolean crowd, double area, Rle[] masks) {
}
