package io.avisstream.avis.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Onset / offset / count-change detection with hysteresis, one step per inferred frame: a track must be sounding
 * for {@code onFrames} consecutive inferred frames before its onset fires, and not sounding (or absent) for
 * {@code offFrames} consecutive inferred frames before its offset fires, so a one-frame flicker fires nothing.
 * A count change fires whenever the number of confirmed sounding tracks changes (after the onsets/offsets of
 * the same frame). Pure and deterministic (tracks in id order).
 */
public final class SoundingEventDetector {
    private final int onFrames;
    private final int offFrames;

    public SoundingEventDetector(int onFrames, int offFrames) {
        if (onFrames < 1 || offFrames < 1) {
            throw new IllegalArgumentException("hysteresis frames must be >= 1, got on=" + onFrames + " off=" + offFrames);
        }
        this.onFrames = onFrames;
        this.offFrames = offFrames;
    }

    public record Step(List<SoundingEvent> events, EventState state) {
    }

    public Step step(EventState state, List<Observation> observations) {
        Map<Long, Observation> sounding = new TreeMap<>();
        for (Observation o : observations) {
            if (o.sounding()) {
                sounding.put(o.trackId(), o);
            }
        }
        Map<Long, EventState.TrackStreak> streaks = new TreeMap<>();
        for (EventState.TrackStreak t : state.tracks()) {
            streaks.put(t.trackId(), t);
        }
        for (Observation o : sounding.values()) {
            streaks.putIfAbsent(o.trackId(), new EventState.TrackStreak(o.trackId(), o.classId(), 0, 0, false));
        }
        List<SoundingEvent> events = new ArrayList<>();
        List<EventState.TrackStreak> next = new ArrayList<>();
        int count = state.confirmedCount();
        int previous = count;
        for (EventState.TrackStreak t : streaks.values()) {
            Observation o = sounding.get(t.trackId());
            if (o != null) {
                int on = t.onStreak() + 1;
                boolean confirmed = t.confirmed();
                if (!confirmed && on >= onFrames) {
                    confirmed = true;
                    count++;
                    events.add(new SoundingEvent(SoundingEvent.Kind.ONSET, t.trackId(), o.classId(), count, count - 1));
                }
                next.add(new EventState.TrackStreak(t.trackId(), o.classId(), on, 0, confirmed));
            } else {
                int off = t.offStreak() + 1;
                if (t.confirmed() && off >= offFrames) {
                    count--;
                    events.add(new SoundingEvent(SoundingEvent.Kind.OFFSET, t.trackId(), t.classId(), count, count + 1));
                } else if (t.confirmed() || off < offFrames) {
                    next.add(new EventState.TrackStreak(t.trackId(), t.classId(), 0, off, t.confirmed()));
                }
                // an unconfirmed track that stayed quiet for offFrames is forgotten
            }
        }
        if (count != previous) {
            events.add(new SoundingEvent(SoundingEvent.Kind.COUNT_CHANGE, null, null, count, previous));
        }
        return new Step(List.copyOf(events), new EventState(next, count));
    }
}
