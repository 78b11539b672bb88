package io.avisstream.avis.ingest;

import io.avisstream.avis.message.FrameEncoding;
import io.avisstream.avis.message.FrameMessage;
import java.util.Locale;

/**
 * Turns decoded frames into frames-topic messages that fit the topic: raw {@code rgb24} when the record fits the
 * frames topic's {@code max.message.bytes}, JPEG otherwise ({@link Mode#AUTO}), or one encoding forced. A frame that
 * cannot fit is refused with {@link FrameTooLargeException}, which names the record size and the limit.
 *
 * <p>Record sizes are computed, not guessed by trial: the value is JSON with the pixels in base64 (4 bytes per 3),
 * plus a fixed allowance for the other fields, the key and Kafka's record and batch headers.
 */
public final class FrameEncoder {

    /** JSON fields besides the pixels, the key and Kafka's record + batch headers: generous on purpose. */
    static final int RECORD_OVERHEAD_BYTES = 1024;

    public enum Mode {
        AUTO, JPEG, RGB24;

        public static Mode parse(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--encoding must be auto, jpeg or rgb24, got " + text);
            }
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A frame whose record would exceed the frames topic's limit in every allowed encoding. */
    public static final class FrameTooLargeException extends RuntimeException {
        public FrameTooLargeException(String message) {
            super(message);
        }
    }

    private final Mode mode;
    private final int recordLimitBytes;
    private final JpegEncoder jpeg;

    /**
     * @param recordLimitBytes {@code max.message.bytes} of the frames topic
     * @param jpegQuality 1..100
     */
    public FrameEncoder(Mode mode, int recordLimitBytes, int jpegQuality) {
        this.mode = mode;
        this.recordLimitBytes = recordLimitBytes;
        this.jpeg = new JpegEncoder(jpegQuality);
    }

    /** Size of the record holding {@code payloadBytes} of image data for {@code streamId}. */
    static long recordBytes(String streamId, long payloadBytes) {
        return 4 * ((payloadBytes + 2) / 3) + RECORD_OVERHEAD_BYTES + 2L * streamId.length();
    }

    /** The message for {@code frame} under {@code seq} / {@code ptsMicros} of the outgoing stream. */
    public FrameMessage encode(String streamId, long seq, long ptsMicros, DecodedFrame frame) {
        var image = frame.frame();
        long rawRecord = recordBytes(streamId, image.rgb().length);
        if (mode == Mode.RGB24 || (mode == Mode.AUTO && rawRecord <= recordLimitBytes)) {
            if (rawRecord > recordLimitBytes) {
                throw tooLarge(image.width(), image.height(), "rgb24", rawRecord,
                        "; --encoding auto or jpeg sends it as JPEG");
            }
            return new FrameMessage(streamId, seq, ptsMicros, image.width(), image.height(), FrameEncoding.RGB24,
                    image.rgb());
        }
        byte[] bytes = jpeg.encode(image);
        long jpegRecord = recordBytes(streamId, bytes.length);
        if (jpegRecord > recordLimitBytes) {
            throw tooLarge(image.width(), image.height(), "JPEG", jpegRecord, "");
        }
        return new FrameMessage(streamId, seq, ptsMicros, image.width(), image.height(), FrameEncoding.JPEG, bytes);
    }

    private FrameTooLargeException tooLarge(int width, int height, String encoding, long bytes, String hint) {
        return new FrameTooLargeException(String.format(Locale.ROOT,
                "a %dx%d frame as %s is a %d-byte record, over the frames topic's max.message.bytes of %d%s",
                width, height, encoding, bytes, recordLimitBytes, hint));
    }
}
