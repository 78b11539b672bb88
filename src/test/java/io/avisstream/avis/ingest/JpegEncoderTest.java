package io.avisstream.avis.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.avisstream.avis.media.VideoFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class JpegEncoderTest {

    @Test
    void shouldEncodeAJpegThatDecodesToTheSameColoursInRgbOrder() throws Exception {
        // Given: left half red, right half blue, 64x32
        byte[] rgb = new byte[64 * 32 * 3];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                int i = (y * 64 + x) * 3;
                rgb[i] = (byte) (x < 32 ? 220 : 10);
                rgb[i + 2] = (byte) (x < 32 ? 10 : 220);
            }
        }

        // When
        byte[] jpeg = new JpegEncoder(90).encode(new VideoFrame(64, 32, rgb));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));

        // Then: a JPEG (SOI marker) of the right size, red on the left and blue on the right
        assertThat(jpeg[0] & 0xff).isEqualTo(0xff);
        assertThat(jpeg[1] & 0xff).isEqualTo(0xd8);
        assertThat(image.getWidth()).isEqualTo(64);
        assertThat(image.getHeight()).isEqualTo(32);
        int left = image.getRGB(8, 16);
        int right = image.getRGB(56, 16);
        assertThat((left >> 16) & 0xff).isGreaterThan(190);
        assertThat(left & 0xff).isLessThan(40);
        assertThat(right & 0xff).isGreaterThan(190);
        assertThat((right >> 16) & 0xff).isLessThan(40);
    }

    @Test
    void shouldRejectQualityOutOfRange() {
        assertThatThrownBy(() -> new JpegEncoder(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JpegEncoder(101)).isInstanceOf(IllegalArgumentException.class);
    }
}
