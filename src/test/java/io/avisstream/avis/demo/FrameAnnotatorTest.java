package io.avisstream.avis.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.VideoFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameAnnotatorTest {

    private static final int W = 120;
    private static final int H = 90;
    private static final int GREY = 100;

    private final FrameAnnotator annotator = new FrameAnnotator();

    private static VideoFrame grey() {
        byte[] rgb = new byte[W * H * 3];
        java.util.Arrays.fill(rgb, (byte) GREY);
        return new VideoFrame(W, H, rgb);
    }

    /** A mask that is 1 inside [x, x+w) x [y, y+h). */
    private static BinaryMask rect(int x, int y, int w, int h) {
        byte[] bits = new byte[W * H];
        for (int yy = y; yy < y + h; yy++) {
            for (int xx = x; xx < x + w; xx++) {
                bits[yy * W + xx] = 1;
            }
        }
        return new BinaryMask(W, H, bits);
    }

    private static int pixel(VideoFrame frame, int x, int y) {
        int i = (y * frame.width() + x) * 3;
        return ((frame.rgb()[i] & 0xff) << 16) | ((frame.rgb()[i + 1] & 0xff) << 8) | (frame.rgb()[i + 2] & 0xff);
    }

    private static int blend(int colour, double alpha) {
        int r = (int) Math.round((1 - alpha) * GREY + alpha * ((colour >> 16) & 0xff));
        int g = (int) Math.round((1 - alpha) * GREY + alpha * ((colour >> 8) & 0xff));
        int b = (int) Math.round((1 - alpha) * GREY + alpha * (colour & 0xff));
        return (r << 16) | (g << 8) | b;
    }

    @Test
    void shouldTintMaskInteriorWithTheTrackColourAndLeaveTheRestUntouched() {
        // Given: one silent instance, mask and box at (40,40) 30x30
        VideoFrame frame = grey();
        InstanceOverlay dog = new InstanceOverlay(7, "dog", 0.8f, false, 40, 40, 30, 30, rect(40, 40, 30, 30));
        int colour = TrackColours.of(7);

        // When
        VideoFrame out = annotator.annotate(frame, List.of(dog), "");

        // Then: interior blended at the silent alpha, edge solid, far pixels unchanged, input untouched
        assertThat(pixel(out, 55, 55)).isEqualTo(blend(colour, FrameAnnotator.SILENT_ALPHA));
        assertThat(pixel(out, 40, 55)).isEqualTo(colour);
        assertThat(pixel(out, 100, 80)).isEqualTo(GREY << 16 | GREY << 8 | GREY);
        assertThat(pixel(out, 10, 80)).isEqualTo(GREY << 16 | GREY << 8 | GREY);
        assertThat(pixel(frame, 55, 55)).isEqualTo(GREY << 16 | GREY << 8 | GREY);
    }

    @Test
    void shouldHighlightSoundingObjectsMoreThanSilentOnes() {
        // Given: the same box, once sounding and once silent
        BinaryMask mask = rect(40, 40, 30, 30);
        InstanceOverlay loud = new InstanceOverlay(3, "guitar", 0.9f, true, 40, 40, 30, 30, mask);
        InstanceOverlay quiet = new InstanceOverlay(3, "guitar", 0.9f, false, 40, 40, 30, 30, mask);
        int colour = TrackColours.of(3);

        // When
        VideoFrame loudOut = annotator.annotate(grey(), List.of(loud), "");
        VideoFrame quietOut = annotator.annotate(grey(), List.of(quiet), "");

        // Then: stronger tint inside, and a thick outline (2nd pixel in is still solid) only when sounding
        assertThat(pixel(loudOut, 55, 55)).isEqualTo(blend(colour, FrameAnnotator.SOUNDING_ALPHA));
        assertThat(pixel(quietOut, 55, 55)).isEqualTo(blend(colour, FrameAnnotator.SILENT_ALPHA));
        assertThat(pixel(loudOut, 41, 55)).isEqualTo(colour);
        assertThat(pixel(quietOut, 41, 55)).isNotEqualTo(colour);
        // sounding label: solid track colour background above the box
        assertThat(pixel(loudOut, 40, 40 - 2)).isEqualTo(colour);
        assertThat(pixel(quietOut, 40, 40 - 2)).isNotEqualTo(colour);
    }

    @Test
    void shouldGiveEachTrackItsOwnStableColour() {
        assertThat(TrackColours.of(1)).isEqualTo(TrackColours.of(1));
        assertThat(List.of(TrackColours.of(1), TrackColours.of(2), TrackColours.of(3), TrackColours.of(4)))
                .doesNotHaveDuplicates();
    }

    @Test
    void shouldWriteTheLabelAndHeaderText() {
        // Given
        InstanceOverlay piano = new InstanceOverlay(12, "piano", 0.5f, false, 10, 60, 50, 20, null);

        // When
        VideoFrame out = annotator.annotate(grey(), List.of(piano), "FRAME 3");

        // Then: glyph pixels in the label colour appear in the label strip above the box, white ones in the header
        int colour = TrackColours.of(12);
        long labelPixels = countPixels(out, 10, 60 - 9, 90, 9, colour);
        long headerPixels = countPixels(out, 0, 0, 60, 11, 0xffffff);
        assertThat(piano.label()).isEqualTo("#12 piano 0.50");
        assertThat(labelPixels).isGreaterThan(30);
        assertThat(headerPixels).isGreaterThan(20);
    }

    @Test
    void shouldRejectAMaskOfAnotherSize() {
        InstanceOverlay bad = new InstanceOverlay(1, "man", 0.9f, true, 0, 0, 4, 4,
                new BinaryMask(4, 4, new byte[] { 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }));
        assertThatThrownBy(() -> annotator.annotate(grey(), List.of(bad), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4x4");
    }

    @Test
    void shouldScaleTextWithFrameHeight() {
        assertThat(FrameAnnotator.textScale(90)).isEqualTo(1);
        assertThat(FrameAnnotator.textScale(360)).isEqualTo(2);
        assertThat(FrameAnnotator.textScale(720)).isEqualTo(4);
    }

    @Test
    void shouldHaveAGlyphForEveryCharacterOfTheAvisegClassNames() {
        // the 26 AVISeg categories (aviseg-data-and-metrics.md section 1.3) plus label punctuation
        String names = "person violin guitar cello flute piano ukulele accordion guzheng clarinet cat car "
                + "saxophone dog lawn_mover tuba banjo pipa bassoon airplane tree_harvester trumpet lion bass erhu "
                + "horse #0123456789.-_:/%";
        for (char c : names.toCharArray()) {
            assertThat(BitmapFont.hasGlyph(c)).as("glyph for '%s'", c).isTrue();
        }
    }

    private static long countPixels(VideoFrame frame, int x, int y, int w, int h, int colour) {
        long n = 0;
        for (int yy = Math.max(0, y); yy < Math.min(frame.height(), y + h); yy++) {
            for (int xx = Math.max(0, x); xx < Math.min(frame.width(), x + w); xx++) {
                n += pixel(frame, xx, yy) == colour ? 1 : 0;
            }
        }
        return n;
    }
}
