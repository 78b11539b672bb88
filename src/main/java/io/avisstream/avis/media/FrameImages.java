package io.avisstream.avis.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import io.avisstream.avis.message.DlqReason;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.InvalidMessageException;

/** Turns a frame message's bytes into packed RGB24, or says precisely why it cannot. */
public final class FrameImages {

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
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(frame.data()));
        } catch (IOException | RuntimeException e) {
            throw new InvalidMessageException(DlqReason.BAD_IMAGE, "JPEG does not decode: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new InvalidMessageException(DlqReason.BAD_IMAGE, "bytes are not a readable image");
        }
        if (image.getWidth() != frame.width() || image.getHeight() != frame.height()) {
            throw new InvalidMessageException(DlqReason.WRONG_SIZE, "JPEG is " + image.getWidth() + "x"
                    + image.getHeight() + ", message says " + frame.width() + "x" + frame.height());
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
}
