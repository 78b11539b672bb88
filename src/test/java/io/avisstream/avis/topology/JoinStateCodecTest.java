package io.avisstream.avis.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.AudioFormat;

/** The join's audio store: s16le chunks in the first layout (v1), f32le chunks in v2; both read back. */
class JoinStateCodecTest {

    @Test
    void shouldReadAudioChunksStoredBeforeEncodingsExisted() {
        // Given: a v1 record as the join wrote it before f32le (u8 1 | i64 start | i32 n | s16le bytes)
        byte[] v1 = HexFormat.of().parseHex("01" + "00000000000186a0" + "00000006" + "ffff" + "0040" + "ff7f");

        // When / Then
        assertThat(JoinStateCodec.audioSampleCount(v1)).isEqualTo(3);
        assertThat(JoinStateCodec.audioSamples(v1)).containsExactly(-1 / 32768f, 0.5f, 32767 / 32768f);
    }

    @Test
    void shouldStoreS16leChunksInTheFirstLayoutSoAnOlderInstanceCanRestoreThem() {
        // Given
        AudioChunkMessage chunk = AudioChunkMessage.of("cam", 100_000, new short[] { -1, 16384, 32767 });

        // When
        byte[] stored = JoinStateCodec.encodeAudio(chunk.startMicros(), chunk.encoding(), chunk.data());

        // Then: byte for byte the v1 record
        assertThat(HexFormat.of().formatHex(stored)).isEqualTo("01" + "00000000000186a0" + "00000006" + "ffff0040ff7f");
    }

    @Test
    void shouldRoundTripF32leChunksInTheSecondLayout() {
        // Given
        double[] samples = { -1, 1e-7, 0.999, 1.0001 };
        AudioChunkMessage chunk = AudioChunkMessage.of("cam", 7, samples, AudioFormat.Encoding.F32LE);

        // When
        byte[] stored = JoinStateCodec.encodeAudio(chunk.startMicros(), chunk.encoding(), chunk.data());

        // Then
        assertThat(stored[0]).isEqualTo(JoinStateCodec.AUDIO_V2);
        assertThat(ByteBuffer.wrap(stored, 1, 8).getLong()).isEqualTo(7);
        assertThat(stored[9]).as("encoding code of f32le").isEqualTo((byte) 1);
        assertThat(JoinStateCodec.audioSampleCount(stored)).isEqualTo(4);
        assertThat(JoinStateCodec.audioSamples(stored)).containsExactly(-1f, 1e-7f, 0.999f, 1.0001f);
    }

    @Test
    void shouldRefuseAnUnknownAudioLayout() {
        byte[] v9 = HexFormat.of().parseHex("09" + "0000000000000000" + "00000002" + "0000");
        assertThatThrownBy(() -> JoinStateCodec.audioSamples(v9)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("version 9");
    }
}
