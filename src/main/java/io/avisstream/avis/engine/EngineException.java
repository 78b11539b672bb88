package io.avisstream.avis.engine;

/** The engine boundary's one exception type: wraps native failures and keeps their cause. */
public class EngineException extends RuntimeException {

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
