package io.avisstream.avis.message;

import com.fasterxml.jackson.annotation.JsonValue;

/** Kinds of {@code avis.events.v1} records. */
public enum EventType {
    /** A track became sounding (confirmed over the on-hysteresis). */
    ONSET("onset"),
    /** A sounding track stopped (not sounding or absent over the off-hysteresis). */
    OFFSET("offset"),
    /** The number of confirmed sounding tracks changed. */
    COUNT_CHANGE("count_change");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
