package io.avisstream.avis.demo;

import static io.avisstream.avis.ingest.Clips.RED_SINE440;
import static io.avisstream.avis.ingest.Clips.clip;
import static io.avisstream.avis.ingest.Clips.decodeAll;
import static io.avisstream.avis.ingest.Clips.zeroCrossingHz;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.avisstream.avis.ingest.Clips;
import io.avisstream.avis.ingest.DecodedFrame;
import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.message.AudioFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotatedVideoRendererTest {

    /** Mean of one channel over a rectangle of an RGB24 frame. */
    private static double mean(DecodedFrame frame, int channel, int x, int y, int w, int h) {
        byte[] rgb = frame.frame().rgb();
        int width = frame.frame().width();
        long sum = 0;
        for (int yy = y; yy < y + h; yy++) {
            for (int xx = x; xx < x + w; xx++) {
                sum += rgb[(yy * width + xx) * 3 + channel] & 0xff;
            }
        }
        return sum / (double) (w * h);
    }

    @Test
    void shouldDrawOverlaysOnTheirFramesAndKeepEveryFrameAndTheAudio(@TempDir Path dir) {
        // Given: the red 160x120 clip; frames 10..19 carry a sounding instance over (40,40) 60x40
        byte[] bits = new byte[160 * 120];
        for (int y = 40; y < 80; y++) {
            for (int x = 40; x < 100; x++) {
                bits[y * 160 + x] = 1;
            }
        }
        long trackId = 2; // a green hue: far from the red background
        InstanceOverlay instance = new InstanceOverlay(trackId, "piano", 0.9f, true, 40, 40, 60, 40,
                new BinaryMask(160, 120, bits));
        Path out = dir.resolve("annotated.mp4");

        // When
        AnnotatedVideoRenderer.Result result = new AnnotatedVideoRenderer().render(clip(RED_SINE440), out,
                seq -> seq >= 10 ? Optional.of(new FrameOverlay(List.of(instance), "")) : Optional.empty());
        Clips.Decoded decoded = decodeAll(out, 1600);

        // Then: all 20 frames written, only the last 10 tinted towards the track colour, the tone still there
        assertThat(result.frames()).isEqualTo(20);
        assertThat(result.framesWithInstances()).isEqualTo(10);
        assertThat(result.instances()).isEqualTo(10);
        assertThat(decoded.frames()).hasSize(20);
        int colour = TrackColours.of(trackId);
        // green over a red background whose green is ~0
        double expectedGreen = FrameAnnotator.SOUNDING_ALPHA * ((colour >> 8) & 0xff);
        assertThat(expectedGreen).isGreaterThan(100);
        assertThat(mean(decoded.frames().get(5), 1, 55, 50, 30, 20)).isLessThan(25);
        assertThat(mean(decoded.frames().get(15), 1, 55, 50, 30, 20)).isCloseTo(expectedGreen, within(20.0));
        assertThat(mean(decoded.frames().get(15), 1, 110, 90, 30, 20)).isLessThan(25);
        // the original track (44.1 kHz mono AAC) is copied, not re-encoded at 16 kHz
        assertThat(decoded.info().audioSampleRate()).isEqualTo(44_100);
        assertThat(decoded.info().audioCodec()).isEqualTo("aac");
        short[] pcm = decoded.pcm();
        assertThat(pcm.length).isCloseTo(32_000, within(1200));
        assertThat(zeroCrossingHz(pcm, 1600, 30_000, AudioFormat.SAMPLE_RATE)).isCloseTo(440.0, within(3.0));
    }

    @Test
    void shouldPrintFrameTimeAndSoundingCountInTheHeader() {
        DecodedFrame frame = new DecodedFrame(12, 480_000, new io.avisstream.avis.media.VideoFrame(2, 2, new byte[12]));
        InstanceOverlay a = new InstanceOverlay(1, "dog", 0.5f, true, 0, 0, 1, 1, null);
        InstanceOverlay b = new InstanceOverlay(2, "cat", 0.5f, false, 0, 0, 1, 1, null);

        assertThat(AnnotatedVideoRenderer.header(frame, new FrameOverlay(List.of(a, b), "AUDIO PARTIAL")))
                .isEqualTo("FRAME 12  T=0.48S  SOUNDING 1/2  AUDIO PARTIAL");
    }
}
