package io.avisstream.avis.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.avisstream.avis.engine.Half;
import io.avisstream.avis.engine.PastFrame;
import io.avisstream.avis.engine.StreamWindow;
import io.avisstream.avis.tracking.Track;
import io.avisstream.avis.tracking.TrackerState;

class InferenceStateCodecTest {

    @Test
    void shouldRoundTripTheCurrentVersion() {
        // Given
        InferenceState state = new InferenceState(new SamplingClock(1_000_000, 11),
                new StreamWindow(List.of(PastFrame.of(10, new float[] { 1f, -0.5f, 0.25f }, new float[] { 3f, 255f }),
                        PastFrame.of(11, new float[] { 0f, 2f, -4f }, new float[] { 0f, 1f }))),
                new TrackerState(7, 12, List.of(new Track(3, 5, new float[] { 0.6f, 0.8f }, 2, 12, 9, true),
                        new Track(6, 0, new float[] { 1f, 0f }, 11, 11, 1, false))),
                new MaskSource(11, List.of(new MaskSource.Instance(3, 5, 0.75f, true, new float[] { 0.5f, -2f, 3f }),
                        new MaskSource.Instance(6, 0, 0.31f, false, new float[] { 1f, 0f, 0f }))));

        // When
        byte[] bytes = InferenceStateCodec.encode(state);

        // Then
        assertThat(bytes[0]).isEqualTo(InferenceStateCodec.CURRENT);
        assertThat(InferenceStateCodec.decode(bytes)).isEqualTo(state);
    }

    @Test
    void shouldWriteAStateWithoutAMaskSourceAsV2SoAReleaseWithoutFreshMasksStillReadsIt() {
        // Given fresh masks off (avis.inference.mask-fps=0): no mask source
        InferenceState state = new InferenceState(new SamplingClock(0, 2),
                new StreamWindow(List.of(PastFrame.of(10, new float[] { 1f }, new float[] { 3f }))),
                new TrackerState(2, 3, List.of(new Track(1, 5, new float[] { 1f }, 1, 3, 3, true))));

        // When
        byte[] bytes = InferenceStateCodec.encode(state);

        // Then
        assertThat(bytes[0]).isEqualTo(InferenceStateCodec.V2);
        assertThat(InferenceStateCodec.decode(bytes)).isEqualTo(state);
        assertThat(InferenceStateCodec.decode(bytes).masks()).isEqualTo(MaskSource.none());
    }

    @Test
    void shouldRoundTripAnEmptyStateAndTreatNullAsInitial() {
        InferenceState empty = InferenceState.initial();
        assertThat(InferenceStateCodec.decode(InferenceStateCodec.encode(empty))).isEqualTo(empty);
        assertThat(InferenceStateCodec.decode(null)).isEqualTo(InferenceState.initial());
    }

    @Test
    void shouldReadAndWriteTheBytesOfAV2RecordWrittenBeforeTheSplitByOwner() {
        // Given a v2 record as the single TrackerState of earlier releases wrote it: tracker clock, sampling clock,
        // window, tracks
        ByteBuffer b = ByteBuffer.allocate(1 + 4 * 8 + 4 + (8 + 4 + 2 * 2 + 4 + 4) + 4 + (8 + 4 + 4 + 8 + 8 + 8 + 4 + 1));
        b.put(InferenceStateCodec.V2).putLong(4).putLong(9).putLong(40_000).putLong(3);
        b.putInt(1).putLong(8).putInt(2).putShort(Half.fromFloat(1f)).putShort(Half.fromFloat(-1f)).putInt(1).putFloat(7f);
        b.putInt(1).putLong(3).putInt(2).putInt(2).putFloat(0f).putFloat(1f).putLong(2).putLong(9).putInt(5).put((byte) 1);
        byte[] written = b.array();

        // When
        InferenceState state = InferenceStateCodec.decode(written);

        // Then each owner gets its part, and writing it back gives the same bytes
        assertThat(state).isEqualTo(new InferenceState(new SamplingClock(40_000, 3),
                new StreamWindow(List.of(PastFrame.of(8, new float[] { 1f, -1f }, new float[] { 7f }))),
                new TrackerState(4, 9, List.of(new Track(3, 2, new float[] { 0f, 1f }, 2, 9, 5, true)))));
        assertThat(InferenceStateCodec.encode(state)).isEqualTo(written);
    }

    @Test
    void shouldReadTheFirstVersion() {
        // Given a v1 record: no sampling fields, tracks without firstSeen/hits/sounding
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 4 + (8 + 4 + 2 * 2 + 4 + 4) + 4 + (8 + 4 + 4 + 8 + 8));
        b.put(InferenceStateCodec.V1).putLong(4).putLong(9);
        b.putInt(1).putLong(8).putInt(2).putShort(Half.fromFloat(1f)).putShort(Half.fromFloat(-1f)).putInt(1).putFloat(7f);
        b.putInt(1).putLong(3).putInt(2).putInt(2).putFloat(0f).putFloat(1f).putLong(9);

        // When
        InferenceState state = InferenceStateCodec.decode(b.array());

        // Then
        assertThat(state).isEqualTo(new InferenceState(SamplingClock.initial(),
                new StreamWindow(List.of(PastFrame.of(8, new float[] { 1f, -1f }, new float[] { 7f }))),
                new TrackerState(4, 9, List.of(new Track(3, 2, new float[] { 0f, 1f }, 9, 9, 1, false)))));
    }

    @Test
    void shouldRejectUnknownVersionsAndTrailingBytes() {
        assertThatThrownBy(() -> InferenceStateCodec.decode(new byte[] { 99 })).hasMessageContaining("version 99");
        byte[] good = InferenceStateCodec.encode(InferenceState.initial());
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> InferenceStateCodec.decode(longer)).hasMessageContaining("trailing");
    }
}
