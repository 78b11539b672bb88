package io.avisstream.avis.ingest;

/** A media file could not be opened, decoded or written; the message names the file and the FFmpeg error. */
public class MediaException extends RuntimeException {

    public MediaException(String message) {
        super(message);
    }

    public MediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
