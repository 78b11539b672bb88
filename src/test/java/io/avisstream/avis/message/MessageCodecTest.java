package io.avisstream.avis.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class MessageCodecTest {

    @Test
    void shouldRoundTripEveryMessageThroughItsSchema() {
        // Given
        FrameMessage frame = new FrameMessage("cam", 7, 280_000, 2, 1, FrameEncoding.RGB24, new byte[] { 1, 2, 3, 4, 5, 6 });
        AudioChunkMessage audio = AudioChunkMessage.of("cam", 100_000, new short[] { -1, 2, 32767 });
        MasksMessage masks = new MasksMessage("cam", 7, 280_000, 2, 1, "partial", false, 5, "ort-cpu",
                List.of(new InstanceMessage(3, 1, "violin", 0.75f, true, List.of(0, 0, 1, 1), RleMask.of(1, 2, "11"))));
        EventMessage event = new EventMessage("cam", 5, 200_000, EventType.ONSET, 3L, 1, "violin", 1, 0);

        // When / Then
        assertThat(MessageCodec.FRAMES.decode(MessageCodec.FRAMES.encode(frame))).isEqualTo(frame);
        assertThat(MessageCodec.AUDIO.decode(MessageCodec.AUDIO.encode(audio))).isEqualTo(audio);
        assertThat(MessageCodec.MASKS.decode(MessageCodec.MASKS.encode(masks))).isEqualTo(masks);
        assertThat(MessageCodec.EVENTS.decode(MessageCodec.EVENTS.encode(event))).isEqualTo(event);
        assertThat(audio.encoding()).isEqualTo(AudioFormat.Encoding.S16LE);
        assertThat(audio.samples()).containsExactly(-1 / 32768f, 2 / 32768f, 32767 / 32768f);
        assertThat(audio.endMicros()).isEqualTo(100_187);
    }

    @Test
    void shouldWriteTheWireFormatTheSchemasDescribe() {
        String json = new String(MessageCodec.FRAMES.encode(
                new FrameMessage("cam", 1, 40_000, 1, 1, FrameEncoding.RGB24, new byte[] { 0, 0, (byte) 255 })),
                StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"streamId\":\"cam\",\"seq\":1,\"ptsMicros\":40000,\"width\":1,\"height\":1,"
                + "\"encoding\":\"rgb24\",\"data\":\"AAD/\"}");
    }

    @Test
    void shouldSayWhichFramesPixelsTheMasksCameFromAndReadRecordsWrittenBeforeMaskSeqAsCopies() {
        // Given a record with fresh masks, and a record as releases before fresh masks wrote it (no maskSeq)
        MasksMessage fresh = new MasksMessage("cam", 7, 280_000, 2, 1, "complete", false, 5, 7L, "ort-cpu", List.of());
        String old = "{\"streamId\":\"cam\",\"seq\":7,\"ptsMicros\":280000,\"width\":2,\"height\":1,"
                + "\"audio\":\"complete\",\"inferred\":false,\"sourceSeq\":5,\"engine\":\"ort-cpu\",\"instances\":[]}";

        // When
        String written = new String(MessageCodec.MASKS.encode(fresh), StandardCharsets.UTF_8);
        MasksMessage read = MessageCodec.MASKS.decode(old.getBytes(StandardCharsets.UTF_8));

        // Then
        assertThat(written).contains("\"sourceSeq\":5,\"maskSeq\":7,");
        assertThat(MessageCodec.MASKS.decode(MessageCodec.MASKS.encode(fresh)).freshMasks()).isTrue();
        assertThat(read.maskSeq()).isEqualTo(5L);
        assertThat(read.freshMasks()).isFalse();
        assertThatThrownBy(() -> new MasksMessage("cam", 7, 0, 2, 1, "complete", false, 5, 8L, "e", List.of()))
                .hasMessageContaining("maskSeq");
        assertThatThrownBy(() -> new MasksMessage("cam", 7, 0, 2, 1, "complete", true, 7, 5L, "e", List.of()))
                .hasMessageContaining("maskSeq");
    }

    @Test
    void shouldRejectSchemaViolationsWithTheReason() {
        assertThatThrownBy(() -> MessageCodec.FRAMES.decode(
                "{\"streamId\":\"cam\",\"seq\":1,\"ptsMicros\":0,\"width\":1,\"height\":1,\"encoding\":\"png\",\"data\":\"AAD/\"}"
                        .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidMessageException.class,
                        e -> assertThat(e.reason()).isEqualTo(DlqReason.SCHEMA_VIOLATION));
        assertThatThrownBy(() -> MessageCodec.AUDIO.decode("{\"streamId\":\"cam\",\"startMicros\":0,\"sampleRate\":16000,\"data\":\"AAAA\"}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidMessageException.class,
                        e -> assertThat(e.reason()).isEqualTo(DlqReason.SCHEMA_VIOLATION));
        assertThatThrownBy(() -> MessageCodec.EVENTS.decode(new byte[] { '{' }))
                .isInstanceOfSatisfying(InvalidMessageException.class,
                        e -> assertThat(e.reason()).isEqualTo(DlqReason.UNDECODABLE));
    }

    @Test
    void shouldRejectTrailingBytesAfterTheJsonValueAsUndecodable() {
        // Given a valid frame followed by garbage, and by a second JSON value
        String valid = new String(MessageCodec.FRAMES.encode(
                new FrameMessage("cam", 1, 40_000, 1, 1, FrameEncoding.RGB24, new byte[] { 0, 0, (byte) 255 })),
                StandardCharsets.UTF_8);

        // When / Then
        for (String bad : List.of(valid + "garbage", valid + " {}", valid + "]")) {
            assertThatThrownBy(() -> MessageCodec.FRAMES.decode(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad).isInstanceOfSatisfying(InvalidMessageException.class,
                            e -> assertThat(e.reason()).isEqualTo(DlqReason.UNDECODABLE));
        }
        assertThat(MessageCodec.FRAMES.decode((valid + " \n").getBytes(StandardCharsets.UTF_8)).seq()).isEqualTo(1);
    }

    @Test
    void shouldRejectDuplicateFieldsAsUndecodable() {
        byte[] json = ("{\"streamId\":\"cam\",\"seq\":1,\"seq\":2,\"ptsMicros\":0,\"width\":1,\"height\":1,"
                + "\"encoding\":\"rgb24\",\"data\":\"AAD/\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> MessageCodec.FRAMES.decode(json)).isInstanceOfSatisfying(
                InvalidMessageException.class, e -> assertThat(e.reason()).isEqualTo(DlqReason.UNDECODABLE));
    }

    @Test
    void shouldRejectDeeplyNestedJsonWithoutAnErrorInTheCallingThread() {
        // Given 100k nested arrays (a stack-overflow attempt on any recursive reader or validator)
        byte[] json = ("{\"streamId\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}").getBytes(StandardCharsets.UTF_8);

        // When / Then: a dead-letter reason, never a StackOverflowError
        assertThatThrownBy(() -> MessageCodec.FRAMES.decode(json)).isInstanceOf(InvalidMessageException.class);
    }

    // ---------------------------------------------------------------- audio encodings

    @Test
    void shouldRoundTripAnF32leChunkWithItsEncodingOnTheWire() {
        // Given: full scale, a value past it (resampler overshoot is kept) and the smallest subnormal
        double[] samples = { -1, 0.25, 1.0001f, Float.MIN_VALUE };
        AudioChunkMessage audio = AudioChunkMessage.of("cam", 50_000, samples, AudioFormat.Encoding.F32LE);

        // When
        byte[] wire = MessageCodec.AUDIO.encode(audio);
        AudioChunkMessage back = MessageCodec.AUDIO.decode(wire);

        // Then
        assertThat(new String(wire, StandardCharsets.UTF_8)).isEqualTo("{\"streamId\":\"cam\",\"startMicros\":50000,"
                + "\"sampleRate\":16000,\"encoding\":\"f32le\",\"data\":\"AACAvwAAgD5HA4A/AQAAAA==\"}");
        assertThat(back).isEqualTo(audio);
        assertThat(back.encoding()).isEqualTo(AudioFormat.Encoding.F32LE);
        assertThat(back.samples()).containsExactly(-1f, 0.25f, 1.0001f, Float.MIN_VALUE);
        assertThat(back.sampleCount()).isEqualTo(4);
        assertThat(back.endMicros()).isEqualTo(50_250);
    }

    @Test
    void shouldWriteS16leChunksWithoutTheEncodingFieldByteForByteAsBefore() {
        // Given
        AudioChunkMessage audio = AudioChunkMessage.of("cam", 100_000, new short[] { -1, 2, 32767 });

        // When
        String json = new String(MessageCodec.AUDIO.encode(audio), StandardCharsets.UTF_8);

        // Then: the layout records had before the field existed
        assertThat(json).isEqualTo("{\"streamId\":\"cam\",\"startMicros\":100000,\"sampleRate\":16000,"
                + "\"data\":\"//8CAP9/\"}");
    }

    @Test
    void shouldReadAChunkWithoutAnEncodingFieldAsS16le() {
        // Given: a record as every producer wrote it before the field existed, and one naming s16le
        byte[] old = "{\"streamId\":\"cam\",\"startMicros\":0,\"sampleRate\":16000,\"data\":\"AIAAQP9/\"}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] named = "{\"streamId\":\"cam\",\"startMicros\":0,\"sampleRate\":16000,\"encoding\":\"s16le\",\"data\":\"AIAAQP9/\"}"
                .getBytes(StandardCharsets.UTF_8);

        // When
        AudioChunkMessage audio = MessageCodec.AUDIO.decode(old);

        // Then
        assertThat(audio.encoding()).isEqualTo(AudioFormat.Encoding.S16LE);
        assertThat(audio.samples()).containsExactly(-1f, 0.5f, 32767 / 32768f);
        assertThat(MessageCodec.AUDIO.decode(named)).isEqualTo(audio);
        assertThat(MessageCodec.AUDIO.encode(MessageCodec.AUDIO.decode(named))).isEqualTo(old);
    }

    @Test
    void shouldRejectMalformedF32leChunksAsSchemaViolationsWithTheReason() {
        // Given: 6 bytes (not whole floats), a NaN, an infinity, an unknown encoding
        String head = "{\"streamId\":\"cam\",\"startMicros\":0,\"sampleRate\":16000,\"encoding\":";
        String sixBytes = head + "\"f32le\",\"data\":\"AAAAAAAA\"}";
        String nan = head + "\"f32le\",\"data\":\"AAAAAAAAwH8=\"}"; // 0.0f, NaN (0x7fc00000)
        String inf = head + "\"f32le\",\"data\":\"AACA/w==\"}"; // -Infinity (0xff800000)
        String f64 = head + "\"f64le\",\"data\":\"AAAAAAAAAAA=\"}";

        // When / Then
        assertThat(reject(sixBytes)).isEqualTo("f32le PCM data needs a multiple of 4 bytes, got 6");
        assertThat(reject(nan)).isEqualTo("f32le sample 1 of 2 is NaN (samples must be finite)");
        assertThat(reject(inf)).isEqualTo("f32le sample 0 of 1 is -Infinity (samples must be finite)");
        assertThat(reject(f64)).contains("audio.schema.json").contains("encoding");
        assertThatThrownBy(() -> AudioChunkMessage.of("cam", 0, new double[] { Double.NaN }, AudioFormat.Encoding.F32LE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
    }

    /** Decodes {@code json}, which must be a schema violation; returns the dead-letter detail. */
    private static String reject(String json) {
        try {
            MessageCodec.AUDIO.decode(json.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidMessageException e) {
            assertThat(e.reason()).as(json).isEqualTo(DlqReason.SCHEMA_VIOLATION);
            return e.getMessage();
        }
        throw new AssertionError("accepted " + json);
    }

    @Test
    void shouldRoundS16leFromFloatToTheNearestIntegerAndClip() {
        // Given
        double[] samples = { 0.5 / 32768 + 1e-12, -1.5, 1.5, 100.4 / 32768 };

        // When
        AudioChunkMessage audio = AudioChunkMessage.of("cam", 0, samples, AudioFormat.Encoding.S16LE);

        // Then
        assertThat(audio.samples()).containsExactly(1 / 32768f, -1f, 32767 / 32768f, 100 / 32768f);
    }
}
