package io.avisstream.avis.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.CocoRle;
import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.RleMask;
import java.util.List;
import org.junit.jupiter.api.Test;

class MasksOverlaysTest {

    @Test
    void shouldDecodeEachInstanceMaskAtTheFrameSize() {
        // Given: a 6x4 frame with one sounding instance covering a 2x2 square at (1,1)
        byte[] bits = new byte[6 * 4];
        bits[1 * 6 + 1] = 1;
        bits[1 * 6 + 2] = 1;
        bits[2 * 6 + 1] = 1;
        bits[2 * 6 + 2] = 1;
        BinaryMask mask = new BinaryMask(6, 4, bits);
        InstanceMessage instance = new InstanceMessage(4, 3, "guitar", 0.75f, true, List.of(1, 1, 2, 2),
                RleMask.of(4, 6, CocoRle.encode(mask)));
        MasksMessage masks = new MasksMessage("s", 9, 360_000, 6, 4, "partial", false, 5, "test", List.of(instance));

        // When
        FrameOverlay overlay = MasksOverlays.of(masks);

        // Then
        assertThat(overlay.instances()).hasSize(1);
        InstanceOverlay drawn = overlay.instances().get(0);
        assertThat(drawn.mask().data()).containsExactly(bits);
        assertThat(List.of(drawn.trackId(), (long) drawn.x(), (long) drawn.y(), (long) drawn.width(),
                (long) drawn.height())).containsExactly(4L, 1L, 1L, 2L, 2L);
        assertThat(drawn.sounding()).isTrue();
        assertThat(drawn.label()).isEqualTo("#4 guitar 0.75");
        assertThat(overlay.note()).isEqualTo("FROM 5  AUDIO PARTIAL");
    }

    @Test
    void shouldDecodeOnceAndReuseTheSourceFrameInstancesForFramesThatWereNotInferred() {
        // Given: frame 0 inferred, frames 1 and 2 repeat it
        InstanceMessage instance = new InstanceMessage(1, 0, "person", 0.5f, true, List.of(0, 0, 1, 1),
                RleMask.of(4, 6, CocoRle.encode(new BinaryMask(6, 4, new byte[24]))));
        List<MasksMessage> records = List.of(
                new MasksMessage("s", 0, 0, 6, 4, "complete", true, 0, "test", List.of(instance)),
                new MasksMessage("s", 1, 40_000, 6, 4, "complete", false, 0, "test", List.of(instance)),
                new MasksMessage("s", 2, 80_000, 6, 4, "missing", false, 0, "test", List.of(instance)));

        // When
        var overlays = MasksOverlays.all(records);

        // Then: one decoded mask shared, each frame with its own note
        assertThat(overlays).containsOnlyKeys(0L, 1L, 2L);
        assertThat(overlays.get(2L).instances().get(0)).isSameAs(overlays.get(0L).instances().get(0));
        assertThat(overlays.get(1L).note()).isEqualTo("FROM 0");
        assertThat(overlays.get(2L).note()).isEqualTo("FROM 0  AUDIO MISSING");
        assertThat(overlays.get(0L).note()).isEqualTo("INFERRED");
    }

    @Test
    void shouldSayWhenAFramesMasksAreFreshAndDrawThemInsteadOfTheSourceFrames() {
        // Given frame 0 inferred, frame 1 with fresh masks (its own pixels), frame 2 copying frame 1's
        byte[] moved = new byte[24];
        moved[7] = 1;
        InstanceMessage inferred = new InstanceMessage(1, 0, "person", 0.5f, true, List.of(0, 0, 1, 1),
                RleMask.of(4, 6, CocoRle.encode(new BinaryMask(6, 4, new byte[24]))));
        InstanceMessage fresh = new InstanceMessage(1, 0, "person", 0.5f, true, List.of(1, 1, 1, 1),
                RleMask.of(4, 6, CocoRle.encode(new BinaryMask(6, 4, moved))));
        List<MasksMessage> records = List.of(
                new MasksMessage("s", 0, 0, 6, 4, "complete", true, 0, "test", List.of(inferred)),
                new MasksMessage("s", 1, 40_000, 6, 4, "complete", false, 0, 1L, "test", List.of(fresh)),
                new MasksMessage("s", 2, 80_000, 6, 4, "complete", false, 0, 1L, "test", List.of(fresh)));

        // When
        var overlays = MasksOverlays.all(records);

        // Then
        assertThat(overlays.get(1L).note()).isEqualTo("FRESH FROM 0");
        assertThat(overlays.get(2L).note()).isEqualTo("FROM 0");
        assertThat(overlays.get(1L).instances().get(0).mask().data()).containsExactly(moved);
        assertThat(overlays.get(2L).instances().get(0)).isSameAs(overlays.get(1L).instances().get(0));
    }

    @Test
    void shouldDrawABoxOnlyWhenTheMaskSizeDoesNotMatchTheFrame() {
        InstanceMessage instance = new InstanceMessage(1, 0, "person", 0.5f, false, List.of(0, 0, 1, 1),
                RleMask.of(2, 2, CocoRle.encode(new BinaryMask(2, 2, new byte[4]))));
        MasksMessage masks = new MasksMessage("s", 0, 0, 6, 4, "complete", true, 0, "test", List.of(instance));

        FrameOverlay overlay = MasksOverlays.of(masks);

        assertThat(overlay.instances().get(0).mask()).isNull();
        assertThat(overlay.note()).isEqualTo("INFERRED");
    }
}
