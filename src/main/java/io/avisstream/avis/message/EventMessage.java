package io.avisstream.avis.message;

/**
 * Value of {@code avis.events.v1} (schema {@code topology/schemas/event.schema.json}); key = stream id.
 *
 * @param seq the inferred frame that confirmed the change
 * @param trackId the track, for onset/offset; null for count changes
 * @param soundingCount confirmed sounding tracks after this event
 * @param previousCount confirmed sounding tracks before it
 */
public record EventMessage(String streamId, long seq, long ptsMicros, EventType type, Long trackId, Integer classId,
        String className, int soundingCount, int previousCount) {
    public EventMessage {
        Messages.requireStreamId(streamId);
        if (type == null) {
            throw new IllegalArgumentException("event type is required");
        }
        if (type != EventType.COUNT_CHANGE && trackId == null) {
            throw new IllegalArgumentException(type.wire() + " needs a trackId");
        }
        if (soundingCount < 0 || previousCount < 0) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
    }
}
