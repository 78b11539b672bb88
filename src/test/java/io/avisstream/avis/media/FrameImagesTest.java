package io.avisstream.avis.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import io.avisstream.avis.message.DlqReason;
import io.avisstream.avis.message.FrameEncoding;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.InvalidMessageException;

/** Strict JPEG input: size from the header before any pixel, truncation and trailing bytes rejected. */
public class FrameImagesTest {

    @Test
    void shouldDecodeAWellFormedJpegOfTheDeclaredSize() throws IOException {
        // Given
        byte[] jpeg = jpeg(32, 24);

        // When
        VideoFrame frame = FrameImages.decode(message(32, 24, jpeg));

        // Then
        assertThat(frame.width()).isEqualTo(32);
        assertThat(frame.height()).isEqualTo(24);
    }

    @Test
    void shouldRejectAHeaderClaimingAHugeSizeWithoutDecodingAnyPixel() throws IOException {
        // Given a ~1 KB JPEG whose SOF claims 26750x26750 (decoding it would allocate ~2 GB), declared 32x24
        byte[] bomb = withSofSize(jpeg(32, 24), 26750, 26750);
        long before = allocatedBytes();

        // When / Then: WRONG_SIZE from the header, with no allocation proportional to the claimed size
        assertThatThrownBy(() -> FrameImages.decode(message(32, 24, bomb))).isInstanceOfSatisfying(
                InvalidMessageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DlqReason.WRONG_SIZE);
                    assertThat(e.getMessage()).contains("26750x26750");
                });
        assertThat(allocatedBytes() - before).as("bytes allocated while rejecting").isLessThan(64L << 20);
    }

    @Test
    void shouldRejectAClaimedSizeBeyondAnyAcceptedFrameEvenWhenTheMessageAgrees() throws IOException {
        // Given header and message both claim 26750x26750 (callers bound the message size; this is the last guard)
        byte[] bomb = withSofSize(jpeg(32, 24), 26750, 26750);

        // When / Then
        assertThatThrownBy(() -> FrameImages.decode(message(26750, 26750, bomb)))
                .isInstanceOfSatisfying(InvalidMessageException.class,
                        e -> assertThat(e.reason()).isEqualTo(DlqReason.OVERSIZED));
    }

    @Test
    void shouldRejectATruncatedJpeg() throws IOException {
        // Given a JPEG cut in the middle of its entropy-coded data, with and without an EOI put back at the end
        byte[] jpeg = noisyJpeg(64, 48);
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
        byte[] cutWithEoi = Arrays.copyOf(cut, cut.length + 2);
        cutWithEoi[cut.length] = (byte) 0xFF;
        cutWithEoi[cut.length + 1] = (byte) 0xD9;

        // When / Then
        for (byte[] bad : new byte[][] { cut, cutWithEoi }) {
            assertThatThrownBy(() -> FrameImages.decode(message(64, 48, bad))).isInstanceOfSatisfying(
                    InvalidMessageException.class, e -> assertThat(e.reason()).isEqualTo(DlqReason.BAD_IMAGE));
        }
    }

    @Test
    void shouldRejectTrailingBytesAfterTheEndOfTheImage() throws IOException {
        // Given
        byte[] jpeg = jpeg(32, 24);
        byte[] trailing = Arrays.copyOf(jpeg, jpeg.length + 3);

        // When / Then
        assertThatThrownBy(() -> FrameImages.decode(message(32, 24, trailing))).isInstanceOfSatisfying(
                InvalidMessageException.class, e -> assertThat(e.reason()).isEqualTo(DlqReason.BAD_IMAGE));
    }

    @Test
    void shouldRejectBytesThatAreNotAJpeg() {
        assertThatThrownBy(() -> FrameImages.decode(message(32, 24, new byte[] { 1, 2, 3, 4 })))
                .isInstanceOfSatisfying(InvalidMessageException.class,
                        e -> assertThat(e.reason()).isEqualTo(DlqReason.BAD_IMAGE));
    }

    private static FrameMessage message(int w, int h, byte[] data) {
        return new FrameMessage("cam", 0, 0, w, h, FrameEncoding.JPEG, data);
    }

    static byte[] jpeg(int w, int h) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0xff0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    private static byte[] noisyJpeg(int w, int h) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    /** The JPEG with its SOF0 height and width replaced (what a hostile or broken encoder can send). */
    public static byte[] withSofSize(byte[] jpeg, int w, int h) {
        byte[] out = jpeg.clone();
        for (int i = 2; i + 8 < out.length; i++) {
            if ((out[i] & 0xff) == 0xFF && (out[i + 1] & 0xff) == 0xC0) {
                out[i + 5] = (byte) (h >> 8);
                out[i + 6] = (byte) h;
                out[i + 7] = (byte) (w >> 8);
                out[i + 8] = (byte) w;
                return out;
            }
        }
        throw new IllegalArgumentException("no SOF0 segment");
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
