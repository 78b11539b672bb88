package io.avisstream.avis.topology;

import static io.avisstream.avis.topology.TestStreams.chunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.avisstream.avis.dashboard.HeadlessChromium;
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

    @TestHTTPResource("/dashboard/api/streams")
    URI streamsApi;

    @Test
    void shouldShowTheLatestFrameWithItsMasksAndTheEventsLive() throws Exception {
        assumeThat(Files.isExecutable(HeadlessChromium.BINARY)).as("headless Chromium at " + HeadlessChromium.BINARY)
                .isTrue();
        String bootstrap = streams.start();
        Path out = Files.createDirectories(Path.of("target/dashboard"));

        // Given the page open before the stream has sent anything
        try (HeadlessChromium chromium = HeadlessChromium.open(page + "?stream=" + STREAM, out.resolve("profile"), 1280,
                800)) {
            chromium.awaitDom(html -> html.contains("id=\"status\""), Duration.ofSeconds(30));

            // When the stream plays 3 s: two static objects, loud audio (both sounding: onset at the 2nd inferred frame)
            long sent = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, "5"),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 35; i++) {
                    producer.send(new ProducerRecord<>(CONTRACT.audio().name(), STREAM,
                            MessageCodec.AUDIO.encode(chunk(STREAM, i, true))));
                }
                for (int seq = 0; seq < FRAMES; seq++) {
                    producer.send(new ProducerRecord<>(CONTRACT.frames().name(), STREAM,
                            MessageCodec.FRAMES.encode(frame(seq))));
                }
                producer.flush();
            }

            // Then the onsets arrive in the page's event feed within seconds (pushed over SSE)
            String html = chromium.awaitDom(h -> attributes(h, "li", "data-type=\"onset\"").size() >= 2,
                    Duration.ofSeconds(90));
            double seconds = (System.nanoTime() - sent) / 1e9;
            assertThat(attributes(html, "li", "data-type=\"onset\"")).as("onset events in the feed").hasSize(2)
                    .allMatch(li -> li.contains(STREAM));
            System.out.printf("dashboard: onsets shown %.1f s after the stream was sent%n", seconds);

            // And the last frame with both masks decoded in the browser (areas = the objects' pixel counts), both
            // sounding, and the stream in the list
            String api = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(streamsApi)
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(api).contains("\"streamId\":\"" + STREAM + "\"", "\"soundingCount\":2");
            java.net.http.HttpResponse<String> bare = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(page.resolve("/dashboard")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(bare.statusCode()).as("/dashboard redirects to the page").isEqualTo(302);
            assertThat(bare.headers().firstValue("location")).hasValueSatisfying(l -> assertThat(l).endsWith("/dashboard/"));
            html = chromium.awaitDom(h -> h.contains("data-seq=\"" + (FRAMES - 1) + "\""), Duration.ofSeconds(30));
            Files.writeString(out.resolve("dom.html"), html);
            assertThat(html).contains("data-seq=\"" + (FRAMES - 1) + "\"");
            assertThat(attributes(html, "li", "data-stream=\"" + STREAM + "\"")).as("stream list").isNotEmpty();
            List<String> instances = attributes(html, "li", "data-area=");
            assertThat(instances).as("instances drawn").hasSize(2);
            assertThat(instances).anyMatch(li -> li.contains("data-area=\"" + RED[2] * RED[3] + "\"")
                    && li.contains("data-sounding=\"true\""));
            assertThat(instances).anyMatch(li -> li.contains("data-area=\"" + GREEN[2] * GREEN[3] + "\"")
                    && li.contains("data-sounding=\"true\""));
            assertThat(html).contains("id=\"sounding\" class=\"badge on\" data-count=\"2\"");

            // And a screenshot of the page, kept as a test artifact
            Path png = out.resolve("dashboard.png");
            Files.write(png, chromium.screenshot());
            assertThat(Files.size(png)).isGreaterThan(10_000);
        }
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
