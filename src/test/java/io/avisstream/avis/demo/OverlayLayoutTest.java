package io.avisstream.avis.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.VideoFrame;

/**
 * Header and labels on real frame sizes with objects touching the top edge: nothing overlaps, nothing leaves the
 * frame, empty masks get no label. Each case is also written as a PNG under {@code target/overlay/} to look at.
 */
class OverlayLayoutTest {
    private static final String LONG_HEADER = "FRAME 1234  T=49.36S  SOUNDING 3/5  FROM 1225  AUDIO PARTIAL";

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({ "1280, 720", "540, 360" })
    void shouldKeepHeaderAndLabelsApartAndInsideTheFrame(int w, int h) throws IOException {
        // Given objects at the top edge (one under the header, two side by side with equal tops), one at the
        // right edge, and an instance whose mask is empty (bbox [0,0,0,0] as the engine used to publish it)
        List<InstanceOverlay> instances = new ArrayList<>();
        instances.add(rect(1, "guitar", 0.91f, true, w, h, 0, 0, w / 4, h / 3));
        instances.add(rect(2, "person", 0.88f, true, w, h, w / 4 + 2, 0, w / 5, h / 4));
        instances.add(rect(3, "accordion", 0.75f, false, w, h, w / 4 + 6, 0, w / 5, h / 5));
        instances.add(rect(4, "tree_harvester", 0.66f, false, w, h, w - w / 6, h / 2, w / 6, h / 3));
        instances.add(new InstanceOverlay(5, "violin", 0.5f, true, 0, 0, 0, 0, new BinaryMask(w, h, new byte[w * h])));

        // When
        FrameAnnotator.Layout layout = FrameAnnotator.layout(w, h, instances, LONG_HEADER);
        VideoFrame out = new FrameAnnotator().annotate(grey(w, h), instances, LONG_HEADER);
        writePng(out, Path.of("target/overlay/overlay-" + w + "x" + h + ".png"));

        // Then the header fits the width and keeps every word (wrapped, not cut)
        FrameAnnotator.Header header = layout.header();
        assertThat(header.box().inside(w, h)).isTrue();
        assertThat(String.join("  ", header.lines())).isEqualTo(LONG_HEADER);
        for (String line : header.lines()) {
            assertThat(BitmapFont.width(line, header.scale()) + 4 * header.scale()).isLessThanOrEqualTo(w);
        }
        // and one label per non-empty instance, inside, off the header and off each other
        assertThat(layout.labels()).extracting(l -> l.instance().trackId()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
        List<FrameAnnotator.Box> boxes = new ArrayList<>();
        for (FrameAnnotator.Label label : layout.labels()) {
            assertThat(label.box().inside(w, h)).as("label %s inside", label.text()).isTrue();
            assertThat(label.box().overlaps(header.box())).as("label %s over header", label.text()).isFalse();
            for (FrameAnnotator.Box other : boxes) {
                assertThat(label.box().overlaps(other)).as("label %s over another", label.text()).isFalse();
            }
            boxes.add(label.box());
        }
        // and the drawn header bar has no track colour in it (no label drawn underneath or over it)
        for (int y = 0; y < header.box().h(); y++) {
            for (int x = 0; x < header.box().w(); x++) {
                int p = pixel(out, x, y);
                for (long id = 1; id <= 5; id++) {
                    assertThat(p).as("pixel %d,%d", x, y).isNotEqualTo(TrackColours.of(id));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({ "1280, 720", "540, 360" })
    void shouldShortenAHeaderPartWiderThanTheFrame(int w, int h) {
        // Given a single part without double spaces, longer than any frame is wide
        String part = "X".repeat(400);

        // When
        FrameAnnotator.Header header = FrameAnnotator.layout(w, h, List.of(), part).header();

        // Then it is cut with '..' and fits
        assertThat(header.lines()).hasSize(1);
        assertThat(header.lines().get(0)).endsWith("..");
        assertThat(header.box().w()).isLessThanOrEqualTo(w);
        assertThat(BitmapFont.width(header.lines().get(0), header.scale()) + 4 * header.scale()).isLessThanOrEqualTo(w);
    }

    private static InstanceOverlay rect(long id, String cls, float score, boolean sounding, int w, int h, int x, int y,
            int bw, int bh) {
        byte[] bits = new byte[w * h];
        for (int yy = y; yy < y + bh; yy++) {
            for (int xx = x; xx < x + bw; xx++) {
                bits[yy * w + xx] = 1;
            }
        }
        return new InstanceOverlay(id, cls, score, sounding, x, y, bw, bh, new BinaryMask(w, h, bits));
    }

    private static VideoFrame grey(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            int y = i / 3 / w;
            rgb[i] = (byte) (90 + y * 60 / h);
            rgb[i + 1] = (byte) (100 + y * 40 / h);
            rgb[i + 2] = (byte) 110;
        }
        return new VideoFrame(w, h, rgb);
    }

    private static int pixel(VideoFrame frame, int x, int y) {
        int i = (y * frame.width() + x) * 3;
        return ((frame.rgb()[i] & 0xff) << 16) | ((frame.rgb()[i + 1] & 0xff) << 8) | (frame.rgb()[i + 2] & 0xff);
    }

    private static void writePng(VideoFrame frame, Path file) throws IOException {
        BufferedImage image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < frame.height(); y++) {
            for (int x = 0; x < frame.width(); x++) {
                image.setRGB(x, y, pixel(frame, x, y));
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }
}
