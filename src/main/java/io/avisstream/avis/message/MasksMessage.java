package io.avisstream.avis.message;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.OptBoolean;


/**
 * Value of {@code avis.masks.v1} (schema {@code topology/schemas/masks.schema.json}); key = stream id.
 * Exactly one per input frame, in per-stream {@code seq} order. Stable contract.
 *
 * @param audio coverage of the frame's audio window: {@code complete}, {@code partial} or {@code missing}
 * @param inferred true when the engine ran on this frame
 * @param sourceSeq the frame whose inference produced {@code instances} ({@code == seq} when inferred)
 * @param maskSeq the frame whose pixels the masks were computed on: {@code seq} when inferred or when the masks are
 *        fresh (this frame's m_t with {@code sourceSeq}'s mask embeddings, {@code avis.inference.mask-fps}), an
 *        earlier frame when they are copied. Optional on the wire: records written before it read as
 *        {@code sourceSeq} (as does -1 in the constructor)
 * @param engine the active engine's name
 * @param instancesDropped how many instances (lowest scores) were left out because even without masks the record did
 *        not fit the masks topic's size limit; written only when > 0 (masks left out: {@link InstanceMessage#maskDropped})
 */
public record MasksMessage(String streamId, long seq, long ptsMicros, int width, int height, String audio,
        boolean inferred, long sourceSeq,
        @JacksonInject(value = Json.ABSENT_SEQ, useInput = OptBoolean.TRUE) long maskSeq,
        String engine, List<InstanceMessage> instances,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JacksonInject(value = Json.ABSENT_ZERO, useInput = OptBoolean.TRUE) int instancesDropped) {
    public MasksMessage {
        if (instancesDropped < 0) {
            throw new IllegalArgumentException("instancesDropped must be >= 0, got " + instancesDropped);
        }
        Messages.requireStreamId(streamId);
        coverageOf(audio);
        if (inferred && sourceSeq != seq) {
            throw new IllegalArgumentException("an inferred frame is its own source: seq=" + seq + " sourceSeq=" + sourceSeq);
        }
        if (!inferred && sourceSeq > seq) {
            throw new IllegalArgumentException("sourceSeq " + sourceSeq + " is after seq " + seq);
        }
        maskSeq = maskSeq == -1 ? sourceSeq : maskSeq;
        if (maskSeq < sourceSeq || maskSeq > seq || (inferred && maskSeq != seq)) {
            throw new IllegalArgumentException("maskSeq " + maskSeq + " must be in [sourceSeq " + sourceSeq + ", seq "
                    + seq + "] (= seq when inferred)");
        }
        instances = List.copyOf(instances);
    }

    /** A record whose masks are those of {@code sourceSeq} (inferred there, or copied from it). */
    public MasksMessage(String streamId, long seq, long ptsMicros, int width, int height, String audio,
            boolean inferred, long sourceSeq, String engine, List<InstanceMessage> instances) {
        this(streamId, seq, ptsMicros, width, height, audio, inferred, sourceSeq, -1, engine, instances, 0);
    }

    /** A record whose masks were computed on frame {@code maskSeq}. */
    public MasksMessage(String streamId, long seq, long ptsMicros, int width, int height, String audio,
            boolean inferred, long sourceSeq, long maskSeq, String engine, List<InstanceMessage> instances) {
        this(streamId, seq, ptsMicros, width, height, audio, inferred, sourceSeq, maskSeq, engine, instances, 0);
    }

    /** A record whose masks are those of {@code sourceSeq}, with {@code instancesDropped} (the size fit). */
    public MasksMessage(String streamId, long seq, long ptsMicros, int width, int height, String audio,
            boolean inferred, long sourceSeq, String engine, List<InstanceMessage> instances, int instancesDropped) {
        this(streamId, seq, ptsMicros, width, height, audio, inferred, sourceSeq, -1, engine, instances,
                instancesDropped);
    }

    /** The same frame with other instances (the size fit). */
    public MasksMessage withInstances(List<InstanceMessage> newInstances, int dropped) {
        return new MasksMessage(streamId, seq, ptsMicros, width, height, audio, inferred, sourceSeq, maskSeq, engine,
                newInstances, dropped);
    }

    /** Fresh masks: computed on this frame between inferences, for {@code sourceSeq}'s instances. */
    @JsonIgnore
    public boolean freshMasks() {
        return !inferred && maskSeq == seq;
    }

    /** Instances whose mask was left out to fit the size limit. */
    @JsonIgnore
    public long masksDropped() {
        return instances.stream().filter(InstanceMessage::maskDropped).count();
    }

    public static String wire(AudioCoverage coverage) {
        return coverage.name().toLowerCase(Locale.ROOT);
    }

    @JsonIgnore
    public AudioCoverage coverage() {
        return coverageOf(audio);
    }

    private static AudioCoverage coverageOf(String audio) {
        if (audio == null) {
            throw new IllegalArgumentException("audio coverage is required");
        }
        return switch (audio) {
            case "complete" -> AudioCoverage.COMPLETE;
            case "partial" -> AudioCoverage.PARTIAL;
            case "missing" -> AudioCoverage.MISSING;
            default -> throw new IllegalArgumentException("audio must be complete|partial|missing, got " + audio);
        };
    }
}
