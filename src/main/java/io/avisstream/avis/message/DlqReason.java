package io.avisstream.avis.message;

/**
 * Stable codes of the {@code avis.dlq.reason} header. Codes are part of the contract: never rename one,
 * only add.
 */
public enum DlqReason {
    /** Key or value bytes are not UTF-8 JSON / not a UTF-8 key at all. */
    UNDECODABLE,
    /** The record has no key (the key must be the stream id). */
    MISSING_KEY,
    /** Valid JSON that violates the topic's JSON Schema or the record's invariants. */
    SCHEMA_VIOLATION,
    /** The key differs from the value's {@code streamId}. */
    KEY_MISMATCH,
    /** Image bytes that do not decode (corrupt JPEG). */
    BAD_IMAGE,
    /** Image bytes whose size differs from width x height (x 3 for rgb24). */
    WRONG_SIZE,
    /** A frame larger than the configured maximum size. */
    OVERSIZED,
    /** A frame older than the grace period, or behind an already emitted frame of its stream. */
    LATE_FRAME,
    /** A frame whose seq is already buffered or emitted. */
    DUPLICATE_FRAME,
    /** A frame whose pts does not increase with seq. */
    NON_MONOTONIC_PTS,
    /** An audio chunk that ends before every frame that could still use it (older than the grace period). */
    LATE_AUDIO
}
