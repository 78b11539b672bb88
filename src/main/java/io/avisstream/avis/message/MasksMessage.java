package io.avisstream.avis.message;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;


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
@JsonDeserialize(using = MasksMessage.Reader.class)
public record MasksMessage(String streamId, long seq, long ptsMicros, int width, int height, String audio,
        boolean inferred, long sourceSeq, Long maskSeq, String engine, List<InstanceMessage> instances) {
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

    /**
     * Reads records written before {@code maskSeq} existed (masks topic, last-masks store) as copies of
     * {@code sourceSeq}: the strict mapper ({@link Json}) fails on any absent constructor property, so the absent
     * field is filled in before binding.
     */
    public static final class Reader extends StdDeserializer<MasksMessage> {
        public Reader() {
            super(MasksMessage.class);
        }

        @Override
        public MasksMessage deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode tree = ctxt.readTree(p);
            if (tree instanceof ObjectNode node && !node.has("maskSeq") && node.has("sourceSeq")) {
                node.set("maskSeq", node.get("sourceSeq"));
            }
            Wire w = ctxt.readTreeAsValue(tree, Wire.class);
            try {
                return new MasksMessage(w.streamId(), w.seq(), w.ptsMicros(), w.width(), w.height(), w.audio(),
                        w.inferred(), w.sourceSeq(), w.maskSeq(), w.engine(), w.instances());
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage(), e);
            }
        }
    }

    /** The wire fields, bound as they are (every one present); {@link Reader} builds the message from them. */
    record Wire(String streamId, long seq, long ptsMicros, int width, int height, String audio, boolean inferred,
            long sourceSeq, long maskSeq, String engine, List<InstanceMessage> instances) {
    }
}
