package io.avisstream.avis.message;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.avisstream.avis.message.AudioFormat.Encoding;

/**
 * Value of {@code avis.audio.v1} (schema {@code topology/schemas/audio.schema.json}); key = stream id.
 * A chunk of 16 kHz mono PCM, little-endian, in one of two encodings ({@link Encoding}): {@code s16le} (signed
 * 16-bit, the default when the record has no {@code encoding} field: every record written before the field existed)
 * or {@code f32le} (float32, full scale 1.0, finite). An s16le chunk is written without the field, byte for byte as
 * before. Stable contract.
 *
 * @param streamId the stream, equal to the record key
 * @param startMicros timestamp of the first sample, on the frames' pts clock
 * @param sampleRate always {@link AudioFormat#SAMPLE_RATE}
 * @param encoding how {@code data} is encoded; null means {@link AudioFormat#WIRE_DEFAULT_ENCODING}
 * @param data PCM (base64 on the wire): a non-zero multiple of the encoding's sample size; f32le values finite
 */
public record AudioChunkMessage(String streamId, long startMicros, int sampleRate,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = WireDefault.class) Encoding encoding,
        byte[] data) {

    private static final Set<String> FIELDS = Set.of("streamId", "startMicros", "sampleRate", "encoding", "data");

    public AudioChunkMessage {
        Messages.requireStreamId(streamId);
        if (startMicros < 0) {
            throw new IllegalArgumentException("startMicros must be >= 0, got " + startMicros);
        }
        if (sampleRate != AudioFormat.SAMPLE_RATE) {
            throw new IllegalArgumentException("sampleRate must be " + AudioFormat.SAMPLE_RATE + ", got " + sampleRate);
        }
        if (encoding == null) {
            encoding = AudioFormat.WIRE_DEFAULT_ENCODING;
        }
        String problem = encoding.check(data);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * The wire form (the schema has checked it before the codec gets here). Written by hand rather than bound
     * field by field because {@code encoding} may be absent while the mapper fails on missing creator properties.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static AudioChunkMessage fromJson(JsonNode json) throws IOException {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("an audio chunk is a JSON object");
        }
        json.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'");
            }
        });
        for (String required : new String[] {"streamId", "startMicros", "sampleRate", "data"}) {
            if (!json.has(required) || json.get(required).isNull()) {
                throw new IllegalArgumentException("missing field '" + required + "'");
            }
        }
        JsonNode encoding = json.get("encoding");
        if (!json.get("streamId").isTextual() || !json.get("startMicros").canConvertToExactIntegral()
                || !json.get("sampleRate").canConvertToInt() || !json.get("data").isTextual()
                || encoding != null && !encoding.isTextual()) {
            throw new IllegalArgumentException("wrong field types in audio chunk");
        }
        return new AudioChunkMessage(json.get("streamId").asText(), json.get("startMicros").longValue(),
                json.get("sampleRate").intValue(), encoding == null ? null : Encoding.ofWire(encoding.asText()),
                json.get("data").binaryValue());
    }

    /** Builds an s16le chunk from int16 samples. */
    public static AudioChunkMessage of(String streamId, long startMicros, short[] samples) {
        byte[] bytes = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            bytes[2 * i] = (byte) samples[i];
            bytes[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return new AudioChunkMessage(streamId, startMicros, AudioFormat.SAMPLE_RATE, Encoding.S16LE, bytes);
    }

    /**
     * Builds a chunk from samples at full scale 1.0 in {@code encoding}, rounding each once to the wire's type
     * (nearest float32, or nearest int16 clipped: {@link Encoding#encode}).
     */
    public static AudioChunkMessage of(String streamId, long startMicros, double[] samples, Encoding encoding) {
        return new AudioChunkMessage(streamId, startMicros, AudioFormat.SAMPLE_RATE, encoding, encoding.encode(samples));
    }

    public int sampleCount() {
        return encoding.sampleCount(data);
    }

    /** The samples at full scale 1.0 (an s16 sample s is s / 32768). */
    public float[] samples() {
        return encoding.decode(data);
    }

    /** Timestamp just after the last sample. */
    public long endMicros() {
        return startMicros + AudioFormat.samplesToMicros(sampleCount());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioChunkMessage a && a.streamId.equals(streamId) && a.startMicros == startMicros
                && a.sampleRate == sampleRate && a.encoding == encoding && Arrays.equals(a.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * streamId.hashCode() + Long.hashCode(startMicros)) + encoding.ordinal())
                + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "AudioChunkMessage[stream=" + streamId + ", start=" + startMicros + ", encoding=" + encoding.wire()
                + ", samples=" + sampleCount() + "]";
    }

    /** Jackson's filter for {@code encoding}: the wire default is left out, so s16le records stay as before. */
    static final class WireDefault {
        @Override
        public boolean equals(Object value) {
            return value == null || value == AudioFormat.WIRE_DEFAULT_ENCODING;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
