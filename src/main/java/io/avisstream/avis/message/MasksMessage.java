package io.avisstream.avis.message;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;


/**
 * Value of {@code avis.masks.v1} (schema {@code topology/schemas/masks.schema.json}); key = stream id.
 * Exactly one per input frame, in per-stream {@code seq} order. Stable contract.
 *
 * @param audio coverage of the frame's audio window: {@code complete}, {@code partial} or {@code missing}
 * @param inferred true when the engine ran on this frame
 * @param sourceSeq the frame whose inference produced {@code instances} ({@code == seq} when inferred)
 * @param maskSeq the frame whose pixels the masks were computed on: {@code seq} when inferred or when the masks are
 *        fresh (this frame's m_t with {@code sourceSeq}'s mask embeddings, {@code avis.inference.mask-fps}), an
 *        earlier frame when they are copied. Optional on the wire (records written before it read as
 *        {@code sourceSeq})
 * @param engine the active engine's name
 */
public record MasksMessage(String streamId, long seq, long ptsMicros, int width, int height, String audio,
        boolean inferred, long sourceSeq, Long maskSeq, String engine, List<InstanceMessage> instances) {
    @JsonCreator
    public MasksMessage {
        maskSeq = maskSeq == null ? sourceSeq : maskSeq;
        Messages.requireStreamId(streamId);
        coverageOf(audio);
        if (inferred && sourceSeq != seq) {
            throw new IllegalArgumentException("an inferred frame is its own source: seq=" + seq + " sourceSeq=" + sourceSeq);
        }
        if (!inferred && sourceSeq > seq) {
            throw new IllegalArgumentException("sourceSeq " + sourceSeq + " is after seq " + seq);
        }
        if (maskSeq < sourceSeq || maskSeq > seq || (inferred && maskSeq != seq)) {
            throw new IllegalArgumentException("maskSeq " + maskSeq + " must be in [sourceSeq " + sourceSeq + ", seq "
                    + seq + "] (= seq when inferred)");
        }
        instances = List.copyOf(instances);
    }

    /** A record whose masks are those of {@code sourceSeq} (inferred there, or copied from it). */
    public MasksMessage(String streamId, long seq, long ptsMicros, int width, int height, String audio,
            boolean inferred, long sourceSeq, String engine, List<InstanceMessage> instances) {
        this(streamId, seq, ptsMicros, width, height, audio, inferred, sourceSeq, null, engine, instances);
    }

    /** Fresh masks: computed on this frame between inferences, for {@code sourceSeq}'s instances. */
    @JsonIgnore
    public boolean freshMasks() {
        return !inferred && maskSeq == seq;
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
