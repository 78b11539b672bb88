package io.avisstream.avis.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

class TrackerStateCodecTest {

    @Test
    void shouldRoundTripTheCurrentVersion() {
        // Given
        TrackerState state = new TrackerState(7, 12,
                List.of(PastFrame.of(10, new float[] { 1f, -0.5f, 0.25f }, new float[] { 3f, 255f }),
                        PastFrame.of(11, new float[] { 0f, 2f, -4f }, new float[] { 0f, 1f })),
                List.of(new Track(3, 5, new float[] { 0.6f, 0.8f }, 2, 12, 9, true),
                        new Track(6, 0, new float[] { 1f, 0f }, 11, 11, 1, false)),
                1_000_000, 11);

        // When
        byte[] bytes = TrackerStateCodec.encode(state);

        // Then
        assertThat(bytes[0]).isEqualTo(TrackerStateCodec.CURRENT);
        assertThat(TrackerStateCodec.decode(bytes)).isEqualTo(state);
    }

    @Test
    void shouldRoundTripAnEmptyStateAndTreatNullAsInitial() {
        TrackerState empty = TrackerState.initial();
        assertThat(TrackerStateCodec.decode(TrackerStateCodec.encode(empty))).isEqualTo(empty);
        assertThat(TrackerStateCodec.decode(null)).isEqualTo(TrackerState.initial());
    }

    @Test
    void shouldReadThePreviousVersion() {
        // Given a v1 record: no sampling fields, tracks without firstSeen/hits/sounding
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 4 + (8 + 4 + 2 * 2 + 4 + 4) + 4 + (8 + 4 + 4 + 8 + 8));
        b.put(TrackerStateCodec.V1).putLong(4).putLong(9);
        b.putInt(1).putLong(8).putInt(2).putShort(Half.fromFloat(1f)).putShort(Half.fromFloat(-1f)).putInt(1).putFloat(7f);
        b.putInt(1).putLong(3).putInt(2).putInt(2).putFloat(0f).putFloat(1f).putLong(9);

        // When
        TrackerState state = TrackerStateCodec.decode(b.array());

        // Then
        assertThat(state).isEqualTo(new TrackerState(4, 9, List.of(PastFrame.of(8, new float[] { 1f, -1f }, new float[] { 7f })),
                List.of(new Track(3, 2, new float[] { 0f, 1f }, 9, 9, 1, false)), -1, -1));
    }

    @Test
    void shouldRejectUnknownVersionsAndTrailingBytes() {
        assertThatThrownBy(() -> TrackerStateCodec.decode(new byte[] { 99 })).hasMessageContaining("version 99");
        byte[] good = TrackerStateCodec.encode(TrackerState.initial());
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> TrackerStateCodec.decode(longer)).hasMessageContaining("trailing");
    }
}
