package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.avisstream.avis.media.VideoFrame;

/** Resize parity with PIL's bilinear (vectors of {@code engines/tools/make_parity_vectors.py}). */
class FrameResizerTest {

    private final FrameResizer resizer = FrameResizer.official();

    @ParameterizedTest
    @ValueSource(strings = {"down_400x500", "down_portrait_397x371", "up_300x400", "clamp_120x1000", "odd_61x97"})
    void shouldMatchPilBilinearByteForByte(String name) {
        // Given
        Npy input = Npy.resource("parity/resize/" + name + ".in.npy");
        Npy expected = Npy.resource("parity/resize/" + name + ".out.npy");
        int height = (int) input.shape()[0];
        int width = (int) input.shape()[1];

        // When
        FrameGeometry geometry = resizer.geometry(width, height);
        byte[] resized = FrameResizer.resizeRgb(input.bytes(), width, height, geometry.resizedWidth(),
                geometry.resizedHeight());

        // Then
        assertThat(new long[] {geometry.resizedHeight(), geometry.resizedWidth(), 3}).containsExactly(expected.shape());
        assertThat(resized).isEqualTo(expected.bytes());
    }

    @Test
    void shouldResize1280x720To640x360PaddedTo640x384() {
        // Given / When
        FrameGeometry geometry = resizer.geometry(1280, 720);

        // Then
        assertThat(geometry).isEqualTo(new FrameGeometry(1280, 720, 640, 360, 640, 384));
    }

    @Test
    void shouldClampTheLongSideTo1333() {
        // Given / When
        FrameGeometry geometry = resizer.geometry(1000, 120);

        // Then
        assertThat(geometry).isEqualTo(new FrameGeometry(1000, 120, 1333, 160, 1344, 160));
    }

    @Test
    void shouldWritePlanarChwFloats() {
        // Given: a 2x1 frame that needs no resampling along x (short side already 360 would need 360 rows),
        // so use a frame whose geometry is the identity: 360x360.
        byte[] rgb = new byte[360 * 360 * 3];
        rgb[0] = (byte) 200;
        rgb[1] = 10;
        rgb[2] = (byte) 255;
        VideoFrame frame = new VideoFrame(360, 360, rgb);
        FrameGeometry geometry = resizer.geometry(360, 360);
        float[] chw = new float[3 * 360 * 360 + 5];

        // When
        resizer.resizeToChw(frame, geometry, chw, 5);

        // Then
        assertThat(new float[] {chw[5], chw[5 + 360 * 360], chw[5 + 2 * 360 * 360]}).containsExactly(200f, 10f, 255f);
    }
}
