package io.avisstream.avis.events;

/** One instance of an inferred frame, as the event detector sees it. */
public record Observation(long trackId, int classId, boolean sounding) {
}
