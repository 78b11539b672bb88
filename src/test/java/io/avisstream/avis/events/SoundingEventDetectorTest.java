package io.avisstream.avis.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SoundingEventDetectorTest {
    private final SoundingEventDetector detector = new SoundingEventDetector(2, 2);

    @Test
    void shouldFireNothingForAOneFrameFlicker() {
        // Given / When a track sounding in one frame only
        List<SoundingEvent> events = run(List.of(on(1)), List.of(), List.of(), List.of());

        // Then
        assertThat(events).isEmpty();
    }

    @Test
    void shouldFireOnsetAfterNFramesAndOffsetAfterMFrames() {
        // Given / When: on, on, off (flicker, kept), on, off, off
        List<SoundingEvent> events = run(List.of(on(1)), List.of(on(1)), List.of(), List.of(on(1)), List.of(), List.of());

        // Then: onset at frame 2 and count 0->1; offset at frame 6 and count 1->0
        assertThat(events).containsExactly(
                new SoundingEvent(SoundingEvent.Kind.ONSET, 1L, 4, 1, 0),
                new SoundingEvent(SoundingEvent.Kind.COUNT_CHANGE, null, null, 1, 0),
                new SoundingEvent(SoundingEvent.Kind.OFFSET, 1L, 4, 0, 1),
                new SoundingEvent(SoundingEvent.Kind.COUNT_CHANGE, null, null, 0, 1));
    }

    @Test
    void shouldTreatAPresentButSilentTrackAsOff() {
        List<SoundingEvent> events = run(List.of(on(1)), List.of(on(1)),
                List.of(new Observation(1, 4, false)), List.of(new Observation(1, 4, false)));
        assertThat(events).extracting(SoundingEvent::kind).containsExactly(SoundingEvent.Kind.ONSET,
                SoundingEvent.Kind.COUNT_CHANGE, SoundingEvent.Kind.OFFSET, SoundingEvent.Kind.COUNT_CHANGE);
    }

    @Test
    void shouldReportOneCountChangePerFrameWhenTwoTracksStartTogether() {
        List<SoundingEvent> events = run(List.of(on(2), on(1)), List.of(on(1), on(2)));
        assertThat(events).containsExactly(
                new SoundingEvent(SoundingEvent.Kind.ONSET, 1L, 4, 1, 0),
                new SoundingEvent(SoundingEvent.Kind.ONSET, 2L, 4, 2, 1),
                new SoundingEvent(SoundingEvent.Kind.COUNT_CHANGE, null, null, 2, 0));
    }

    @Test
    void shouldRoundTripItsState() {
        EventState state = detector.step(EventState.initial(), List.of(on(1), on(3))).state();
        assertThat(EventStateCodec.decode(EventStateCodec.encode(state))).isEqualTo(state);
        assertThat(EventStateCodec.decode(null)).isEqualTo(EventState.initial());
    }

    @SafeVarargs
    private List<SoundingEvent> run(List<Observation>... frames) {
        EventState state = EventState.initial();
        List<SoundingEvent> all = new ArrayList<>();
        for (List<Observation> frame : frames) {
            SoundingEventDetector.Step step = detector.step(state, frame);
            all.addAll(step.events());
            state = EventStateCodec.decode(EventStateCodec.encode(step.state()));
        }
        return all;
    }

    private static Observation on(long track) {
        return new Observation(track, 4, true);
    }
}
