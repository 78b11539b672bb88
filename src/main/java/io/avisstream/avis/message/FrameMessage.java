package io.avisstream.avis.message;

import java.util.Arrays;

/**
 * Value of {@code avis.frames.v1} (schema {@code topology/schemas/frame.schema.json}); key = stream id.
 * Stable contract: other capabilities (ingest, demo) produce it.
 *
 * @param streamId the stream, equal to the record key
 * @param seq frame number within the stream, strictly increasing
 * @param ptsMicros presentation timestamp in microseconds, increasing with {@code seq}
 * @param width frame width in pixels
 * @param height frame height in pixels
 * @param encoding {@code jpeg} or {@code rgb24}
 * @param data image bytes (base64 on the wire)
 */
public record FrameMessage(String streamId, long seq, long ptsMicros, int width, int height, FrameEncoding encoding,
        byte[] data) {

    public FrameMessage {
        Messages.requireStreamId(streamId);
        if (seq < 0 || ptsMicros < 0) {
            throw new IllegalArgumentException("seq and ptsMicros must be >= 0, got seq=" + seq + " ptsMicros=" + ptsMicros);
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive: " + width + "x" + height);
        }
        if (encoding == null) {
            throw new IllegalArgumentException("encoding is required");
        }
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("frame data is required");
        }
    }

    /** Bytes a raw {@code rgb24} frame of this size must have. */
    public long expectedRgbBytes() {
        return (long) width * height * 3;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameMessage f && f.streamId.equals(streamId) && f.seq == seq && f.ptsMicros == ptsMicros
                && f.width == width && f.height == height && f.encoding == encoding && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * streamId.hashCode() + Long.hashCode(seq)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FrameMessage[stream=" + streamId + ", seq=" + seq + ", pts=" + ptsMicros + ", " + width + "x" + height
                + " " + encoding.wire() + ", " + data.length + " bytes]";
    }
}
