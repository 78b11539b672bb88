package io.avisstream.avis.demo;

import static io.avisstream.avis.ingest.Clips.decodeAll;
import static io.avisstream.avis.ingest.Clips.rms;
import static io.avisstream.avis.ingest.Clips.zeroCrossingHz;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.avisstream.avis.ingest.Clips;
import io.avisstream.avis.ingest.DecodedFrame;
import io.avisstream.avis.message.AudioFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled clip is what docker/make-demo-clip.sh describes (objects, tone schedule), and small. */
class BundledClipTest {

    private static final int SR = AudioFormat.SAMPLE_RATE;
    private static Path clip;
    private static Clips.Decoded decoded;

    @BeforeAll
    static void decode() throws Exception {
        clip = DemoCommand.extractBundledClip();
        decoded = decodeAll(clip, 1600);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        Files.deleteIfExists(clip);
    }

    private static int at(double seconds) {
        return (int) Math.round(seconds * SR);
    }

    @Test
    void shouldBeTenSecondsOf640x360At25FpsUnderTwoMegabytes() throws Exception {
        assertThat(Files.size(clip)).isLessThan(2L * 1024 * 1024);
        assertThat(decoded.info().width()).isEqualTo(640);
        assertThat(decoded.info().height()).isEqualTo(360);
        assertThat(decoded.info().frameRate()).isEqualTo(25.0);
        assertThat(decoded.info().audioCodec()).isEqualTo("aac");
        assertThat(decoded.frames()).hasSize(250);
        assertThat(decoded.frames()).extracting(DecodedFrame::ptsMicros).isSorted().doesNotHaveDuplicates();
        assertThat(decoded.pcm().length).isCloseTo(10 * SR, within(1100));
    }

    @Test
    void shouldPlayTheScriptedToneScheduleWithSilentGaps() {
        short[] pcm = decoded.pcm();

        // silence before the first onset (1.0 s) and after the last offset (9.0 s)
        assertThat(rms(pcm, at(0.05), at(0.95))).isLessThan(30);
        assertThat(rms(pcm, at(9.05), at(9.95))).isLessThan(30);
        // one tone alone: 440 Hz (red square), 880 Hz (green bar), 660 Hz (yellow disc)
        assertThat(zeroCrossingHz(pcm, at(1.2), at(2.8), SR)).isCloseTo(440.0, within(4.0));
        assertThat(zeroCrossingHz(pcm, at(4.2), at(5.8), SR)).isCloseTo(880.0, within(6.0));
        assertThat(zeroCrossingHz(pcm, at(7.0), at(8.8), SR)).isCloseTo(660.0, within(5.0));
        // two tones at once are louder than one: 3.0-4.0 s (440 + 880)
        assertThat(rms(pcm, at(3.1), at(3.9))).isGreaterThan(1.3 * rms(pcm, at(1.2), at(2.8)));
    }

    @Test
    void shouldShowTheYellowDiscOnlyFromFiveSeconds() {
        // the disc's centre at t=7 s: x = 120 + 30*2 + 50, y = 40 + 12*2 + 50
        int x = 230;
        int y = 114;
        assertThat(yellowAt(decoded.frames().get(175), x, y)).isTrue();
        assertThat(yellowAt(decoded.frames().get(100), x, y)).isFalse();
    }

    private static boolean yellowAt(DecodedFrame frame, int x, int y) {
        byte[] rgb = frame.frame().rgb();
        int i = (y * frame.frame().width() + x) * 3;
        return (rgb[i] & 0xff) > 200 && (rgb[i + 1] & 0xff) > 180 && (rgb[i + 2] & 0xff) < 80;
    }
}
