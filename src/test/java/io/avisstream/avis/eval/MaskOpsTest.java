package io.avisstream.avis.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.CocoRle;

/** Rasterisation, union and IoU with the reference mask API's semantics (spec §1.5). */
class MaskOpsTest {

    @Test
    void shouldRasteriseTheSpecTriangleBitExactly() {
        // Given the triangle [1,1, 8,1, 1,6] in a 10x10 image
        double[] xy = { 1, 1, 8, 1, 1, 6 };

        // When
        Rle r = Polygons.rasterize(xy, 10, 10);

        // Then
        assertThat(r.counts()).containsExactly(11, 5, 5, 4, 6, 3, 7, 2, 8, 2, 8, 1, 38);
        assertThat(r.encoded()).isEqualTo(";55O1O1O100On0");
        assertThat(r.area()).isEqualTo(17);
    }

    @Test
    void shouldCoverExactlyTheIntegerRectangleOfARectanglePolygon() {
        Random random = new Random(5);
        for (int n = 0; n < 200; n++) {
            // Given a random integer rectangle inside a 48x64 image
            int x0 = random.nextInt(60);
            int y0 = random.nextInt(44);
            int x1 = x0 + 1 + random.nextInt(64 - x0);
            int y1 = y0 + 1 + random.nextInt(48 - y0);
            byte[] expected = new byte[48 * 64];
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    expected[y * 64 + x] = 1;
                }
            }

            // When
            Rle polygon = Polygons.rasterize(new double[] { x0, y0, x1, y0, x1, y1, x0, y1 }, 48, 64);
            Rle box = Polygons.box(x0, y0, x1 - x0, y1 - y0, 48, 64);

            // Then
            assertThat(polygon.encoded()).isEqualTo(CocoRle.encode(new BinaryMask(64, 48, expected)));
            assertThat(box).isEqualTo(polygon);
            assertThat(polygon.area()).isEqualTo((long) (x1 - x0) * (y1 - y0));
        }
    }

    @Test
    void shouldUniteMasksPixelWiseAndGiveAnEmptyZeroByZeroMaskForDifferentSizes() {
        // Given two overlapping rectangles
        Rle a = Polygons.rasterize(new double[] { 0, 0, 4, 0, 4, 4, 0, 4 }, 10, 10);
        Rle b = Polygons.rasterize(new double[] { 2, 2, 6, 2, 6, 6, 2, 6 }, 10, 10);

        // When
        Rle union = MaskOps.union(List.of(a, b));

        // Then
        assertThat(union.area()).isEqualTo(16 + 16 - 4);
        assertThat(MaskOps.intersection(union, a)).isEqualTo(16);
        Rle mismatch = MaskOps.union(List.of(a, Rle.empty(5, 5)));
        assertThat(mismatch.height()).isZero();
        assertThat(mismatch.width()).isZero();
    }

    @Test
    void shouldGiveMinusOneForDifferentSizesOnlyWhenTheBoxesOverlap() {
        // Given masks of different sizes, overlapping and apart
        Rle big = Polygons.box(0, 0, 4, 4, 10, 10);
        Rle smallOverlapping = Polygons.box(1, 1, 2, 2, 8, 8);
        Rle smallApart = Polygons.box(6, 6, 2, 2, 8, 8);

        // Then
        assertThat(MaskOps.iou(big, smallOverlapping)).isEqualTo(-1);
        assertThat(MaskOps.iou(big, smallApart)).isZero();
        assertThat(MaskOps.iou(big, Rle.empty(10, 10))).isZero();
        assertThat(MaskOps.iou(big, Polygons.box(2, 0, 4, 4, 10, 10))).isEqualTo(8.0 / 24.0);
    }

    @Test
    void shouldRejectRunsThatDoNotCoverTheMask() {
        assertThatThrownBy(() -> Rle.ofCounts(2, 2, new long[] { 1, 2 })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runs cover 3 pixels");
    }

    @Test
    void shouldKeepTheLiteralCountsStringForTheFslaEmptyTest() {
        // Given the 720p empty string and a non-canonical equivalent (a trailing empty run pair)
        Rle canonical = Rle.ofString(720, 1280, "PPTl0");
        Rle padded = Rle.ofCounts(720, 1280, new long[] { 921600, 0, 0 });

        // Then the same pixels, different strings
        assertThat(padded).isEqualTo(canonical);
        assertThat(canonical.encoded()).isEqualTo(Rle.EMPTY_720P);
        assertThat(padded.encoded()).isNotEqualTo(Rle.EMPTY_720P);
    }
}
