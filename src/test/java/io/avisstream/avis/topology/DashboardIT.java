package io.avisstream.avis.topology;

import static io.avisstream.avis.topology.TestStreams.chunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.avisstream.avis.message.FrameEncoding;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.MessageCodec;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.runtime.AvisStreams;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The live dashboard in headless Chromium on the in-process pipeline: the page is opened before the stream starts;
 * within seconds it must show the stream, its latest frame with both masks decoded from the RLE in the browser (the
 * decoded areas equal the objects' pixel counts), two sounding objects, and the onset events pushed over SSE.
 * A screenshot is kept as {@code target/dashboard/dashboard.png}. Needs {@code /usr/bin/chromium} (installed by
 * {@code .ci/run}); skipped where it is absent.
 */
@QuarkusTest
class DashboardIT {
    private static final TopicContract CONTRACT = TopicContract.bundled();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String STREAM = "dash-live";
    private static final int W = 320;
    private static final int H = 180;
    /** Red object touching the top edge, green one lower right: their areas are what the page must decode. */
    private static final int[] RED = { 20, 0, 100, 70 };
    private static final int[] GREEN = { 180, 60, 120, 100 };
    private static final int FRAMES = 75;

    @Inject
    AvisStreams streams;

    @TestHTTPResource("/dashboard/")
    URI page;

    @Test
    void shouldShowTheLatestFrameWithItsMasksAndTheEventsLive() throws Exception {
        assumeThat(Files.isExecutable(CHROMIUM)).as("headless Chromium at " + CHROMIUM).isTrue();
        String bootstrap = streams.start();
        Path out = Files.createDirectories(Path.of("target/dashboard"));
        String url = page + "?stream=" + STREAM;

        // Given the page open before the stream has sent anything
        Process dom = chromium(out.resolve("profile-dom"), List.of("--dump-dom", "--virtual-time-budget=20000", url),
                out.resolve("dom.html"));
        Thread.sleep(3000);

        // When the stream plays 3 s: two static objects, loud audio (both sounding: onset at the 2nd inferred frame)
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, "5"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 35; i++) {
                producer.send(new ProducerRecord<>(CONTRACT.audio().name(), STREAM,
                        MessageCodec.AUDIO.encode(chunk(STREAM, i, true))));
            }
            for (int seq = 0; seq < FRAMES; seq++) {
                producer.send(new ProducerRecord<>(CONTRACT.frames().name(), STREAM, MessageCodec.FRAMES.encode(frame(seq))));
            }
            producer.flush();
        }

        // Then the page, dumped once its time budget is spent, shows the frame, the masks and the events
        assertThat(dom.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        String html = Files.readString(out.resolve("dom.html"), StandardCharsets.UTF_8);
        assertThat(attributes(html, "li", "data-stream=\"" + STREAM + "\"")).as("stream list").isNotEmpty();
        List<String> instances = attributes(html, "li", "data-area=");
        assertThat(instances).as("instances drawn").hasSize(2);
        assertThat(instances).anyMatch(li -> li.contains("data-area=\"" + RED[2] * RED[3] + "\"")
                && li.contains("data-sounding=\"true\""));
        assertThat(instances).anyMatch(li -> li.contains("data-area=\"" + GREEN[2] * GREEN[3] + "\"")
                && li.contains("data-sounding=\"true\""));
        assertThat(html).contains("data-count=\"2\"");
        List<String> onsets = attributes(html, "li", "data-type=\"onset\"");
        assertThat(onsets).as("onset events in the feed").hasSize(2).allMatch(li -> li.contains(STREAM));

        // And a screenshot of the page (kept under target/dashboard)
        Path png = out.resolve("dashboard.png");
        Files.deleteIfExists(png);
        Process shot = chromium(out.resolve("profile-shot"), List.of("--screenshot=" + png.toAbsolutePath(),
                "--window-size=1280,800", "--virtual-time-budget=5000", url), out.resolve("screenshot.log"));
        assertThat(shot.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }

    private static Process chromium(Path profile, List<String> args, Path stdout) throws IOException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stdout.resolveSibling(stdout.getFileName() + ".err").toFile()).start();
    }

    /** The opening tags of {@code tag} elements that contain {@code needle}. */
    private static List<String> attributes(String html, String tag, String needle) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<" + tag + "\\b[^>]*>").matcher(html);
        while (m.find()) {
            if (m.group().contains(needle)) {
                out.add(m.group());
            }
        }
        return out;
    }

    private static FrameMessage frame(long seq) {
        byte[] data = new byte[W * H * 3];
        paint(data, RED, 0xe53935);
        paint(data, GREEN, 0x43a047);
        return new FrameMessage(STREAM, seq, seq * TestStreams.FRAME_MICROS, W, H, FrameEncoding.RGB24, data);
    }

    private static void paint(byte[] data, int[] box, int rgb) {
        for (int y = box[1]; y < box[1] + box[3]; y++) {
            for (int x = box[0]; x < box[0] + box[2]; x++) {
                int p = (y * W + x) * 3;
                data[p] = (byte) (rgb >> 16);
                data[p + 1] = (byte) (rgb >> 8);
                data[p + 2] = (byte) rgb;
            }
        }
    }
}
