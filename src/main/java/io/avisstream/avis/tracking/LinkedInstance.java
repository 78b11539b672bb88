package io.avisstream.avis.tracking;

import io.avisstream.avis.media.Detection;

/** A detection of the newest frame with the track it was linked to. */
public record LinkedInstance(long trackId, Detection detection, boolean sounding) {
}
