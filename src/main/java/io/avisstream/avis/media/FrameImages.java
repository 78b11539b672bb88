package io.avisstream.avis.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import io.avisstream.avis.message.DlqReason;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.InvalidMessageException;

/**
 * Turns a frame message's bytes into packed RGB24, or says precisely why it cannot.
 *
 * <p>JPEG is strict, and nothing is allocated in proportion to a size the bytes merely claim: the dimensions are
 * read from the header (the SOF segment, through {@link ImageReader#getWidth}) and compared with the message's
 * (already bounded by {@code avis.join.max-frame-*}) before a single pixel is decoded. The bytes must start with
 * SOI and end with EOI, and a decoder warning (premature end of data, corrupt entropy data) rejects the frame
 * ({@code BAD_IMAGE}) instead of yielding a grey-filled image.
 */
public final class FrameImages {
    private static final int SOI_1 = 0xFF;
    private static final int SOI_2 = 0xD8;
    private static final int EOI_2 = 0xD9;
    /**
     * Largest image this class decodes (8192 x 8192), whatever a caller declares: callers bound frames far lower
     * ({@code avis.join.max-frame-*}), this guard keeps the class safe on its own.
     */
    static final long MAX_PIXELS = 8192L * 8192L;

    private FrameImages() {
    }

    public static VideoFrame decode(FrameMessage frame) {
        return switch (frame.encoding()) {
            case RGB24 -> {
                if (frame.data().length != frame.expectedRgbBytes()) {
                    throw new InvalidMessageException(DlqReason.WRONG_SIZE, "rgb24 " + frame.width() + "x"
                            + frame.height() + " needs " + frame.expectedRgbBytes() + " bytes, got " + frame.data().length);
                }
                yield new VideoFrame(frame.width(), frame.height(), frame.data());
            }
            case JPEG -> decodeJpeg(frame);
        };
    }

    private static VideoFrame decodeJpeg(FrameMessage frame) {
        if ((long) frame.width() * frame.height() > MAX_PIXELS) {
            throw new InvalidMessageException(DlqReason.OVERSIZED, "frame " + frame.width() + "x" + frame.height()
                    + " is larger than any decodable frame (" + MAX_PIXELS + " pixels)");
        }
        byte[] data = frame.data();
        int n = data.length;
        if (n < 4 || (data[0] & 0xff) != SOI_1 || (data[1] & 0xff) != SOI_2) {
            throw new InvalidMessageException(DlqReason.BAD_IMAGE, "not a JPEG: no SOI marker at the start");
        }
        if ((data[n - 2] & 0xff) != 0xFF || (data[n - 1] & 0xff) != EOI_2) {
            throw new InvalidMessageException(DlqReason.BAD_IMAGE, "JPEG is truncated or has trailing bytes: no EOI"
                    + " marker at the end");
        }
        ImageReader reader = jpegReader();
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(in, true, true);
            // Header only: the SOF segment gives the size; nothing proportional to it has been allocated yet.
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if (w != frame.width() || h != frame.height()) {
                throw new InvalidMessageException(DlqReason.WRONG_SIZE, "JPEG header says " + w + "x" + h
                        + ", message says " + frame.width() + "x" + frame.height());
            }
            image = reader.read(0);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidMessageException invalid) {
                throw invalid;
            }
            throw new InvalidMessageException(DlqReason.BAD_IMAGE, "JPEG does not decode: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
        if (!warnings.isEmpty()) {
            throw new InvalidMessageException(DlqReason.BAD_IMAGE, "JPEG is corrupt: " + warnings.get(0));
        }
        if (image == null || image.getWidth() != frame.width() || image.getHeight() != frame.height()) {
            throw new InvalidMessageException(DlqReason.BAD_IMAGE, "JPEG decoded to another size than its header");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            rgb[3 * i] = (byte) (argb[i] >> 16);
            rgb[3 * i + 1] = (byte) (argb[i] >> 8);
            rgb[3 * i + 2] = (byte) argb[i];
        }
        return new VideoFrame(w, h, rgb);
    }

    private static ImageReader jpegReader() {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        if (!readers.hasNext()) {
            throw new IllegalStateException("no JPEG ImageReader in this JRE");
        }
        return readers.next();
    }
}
