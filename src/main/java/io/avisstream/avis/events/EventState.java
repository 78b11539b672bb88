package io.avisstream.avis.events;

import java.util.List;

/**
 * Hysteresis state of one stream.
 *
 * @param tracks per-track streaks, by track id
 * @param confirmedCount tracks currently confirmed sounding
 */
public record EventState(List<TrackStreak> tracks, int confirmedCount) {
    public EventState {
        tracks = List.copyOf(tracks);
    }

    public static EventState initial() {
        return new EventState(List.of(), 0);
    }

    /**
     * @param onStreak consecutive inferred frames the track was sounding
     * @param offStreak consecutive inferred frames it was not sounding or absent
     * @param confirmed whether an onset was emitted and no offset since
     */
    public record TrackStreak(long trackId, int classId, int onStreak, int offStreak, boolean confirmed) {
    }
}
