package io.avisstream.avis.ingest;

import static io.avisstream.avis.ingest.Clips.decodeAll;
import static io.avisstream.avis.ingest.Clips.meanChannel;
import static io.avisstream.avis.ingest.Clips.rms;
import static io.avisstream.avis.ingest.Clips.zeroCrossingHz;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.avisstream.avis.media.VideoFrame;
import io.avisstream.avis.message.AudioFormat;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4WriterTest {

    private static VideoFrame solid(int width, int height, int r, int g, int b) {
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) r;
            rgb[i + 1] = (byte) g;
            rgb[i + 2] = (byte) b;
        }
        return new VideoFrame(width, height, rgb);
    }

    private static short[] tone(double hz, int from, int count) {
        short[] pcm = new short[count];
        for (int i = 0; i < count; i++) {
            pcm[i] = (short) Math.round(12_000 * Math.sin(2 * Math.PI * hz * (from + i) / AudioFormat.SAMPLE_RATE));
        }
        return pcm;
    }

    @Test
    void shouldRoundTripFramesAndAudioThroughAnMp4(@TempDir Path dir) {
        // Given: 20 frames at 10 fps (10 red then 10 green) and 2 s of a 1 kHz tone in 100 ms chunks
        Path out = dir.resolve("nested/roundtrip.mp4");
        VideoFrame red = solid(96, 64, 230, 20, 20);
        VideoFrame green = solid(96, 64, 20, 230, 20);

        // When
        String codec;
        try (Mp4Writer writer = Mp4Writer.create(out, 96, 64, 10, 1, true)) {
            codec = writer.videoCodecName();
            for (int i = 0; i < 20; i++) {
                writer.writeVideo(i < 10 ? red : green, i * 100_000L);
                writer.writeAudio(tone(1000, i * 1600, 1600), i * 100_000L);
            }
        }
        Clips.Decoded decoded = decodeAll(out, 1600);

        // Then
        assertThat(codec).isIn("libopenh264", "mpeg4");
        assertThat(decoded.frames()).hasSize(20);
        assertThat(decoded.frames()).extracting(DecodedFrame::ptsMicros).isSorted().doesNotHaveDuplicates();
        assertThat(decoded.info().width()).isEqualTo(96);
        assertThat(decoded.info().frameRate()).isEqualTo(10.0);
        byte[] early = decoded.frames().get(5).frame().rgb();
        byte[] late = decoded.frames().get(15).frame().rgb();
        assertThat(meanChannel(early, 0)).isCloseTo(230, within(12.0));
        assertThat(meanChannel(early, 1)).isCloseTo(20, within(12.0));
        assertThat(meanChannel(late, 1)).isCloseTo(230, within(12.0));
        assertThat(meanChannel(late, 0)).isCloseTo(20, within(12.0));
        short[] pcm = decoded.pcm();
        assertThat(decoded.info().audioSampleRate()).isEqualTo(16_000);
        assertThat(pcm.length).isCloseTo(32_000, within(1100));
        assertThat(zeroCrossingHz(pcm, 1600, 30_000, AudioFormat.SAMPLE_RATE)).isCloseTo(1000.0, within(3.0));
        assertThat(rms(pcm, 1600, 30_000)).isCloseTo(12_000 / Math.sqrt(2), within(800.0));
    }

    @Test
    void shouldCopyTheSourceAudioTrackWithoutReencoding(@TempDir Path dir) {
        // Given: the stereo 48 kHz clip whose 1 kHz tone starts at 1.5 s, and 75 new frames for its 3 s
        Path source = Clips.clip(Clips.PATTERN_TONE_FROM_1500MS);
        Path out = dir.resolve("copied.mp4");

        // When
        try (Mp4Writer writer = Mp4Writer.createCopyingAudio(out, 64, 48, 25, 1, source)) {
            assertThat(writer.hasAudio()).isTrue();
            for (int i = 0; i < 75; i++) {
                writer.copyAudioUntil(i * 40_000L);
                writer.writeVideo(solid(64, 48, 50, 50, 50), i * 40_000L);
            }
        }
        Clips.Decoded decoded = decodeAll(out, 1600);

        // Then: same codec, rate and channels as the source, the onset still at 1.5 s
        assertThat(decoded.frames()).hasSize(75);
        assertThat(decoded.info().audioCodec()).isEqualTo("aac");
        assertThat(decoded.info().audioSampleRate()).isEqualTo(48_000);
        assertThat(decoded.info().audioChannels()).isEqualTo(2);
        short[] pcm = decoded.pcm();
        assertThat(pcm.length).isCloseTo(48_000, within(1100));
        assertThat(rms(pcm, 800, 23_200)).isLessThan(50);
        assertThat(zeroCrossingHz(pcm, 24_800, 46_000, AudioFormat.SAMPLE_RATE)).isCloseTo(1000.0, within(3.0));
    }

    @Test
    void shouldWriteNoAudioTrackWhenTheCopySourceHasNone(@TempDir Path dir) {
        Path out = dir.resolve("silent.mp4");
        try (Mp4Writer writer = Mp4Writer.createCopyingAudio(out, 32, 32, 5, 1, Clips.clip(Clips.BLUE_NO_AUDIO))) {
            assertThat(writer.hasAudio()).isFalse();
            writer.copyAudioUntil(0);
            writer.writeVideo(solid(32, 32, 0, 0, 200), 0);
        }
        assertThat(decodeAll(out, 1600).info().hasAudio()).isFalse();
    }

    @Test
    void shouldKeepFramesInOrderWhenTimestampsCollideOrJitter(@TempDir Path dir) {
        // Given: 5 frames whose timestamps collide on the 10 fps grid
        Path out = dir.resolve("jitter.mp4");
        long[] pts = {0, 20_000, 40_000, 250_000, 260_000};

        // When
        try (Mp4Writer writer = Mp4Writer.create(out, 32, 32, 10, 1, false)) {
            for (long p : pts) {
                writer.writeVideo(solid(32, 32, 128, 128, 128), p);
            }
        }
        Clips.Decoded decoded = decodeAll(out, 1600);

        // Then: every frame kept, on distinct increasing slots
        assertThat(decoded.frames()).extracting(DecodedFrame::ptsMicros)
                .containsExactly(0L, 100_000L, 200_000L, 300_000L, 400_000L);
        assertThat(decoded.info().hasAudio()).isFalse();
    }

    @Test
    void shouldWriteOddSizedFrames(@TempDir Path dir) {
        // Given: 4:2:0 needs even sizes; the writer pads to 34x26
        Path out = dir.resolve("odd.mp4");

        // When
        try (Mp4Writer writer = Mp4Writer.create(out, 33, 25, 25, 1, false)) {
            writer.writeVideo(solid(33, 25, 0, 0, 230), 0);
        }

        // Then
        Clips.Decoded decoded = decodeAll(out, 1600);
        assertThat(decoded.frames()).hasSize(1);
        assertThat(meanChannel(decoded.frames().get(0).frame().rgb(), 2)).isGreaterThan(200);
    }

    @Test
    void shouldRejectFramesOfAnotherSizeAndAudioWithoutATrack(@TempDir Path dir) {
        try (Mp4Writer writer = Mp4Writer.create(dir.resolve("x.mp4"), 32, 32, 10, 1, false)) {
            assertThatThrownBy(() -> writer.writeVideo(solid(16, 16, 0, 0, 0), 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32x32");
            assertThatThrownBy(() -> writer.writeAudio(new short[10], 0))
                    .isInstanceOf(IllegalStateException.class);
            writer.writeVideo(solid(32, 32, 0, 0, 0), 0);
        }
    }
}
