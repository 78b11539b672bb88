package io.avisstream.avis.message;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonIgnore;


/**
 * Value of {@code avis.masks.v1} (schema {@code topology/schemas/masks.schema.json}); key = stream id.
 * Exactly one per input frame, in per-stream {@code seq} order. Stable contract.
 *
 * @param audio coverage of the frame's audio window: {@code complete}, {@code partial} or {@code missing}
 * @param inferred true when the engine ran on this frame
 * @param sourceSeq the frame whose inference produced {@code instances} ({@code == seq} when inferred)
 * @param engine the active engine's name
 */
public record MasksMessage(String streamId, long seq, long ptsMicros, int width, int height, String audio,
        boolean inferred, long sourceSeq, String engine, List<InstanceMessage> instances) {
    public MasksMessage {
        Messages.requireStreamId(streamId);
        coverageOf(audio);
        if (inferred && sourceSeq != seq) {
            throw new IllegalArgumentException("an inferred frame is its own source: seq=" + seq + " sourceSeq=" + sourceSeq);
        }
        if (!inferred && sourceSeq > seq) {
            throw new IllegalArgumentException("sourceSeq " + sourceSeq + " is after seq " + seq);
        }
        instances = List.copyOf(instances);
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
