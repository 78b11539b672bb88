package io.avisstream.avis.message;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a frame's {@code data} is encoded. */
public enum FrameEncoding {
    /** A JPEG (baseline or progressive) file. */
    JPEG("jpeg"),
    /** Packed RGB, row-major, {@code width * height * 3} bytes. */
    RGB24("rgb24");

    private final String wire;

    FrameEncoding(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
