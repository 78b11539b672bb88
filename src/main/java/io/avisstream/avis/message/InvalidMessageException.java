package io.avisstream.avis.message;

/** A record that cannot become a message; {@link #reason()} is the stable dead-letter code. */
public class InvalidMessageException extends RuntimeException {
    private final DlqReason reason;

    public InvalidMessageException(DlqReason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public InvalidMessageException(DlqReason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    public DlqReason reason() {
        return reason;
    }
}
