package io.avisstream.avis.message;

/** Shared checks of the message records. */
public final class Messages {
    public static final int MAX_STREAM_ID_LENGTH = 255;

    private Messages() {
    }

    static void requireStreamId(String streamId) {
        if (streamId == null || streamId.isEmpty() || streamId.length() > MAX_STREAM_ID_LENGTH) {
            throw new IllegalArgumentException("streamId must have 1.." + MAX_STREAM_ID_LENGTH + " characters");
        }
    }

}
