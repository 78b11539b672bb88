package io.avisstream.avis.demo;

import static io.avisstream.avis.ingest.Clips.decodeAll;
import static io.avisstream.avis.ingest.Clips.rms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.avisstream.avis.ingest.Clips;
import io.avisstream.avis.ingest.DecodedFrame;
import io.avisstream.avis.message.AudioFormat;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled clip is the held-out hearing-benchmark video that docker/make-demo-clip.sh writes, and it plays what
 * its committed schedule ({@code demo/avis-demo.schedule.json}) says: silence exactly in the seconds where no object
 * sounds, the objects where the per-frame boxes put them.
 */
class BundledClipTest {

    private static final int SR = AudioFormat.SAMPLE_RATE;
    private static Path clip;
    private static Clips.Decoded decoded;
    private static JsonNode schedule;

    @BeforeAll
    static void decode() throws Exception {
        clip = DemoCommand.extractBundledClip();
        decoded = decodeAll(clip, 1600);
        try (InputStream in = BundledClipTest.class.getClassLoader().getResourceAsStream("demo/avis-demo.schedule.json")) {
            assertThat(in).as("demo/avis-demo.schedule.json on the classpath").isNotNull();
            schedule = new ObjectMapper().readTree(in);
        }
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
        assertThat(schedule.get("length_s").asInt()).isEqualTo(10);
        assertThat(schedule.at("/mp4/fps").asInt()).isEqualTo(25);
    }

    @Test
    void shouldBeQuietExactlyInTheSecondsWhereTheScheduleHasNoSource() {
        short[] pcm = decoded.pcm();
        JsonNode counts = schedule.get("counts");
        assertThat(counts.get(0).asInt()).as("a silent first second").isZero();
        boolean onset = false;
        boolean offset = false;
        for (int t = 0; t < counts.size(); t++) {
            double level = rms(pcm, at(t + 0.05), at(t + 0.95));
            if (counts.get(t).asInt() == 0) {
                assertThat(level).as("second %d (no source; room noise only)", t).isLessThan(250);
            } else {
                assertThat(level).as("second %d (%d sources)", t, counts.get(t).asInt()).isGreaterThan(400);
            }
            if (t > 0) {
                onset |= counts.get(t).asInt() > counts.get(t - 1).asInt();
                offset |= counts.get(t).asInt() < counts.get(t - 1).asInt();
            }
        }
        assertThat(onset).isTrue();
        assertThat(offset).isTrue();
    }

    @Test
    void shouldShowASilentDistractorWhereItsBoxesSay() {
        JsonNode silent = null;
        int index = -1;
        for (int k = 0; k < schedule.get("objects").size(); k++) {
            JsonNode o = schedule.get("objects").get(k);
            if ("silent".equals(o.get("role").asText())) {
                silent = o;
                index = k;
            }
        }
        assertThat(silent).as("an object that never sounds").isNotNull();
        int[] colour = {silent.at("/colour/0").asInt(), silent.at("/colour/1").asInt(), silent.at("/colour/2").asInt()};
        JsonNode boxes = schedule.at("/mp4/boxes").get(index);
        int matches = 0;
        for (int f = 0; f < 250; f += 25) {
            JsonNode box = boxes.get(f);
            int x = box.get(0).asInt() + box.get(2).asInt() / 2;
            int y = box.get(1).asInt() + box.get(3).asInt() / 2;
            byte[] rgb = decoded.frames().get(f).frame().rgb();
            int i = (y * 640 + x) * 3;
            // pulsing brightness (0.62..1.0 of the colour) and shade (0.85..1.1): compare hue, not level
            double r = rgb[i] & 0xff;
            double g = rgb[i + 1] & 0xff;
            double b = rgb[i + 2] & 0xff;
            double scale = (r + g + b) / (colour[0] + colour[1] + colour[2]);
            if (Math.abs(r - colour[0] * scale) < 40 && Math.abs(g - colour[1] * scale) < 40
                    && Math.abs(b - colour[2] * scale) < 40) {
                matches++;
            }
        }
        assertThat(matches).as("frames where the silent object's colour is at its box centre").isGreaterThanOrEqualTo(8);
    }
}
