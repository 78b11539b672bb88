package io.avisstream.avis.ingest;

import static io.avisstream.avis.ingest.Clips.BLUE_NO_AUDIO;
import static io.avisstream.avis.ingest.Clips.PATTERN_TONE_FROM_1500MS;
import static io.avisstream.avis.ingest.Clips.RED_SINE440;
import static io.avisstream.avis.ingest.Clips.clip;
import static io.avisstream.avis.ingest.Clips.decodeAll;
import static io.avisstream.avis.ingest.Clips.meanChannel;
import static io.avisstream.avis.ingest.Clips.rms;
import static io.avisstream.avis.ingest.Clips.zeroCrossingHz;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.avisstream.avis.message.AudioFormat;

class MediaReaderTest {

    private static final int CHUNK = PcmChunker.samplesFor(100);

    @Test
    void shouldDecodeEveryFrameAsRgbAtNativeSizeWithMonotonicPts() {
        // Given: 2 s of solid red at 10 fps, 160x120
        Path file = clip(RED_SINE440);

        // When
        Clips.Decoded decoded = decodeAll(file, CHUNK);

        // Then: 20 frames, 100 ms apart, 0-based seq, red in RGB order
        assertThat(decoded.info().width()).isEqualTo(160);
        assertThat(decoded.info().height()).isEqualTo(120);
        assertThat(decoded.info().frameRate()).isEqualTo(10.0);
        assertThat(decoded.frames()).hasSize(20);
        for (int i = 0; i < decoded.frames().size(); i++) {
            DecodedFrame frame = decoded.frames().get(i);
            assertThat(frame.seq()).isEqualTo(i);
            assertThat(frame.ptsMicros()).isEqualTo(i * 100_000L);
            assertThat(frame.frame().width()).isEqualTo(160);
            assertThat(frame.frame().height()).isEqualTo(120);
        }
        byte[] rgb = decoded.frames().get(10).frame().rgb();
        assertThat(meanChannel(rgb, 0)).isGreaterThan(235);
        assertThat(meanChannel(rgb, 1)).isLessThan(20);
        assertThat(meanChannel(rgb, 2)).isLessThan(20);
    }

    @Test
    void shouldResampleMonoAudioTo16kHzAndKeepTheToneFrequency() {
        // Given: a 440 Hz sine at 44.1 kHz mono, 2 s
        Path file = clip(RED_SINE440);

        // When
        Clips.Decoded decoded = decodeAll(file, CHUNK);
        short[] pcm = decoded.pcm();

        // Then: ~2 s x 16000 samples (AAC pads to whole 1024-sample frames), tone still at 440 Hz
        assertThat(decoded.info().hasAudio()).isTrue();
        assertThat(decoded.info().audioSampleRate()).isEqualTo(44_100);
        assertThat(pcm.length).isCloseTo(32_000, within(400));
        assertThat(zeroCrossingHz(pcm, 1600, 30_400, AudioFormat.SAMPLE_RATE)).isCloseTo(440.0, within(2.0));
        // lavfi's sine has amplitude 1/8: RMS = 32768 / 8 / sqrt(2) = 2896
        assertThat(rms(pcm, 1600, 30_400)).isCloseTo(2896.0, within(150.0));
    }

    @Test
    void shouldTimeChunksBySampleCountFromZero() {
        // Given
        Path file = clip(RED_SINE440);

        // When
        List<PcmChunk> chunks = decodeAll(file, CHUNK).chunks();

        // Then: 100 ms chunks back to back from t=0; only the last may be shorter
        assertThat(chunks.get(0).startMicros()).isEqualTo(0);
        for (int i = 0; i < chunks.size() - 1; i++) {
            assertThat(chunks.get(i).samples()).hasSize(CHUNK);
            assertThat(chunks.get(i + 1).startMicros()).isEqualTo(chunks.get(i).endMicros());
        }
        assertThat(chunks.get(chunks.size() - 1).samples().length).isBetween(1, CHUNK);
    }

    @Test
    void shouldPlaceAToneOnsetAtItsTimestampWhenDownmixingStereo48k() {
        // Given: stereo 48 kHz, silent until 1.5 s, then 1000 Hz; video 176x144 @ 25 fps with B-frames
        Path file = clip(PATTERN_TONE_FROM_1500MS);

        // When
        Clips.Decoded decoded = decodeAll(file, CHUNK);
        short[] pcm = decoded.pcm();
        int onset = 24_000; // 1.5 s x 16 kHz

        // Then: silence before, a 1 kHz tone after, and every frame present in presentation order
        assertThat(decoded.info().audioChannels()).isEqualTo(2);
        assertThat(pcm.length).isCloseTo(48_000, within(600));
        assertThat(rms(pcm, 800, onset - 800)).isLessThan(50);
        assertThat(rms(pcm, onset + 800, pcm.length - 1600)).isGreaterThan(5000);
        assertThat(zeroCrossingHz(pcm, onset + 800, pcm.length - 1600, AudioFormat.SAMPLE_RATE))
                .isCloseTo(1000.0, within(3.0));
        assertThat(decoded.frames()).hasSize(75);
        assertThat(decoded.frames()).extracting(DecodedFrame::ptsMicros).isSorted().doesNotHaveDuplicates();
        assertThat(decoded.frames().get(74).ptsMicros()).isEqualTo(74 * 40_000L);
        assertThat(decoded.frames().get(0).frame().width()).isEqualTo(176);
    }

    @Test
    void shouldDecodeLosslessRgbExactly() {
        // Given: lossless RGB H.264 (gbrp): black, one pure red and one pure green square
        Path file = clip(Clips.LOSSLESS_SQUARES);

        // When
        Clips.Decoded decoded = decodeAll(file, CHUNK);

        // Then: exactly three colours in every frame (lavfi's color source rounds through YUV, so its "red" is
        // (253,0,0) and its "green" (0,254,0), as `ffmpeg -pix_fmt rgb24` also decodes them), the squares' sizes
        // in pixels, and the red one moves
        assertThat(decoded.frames()).hasSize(50);
        for (DecodedFrame frame : List.of(decoded.frames().get(0), decoded.frames().get(49))) {
            java.util.Map<Integer, Integer> histogram = new java.util.TreeMap<>();
            byte[] rgb = frame.frame().rgb();
            for (int i = 0; i < rgb.length; i += 3) {
                histogram.merge((rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff), 1, Integer::sum);
            }
            assertThat(histogram).containsOnlyKeys(0x000000, 0xfd0000, 0x00fe00);
            assertThat(histogram.get(0xfd0000)).isEqualTo(16 * 16);
            assertThat(histogram.get(0x00fe00)).isEqualTo(12 * 20);
        }
        assertThat(decoded.frames().get(0).frame().rgb()).isNotEqualTo(decoded.frames().get(49).frame().rgb());
    }

    @Test
    void shouldDecodeVideoOnlyFilesWithoutAudioChunks() {
        // Given: blue, 64x48, 5 fps, no audio stream
        Path file = clip(BLUE_NO_AUDIO);

        // When
        Clips.Decoded decoded = decodeAll(file, CHUNK);

        // Then
        assertThat(decoded.info().hasAudio()).isFalse();
        assertThat(decoded.chunks()).isEmpty();
        assertThat(decoded.frames()).hasSize(5);
        byte[] rgb = decoded.frames().get(0).frame().rgb();
        assertThat(meanChannel(rgb, 2)).isGreaterThan(235);
        assertThat(meanChannel(rgb, 0)).isLessThan(20);
    }

    @Test
    void shouldFailWithTheFileNameWhenTheFileIsNotMedia(@TempDir Path dir) throws Exception {
        // Given
        Path bogus = dir.resolve("not-a-video.mp4");
        Files.writeString(bogus, "this is not an mp4");

        // When / Then
        assertThatThrownBy(() -> MediaReader.open(bogus, CHUNK))
                .isInstanceOf(MediaException.class)
                .hasMessageContaining("not-a-video.mp4");
    }

    @Test
    void shouldFailWhenTheFileDoesNotExist(@TempDir Path dir) {
        assertThatThrownBy(() -> MediaReader.open(dir.resolve("missing.mp4"), CHUNK))
                .isInstanceOf(MediaException.class)
                .hasMessageContaining("missing.mp4");
    }

    @Test
    void shouldAllowCloseTwice() {
        MediaReader reader = MediaReader.open(clip(BLUE_NO_AUDIO), CHUNK);
        reader.close();
        reader.close();
        assertThatThrownBy(reader::next).isInstanceOf(IllegalStateException.class);
    }
}
