package io.avisstream.avis.topology;

import static io.avisstream.avis.topology.TestStreams.chunk;
import static io.avisstream.avis.topology.TestStreams.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.avisstream.avis.dlq.DeadLetters;
import io.avisstream.avis.message.EventMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.runtime.AvisStreams;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The pipeline on the real in-process broker, then {@code /q/metrics}: the counters must equal what the run put on
 * the output topics (masks, inferred frames, audio coverage, events by type, dead letters by reason), the engine
 * histograms must count one encode and one decode per inferred frame, and the Kafka client metrics (consumer lag
 * included) must be there. Other tests share the application, so stream-independent meters are compared as deltas.
 */
@QuarkusTest
class PipelineMetricsIT {
    private static final TopicContract CONTRACT = TopicContract.bundled();
    /** 50 frames (2 s at 25 fps): stream a with loud audio for 3 s, stream b without any audio. */
    private static final int FRAMES = 50;
    private static final String A = "metrics-a";
    private static final String B = "metrics-b";

    @Inject
    AvisStreams streams;

    @TestHTTPResource("/q/metrics")
    URI metricsUri;

    @Test
    void shouldCountWhatTheRunDid() throws Exception {
        String bootstrap = streams.start();
        Map<String, Double> before = scrape();

        // When: stream a with complete audio, stream b with none, and one undecodable frame record
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, "5"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(CONTRACT.audio().name(), A, MessageCodec.AUDIO.encode(chunk(A, i, true))));
            }
            for (int seq = 0; seq < FRAMES; seq++) {
                producer.send(new ProducerRecord<>(CONTRACT.frames().name(), A, MessageCodec.FRAMES.encode(frame(A, seq, 0x00ff00))));
                producer.send(new ProducerRecord<>(CONTRACT.frames().name(), B, MessageCodec.FRAMES.encode(frame(B, seq, 0x0000ff))));
            }
            producer.send(new ProducerRecord<>(CONTRACT.frames().name(), B, "not json".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }

        // Then read back everything the run produced for these streams
        Map<String, Integer> masks = new HashMap<>();
        Map<String, Integer> inferred = new HashMap<>();
        Map<String, Integer> fresh = new HashMap<>();
        Map<String, Integer> coverage = new HashMap<>();
        Map<String, Integer> events = new HashMap<>();
        List<String> deadLetters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "pipeline-metrics-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(Set.of(CONTRACT.masks().name(), CONTRACT.dlq().name(), CONTRACT.events().name()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            long quietSince = 0;
            while (System.nanoTime() < deadline) {
                int got = 0;
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    if (!A.equals(r.key()) && !B.equals(r.key())) {
                        continue;
                    }
                    got++;
                    if (r.topic().equals(CONTRACT.dlq().name())) {
                        deadLetters.add(DeadLetters.header(r.headers(), DeadLetters.REASON));
                    } else if (r.topic().equals(CONTRACT.events().name())) {
                        EventMessage e = MessageCodec.EVENTS.decode(r.value());
                        events.merge(e.streamId() + "/" + e.type().wire(), 1, Integer::sum);
                    } else {
                        MasksMessage m = MessageCodec.MASKS.decode(r.value());
                        masks.merge(m.streamId(), 1, Integer::sum);
                        inferred.merge(m.streamId(), m.inferred() ? 1 : 0, Integer::sum);
                        fresh.merge(m.streamId(), m.freshMasks() ? 1 : 0, Integer::sum);
                        coverage.merge(m.streamId() + "/" + m.audio(), 1, Integer::sum);
                    }
                }
                boolean done = masks.getOrDefault(A, 0) == FRAMES && masks.getOrDefault(B, 0) == FRAMES;
                if (got == 0 && done) {
                    if (quietSince == 0) {
                        quietSince = System.nanoTime();
                    } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(2)) {
                        break;
                    }
                } else {
                    quietSince = 0;
                }
            }
        }
        assertThat(masks).containsEntry(A, FRAMES).containsEntry(B, FRAMES);
        assertThat(coverage).containsEntry(A + "/complete", FRAMES).containsEntry(B + "/missing", FRAMES);
        assertThat(deadLetters).containsExactly("UNDECODABLE");
        assertThat(events).isNotEmpty();
        int inferredTotal = inferred.get(A) + inferred.get(B);
        assertThat(inferredTotal).isEqualTo(4);

        Map<String, Double> after = scrape();
        for (String s : List.of(A, B)) {
            String st = "stream=\"" + s + "\"";
            assertThat(after).containsEntry("avis_frames_in_total{" + st + "}", (double) FRAMES);
            assertThat(after).containsEntry("avis_masks_out_total{" + st + "}", (double) FRAMES);
            assertThat(after).containsEntry("avis_frames_inferred_total{" + st + "}", (double) inferred.get(s));
            assertThat(after).containsEntry("avis_join_wait_seconds_count{" + st + "}", (double) FRAMES);
            assertThat(after).containsEntry("avis_tracks_live{" + st + "}", 1.0);
        }
        assertThat(after).containsEntry("avis_audio_coverage_total{coverage=\"complete\",stream=\"" + A + "\"}", (double) FRAMES);
        assertThat(after).containsEntry("avis_audio_coverage_total{coverage=\"missing\",stream=\"" + B + "\"}", (double) FRAMES);
        assertThat(after).doesNotContainKey("avis_audio_coverage_total{coverage=\"missing\",stream=\"" + A + "\"}");
        for (Map.Entry<String, Integer> e : events.entrySet()) {
            String[] streamType = e.getKey().split("/");
            assertThat(after).containsEntry("avis_events_total{stream=\"" + streamType[0] + "\",type=\"" + streamType[1]
                    + "\"}", (double) e.getValue());
        }
        assertThat(delta(before, after, "avis_dead_letters_total{reason=\"UNDECODABLE\",stage=\"ingress-frames\"}"))
                .isEqualTo(1.0);
        assertThat(delta(before, after, "avis_engine_latency_seconds_count{stage=\"encode\"}")).isEqualTo(inferredTotal);
        assertThat(delta(before, after, "avis_engine_latency_seconds_count{stage=\"decode\"}")).isEqualTo(inferredTotal);
        assertThat(delta(before, after, "avis_engine_batch_size_count")).isEqualTo(inferredTotal);
        // one fresh-masks call per record with fresh masks (avis.inference.mask-fps)
        assertThat(delta(before, after, "avis_engine_latency_seconds_count{stage=\"fresh\"}"))
                .isEqualTo(fresh.get(A) + fresh.get(B)).isPositive();
        // Kafka Streams and client metrics are bound: consumer lag, stream thread process rate
        assertThat(after.keySet()).anyMatch(k -> k.startsWith("kafka_consumer_fetch_manager_records_lag_max"));
        assertThat(after.keySet()).anyMatch(k -> k.startsWith("kafka_stream_thread_process_total"));

        // And every metric the Grafana dashboard queries is one the service serves
        String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("k8s/grafana/avis-dashboard.json"));
        Matcher used = Pattern.compile("\\b((?:avis|kafka)_[a-z_]+)").matcher(dashboard);
        int queried = 0;
        while (used.find()) {
            String name = used.group(1);
            queried++;
            assertThat(after.keySet()).as("dashboard metric %s", name).anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
        }
        assertThat(queried).isGreaterThan(10);
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
        return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][\\w:]*)(\\{[^}]*\\})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** {@code /q/metrics} as {@code name{sorted labels} -> value}; the Kafka binder's own tags are dropped. */
    private Map<String, Double> scrape() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metricsUri).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        java.nio.file.Files.writeString(java.nio.file.Path.of("target/metrics-scrape.txt"), body);
        Map<String, Double> out = new HashMap<>();
        for (String line : body.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            String key = m.group(1);
            if (m.group(2) != null && !key.startsWith("kafka_")) {
                java.util.TreeMap<String, String> labels = new java.util.TreeMap<>();
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
                StringBuilder sb = new StringBuilder();
                labels.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append("=\"").append(v).append('"'));
                key = sb.length() == 0 ? key : key + "{" + sb + "}";
            } else if (m.group(2) != null) {
                key = key + m.group(2);
            }
            out.merge(key, Double.parseDouble(m.group(3)), Double::sum);
        }
        return out;
    }
}
