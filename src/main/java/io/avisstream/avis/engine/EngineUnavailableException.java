package io.avisstream.avis.engine;

/**
 * An engine kind cannot run on this machine (no GPU, no TensorRT, CPU-only natives). The message is one
 * sentence that says what is missing; {@link EngineFactory} falls back to another kind only when configured.
 */
public class EngineUnavailableException extends EngineException {

    private final EngineKind kind;

    public EngineUnavailableException(EngineKind kind, String sentence) {
        super(sentence);
        this.kind = kind;
    }

    public EngineKind kind() {
        return kind;
    }
}
