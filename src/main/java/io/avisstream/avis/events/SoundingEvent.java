package io.avisstream.avis.events;

/**
 * A change of the confirmed sounding state of a stream.
 *
 * @param kind onset, offset or count change
 * @param trackId the track (onset/offset), null for count changes
 * @param classId the track's class (onset/offset), null for count changes
 * @param count confirmed sounding tracks after the change
 * @param previousCount confirmed sounding tracks before it
 */
public record SoundingEvent(Kind kind, Long trackId, Integer classId, int count, int previousCount) {
    public enum Kind {
        ONSET, OFFSET, COUNT_CHANGE
    }
}
