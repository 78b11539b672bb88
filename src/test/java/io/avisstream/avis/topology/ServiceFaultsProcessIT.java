package io.avisstream.avis.topology;

import static io.avisstream.avis.topology.ServiceProcesses.awaitLog;
import static io.avisstream.avis.topology.ServiceProcesses.awaitReady;
import static io.avisstream.avis.topology.ServiceProcesses.freePort;
import static io.avisstream.avis.topology.ServiceProcesses.java;
import static io.avisstream.avis.topology.ServiceProcesses.tail;
import static io.avisstream.avis.topology.TestStreams.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.avisstream.avis.dlq.DeadLetters;
import io.avisstream.avis.ingest.DecodedFrame;
import io.avisstream.avis.ingest.MediaReader;
import io.avisstream.avis.ingest.PcmChunk;
import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.AudioFormat;
import io.avisstream.avis.message.EventMessage;
import io.avisstream.avis.message.FrameEncoding;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;
import io.avisstream.avis.topology.contract.TopicContract;

/**
 * The service from outside, as an operator runs it: {@code broker} in one JVM, {@code serve} (the packaged jar) in
 * another, with -Xmx1g. While two streams are produced at a steady pace with bad records of every ingress kind
 * among them, {@code serve} is killed with SIGKILL, restarted, stopped with SIGTERM and restarted. Then every frame
 * has exactly one masks record, every bad record is dead-lettered exactly once with its reason, and each restart
 * reached readiness in bounded time, and the output is that of a run without faults: every frame {@code
 * audio=complete}, inferred frames on the 1 fps grid, and record for record (seq, pts, audio, inferred, sourceSeq,
 * maskSeq, every instance's track, class, score, sounding flag, box and mask; every event) equal to the output of a
 * failure-free run of the same input (a second application id on the same broker, started after the faulted run).
 * Exact equality, scores included: the real bundled model on ONNX Runtime CPU with the same thread count gives
 * bit-identical results in both runs (1,710 instances and 16 events per run compared, no difference in 3+ runs).
 *
 * <p>Runs after {@code package} (surefire execution {@code process-its}); skipped when the jar is absent.
 */
class ServiceFaultsProcessIT {
    private static final Path JAR = ServiceProcesses.JAR;
    private static final TopicContract CONTRACT = TopicContract.bundled();
    private static final List<String> STREAMS = List.of("cam-f1", "cam-f2");
    private static final int FRAMES = 200;
    /** Audio steps of 100 ms: 200 frames at 25 fps end at 7.96 s, whose window needs audio up to 8.94 s. */
    private static final int STEPS = 90;
    private static final long STEP_MS = 300;
    /** Generous: a restart here is JVM + engine start + rejoin, ~15-20 s on a loaded 2-core machine. */
    private static final Duration RESTART_BOUND = Duration.ofSeconds(90);
    /**
     * The input: the first 200 frames (25 fps, 640x360 reduced to 160x90) and 9 s of audio of the bundled demo clip, which the bundled
     * model sees objects in (on synthetic squares every mask is empty and dropped, so there would be no instances
     * and no events to compare with the failure-free run). Both streams carry it.
     */
    private static final Clip CLIP = Clip.load();

    private record Clip(List<byte[]> rgb, List<double[]> chunks) {
        static Clip load() {
            List<byte[]> rgb = new ArrayList<>();
            List<double[]> chunks = new ArrayList<>();
            try (var in = ServiceFaultsProcessIT.class.getClassLoader().getResourceAsStream("demo/avis-demo.mp4")) {
                Path file = Files.createTempFile("avis-faults-", ".mp4");
                Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                try (MediaReader reader = MediaReader.open(file, TestStreams.CHUNK_SAMPLES)) {
                    for (var next = reader.next(); next.isPresent(); next = reader.next()) {
                        if (next.get() instanceof DecodedFrame f && rgb.size() < FRAMES) {
                            rgb.add(quarter(f.frame().width(), f.frame().height(), f.frame().rgb()));
                        } else if (next.get() instanceof PcmChunk c && chunks.size() < STEPS
                                && c.samples().length == TestStreams.CHUNK_SAMPLES) {
                            chunks.add(c.samples());
                        }
                    }
                } finally {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new Clip(rgb, chunks);
        }

        /** 640x360 to 160x90 by 4x4 means (as the model's own input pooling): 43 KB frames instead of 691 KB. */
        static byte[] quarter(int w, int h, byte[] rgb) {
            int qw = w / 4;
            int qh = h / 4;
            byte[] out = new byte[qw * qh * 3];
            for (int y = 0; y < qh; y++) {
                for (int x = 0; x < qw; x++) {
                    for (int c = 0; c < 3; c++) {
                        int sum = 0;
                        for (int dy = 0; dy < 4; dy++) {
                            for (int dx = 0; dx < 4; dx++) {
                                sum += rgb[((4 * y + dy) * w + 4 * x + dx) * 3 + c] & 0xff;
                            }
                        }
                        out[(y * qw + x) * 3 + c] = (byte) ((sum + 8) / 16);
                    }
                }
            }
            return out;
        }
    }

    @TempDir
    Path work;

    private record Bad(String topic, byte[] key, byte[] value, String reason) {
    }

    @Test
    void shouldLoseNothingDuplicateNothingAndDeadLetterEachBadRecordOnceAcrossKillAndTerm() throws Exception {
        assumeTrue(Files.exists(JAR), "needs the packaged service: mvn package");
        assertThat(CLIP.rgb()).as("clip frames").hasSize(FRAMES).allSatisfy(f -> assertThat(f).hasSize(160 * 90 * 3));
        assertThat(CLIP.chunks()).as("clip audio chunks").hasSize(STEPS);
        int brokerPort = freePort();
        int httpPort = freePort();
        String bootstrap = "127.0.0.1:" + brokerPort;
        Process broker = java(List.of("-Dquarkus.http.port=0", "-Davis.broker.port=" + brokerPort,
                "-Davis.broker.data-dir=" + work.resolve("broker")), "broker", work.resolve("broker.log"));
        List<Process> serves = new ArrayList<>();
        try {
            awaitLog(work.resolve("broker.log"), "Broker ready", broker, Duration.ofSeconds(120));
            serves.add(serve(bootstrap, httpPort, 1));
            awaitReady(httpPort, serves.get(0), Duration.ofSeconds(120));

            // Given a steady producer of 2 streams with bad records among the frames
            List<Bad> bad = badRecords();
            AtomicReference<Throwable> producerFailure = new AtomicReference<>();
            Thread producer = new Thread(() -> produce(bootstrap, bad, producerFailure), "faults-producer");
            producer.start();

            // When serve is killed (SIGKILL) mid-stream and restarted, then stopped (SIGTERM) and restarted
            Thread.sleep(4_000);
            Duration afterKill = restart(serves, bootstrap, httpPort, true);
            Thread.sleep(1_000);
            Duration afterTerm = restart(serves, bootstrap, httpPort, false);
            producer.join(TimeUnit.MINUTES.toMillis(3));
            assertThat(producerFailure.get()).isNull();

            // Then
            Map<String, List<MasksMessage>> masks = new TreeMap<>();
            Map<String, List<EventMessage>> events = new TreeMap<>();
            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            read(bootstrap, null, masks, events, dead, bad.size());
            System.out.printf("faults: restart-to-ready after SIGKILL %.1f s, after SIGTERM %.1f s%n",
                    afterKill.toMillis() / 1000.0, afterTerm.toMillis() / 1000.0);
            List<Long> allSeqs = java.util.stream.LongStream.range(0, FRAMES).boxed().toList();
            for (String id : STREAMS) {
                assertThat(masks.get(id)).as(id + ": one masks record per frame, in order (nothing lost or duplicated)")
                        .extracting(MasksMessage::seq).containsExactlyElementsOf(allSeqs);
            }
            // As without faults: every frame's audio complete (before the idle flush counted only waiting time, the
            // frames buffered across a restart were flushed partial: 22-36 per run), inferred on the 1 fps grid
            // (the sampling state restored, not restarted).
            for (String id : STREAMS) {
                assertThat(masks.get(id)).as(id + ": inferred on the stream's 1 fps grid").filteredOn(MasksMessage::inferred)
                        .extracting(MasksMessage::seq)
                        .containsExactlyElementsOf(allSeqs.stream().filter(s -> s % 25 == 0).toList());
            }
            long notComplete = masks.values().stream().flatMap(List::stream).filter(m -> !m.audio().equals("complete"))
                    .count();
            System.out.printf("faults: %d of %d masks records not audio=complete (a run without faults has 0)%n",
                    notComplete, STREAMS.size() * FRAMES);
            assertThat(notComplete).as("masks records not audio=complete (a run without faults has 0)").isZero();
            for (int run = 1; run <= serves.size(); run++) {
                Path log = work.resolve("serve-" + run + ".log");
                String text = Files.exists(log) ? Files.readString(log) : "";
                System.out.printf("faults: serve-%d: %d idle flushes (%s)%n", run, count(text, "idle flush stream="),
                        text.lines().filter(l -> l.contains("idle flush stream=")).map(l -> l.replaceAll(".*idle flush ", ""))
                                .limit(6).toList());
            }
            Map<String, String> reasonBySource = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : dead) {
                String source = DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC) + "-"
                        + DeadLetters.header(r.headers(), DeadLetters.SOURCE_PARTITION) + "@"
                        + DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET);
                assertThat(reasonBySource.put(source, DeadLetters.header(r.headers(), DeadLetters.REASON)))
                        .as("dead-lettered twice: " + source).isNull();
            }
            assertThat(dead).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.REASON))
                    .containsExactlyInAnyOrderElementsOf(bad.stream().map(Bad::reason).toList());
            assertThat(afterKill).isLessThan(RESTART_BOUND);
            assertThat(afterTerm).isLessThan(RESTART_BOUND);

            // And record for record the output of a failure-free run of the same input: a fresh serve under another
            // application id (own consumer group, transactional ids, changelogs, state directory) reads the same
            // input topics from the start on the same broker, without a restart; its masks and events are those
            // written after the faulted run's (stopped first, so its output is complete and committed).
            stop(serves.get(serves.size() - 1));
            Map<TopicPartition, Long> from = endOffsets(bootstrap);
            Process reference = java(List.of("-Xmx1g", "-Dquarkus.http.port=" + httpPort,
                    "-Dkafka.bootstrap.servers=" + bootstrap,
                    "-Davis.topology.application-id=avis-stream-reference",
                    "-Davis.topology.state-dir=" + work.resolve("state-reference")), "serve",
                    work.resolve("serve-reference.log"));
            serves.add(reference);
            awaitReady(httpPort, reference, Duration.ofSeconds(180));
            Map<String, List<MasksMessage>> refMasks = new TreeMap<>();
            Map<String, List<EventMessage>> refEvents = new TreeMap<>();
            read(bootstrap, from, refMasks, refEvents, new ArrayList<>(), 0);
            int differing = 0;
            for (String id : STREAMS) {
                List<MasksMessage> a = masks.get(id);
                List<MasksMessage> b = refMasks.getOrDefault(id, List.of());
                for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                    if (!a.get(i).equals(b.get(i))) {
                        if (differing++ < 3) {
                            System.out.printf("faults: differs from the failure-free run: %s%n  faulted   %s%n  reference %s%n",
                                    id, a.get(i), b.get(i));
                        }
                    }
                }
            }
            System.out.printf("faults: vs the failure-free run: %d of %d masks records differ; events %s (faulted) vs %s"
                    + " (failure-free)%n", differing, STREAMS.size() * FRAMES, sizes(events), sizes(refEvents));
            System.out.printf("faults: compared %d instances (%d sounding) in %d masks records with instances%n",
                    masks.values().stream().flatMap(List::stream).mapToInt(m -> m.instances().size()).sum(),
                    masks.values().stream().flatMap(List::stream).flatMap(m -> m.instances().stream())
                            .filter(InstanceMessage::sounding).count(),
                    masks.values().stream().flatMap(List::stream).filter(m -> !m.instances().isEmpty()).count());
            for (String id : STREAMS) {
                assertThat(masks.get(id)).as(id + ": masks records equal to the failure-free run's, record by record")
                        .containsExactlyElementsOf(refMasks.getOrDefault(id, List.of()));
            }
            assertThat(events).as("events equal to the failure-free run's, record by record").isEqualTo(refEvents);
            // an input the model finds nothing in would make both comparisons empty, and vacuous
            assertThat(masks.values().stream().flatMap(List::stream).mapToInt(m -> m.instances().size()).sum())
                    .as("instances compared").isGreaterThan(100);
            assertThat(events.values().stream().mapToInt(List::size).sum()).as("events compared").isPositive();
        } finally {
            serves.forEach(Process::destroyForcibly);
            ServiceProcesses.keepLogs(work, "faults");
            broker.destroy();
            broker.waitFor(60, TimeUnit.SECONDS);
            broker.destroyForcibly();
        }
    }

    /** SIGTERM, and waits for the exit. */
    private static void stop(Process serve) throws InterruptedException {
        serve.destroy();
        assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    private static Map<String, Integer> sizes(Map<String, List<EventMessage>> events) {
        Map<String, Integer> sizes = new TreeMap<>();
        events.forEach((k, v) -> sizes.put(k, v.size()));
        return sizes;
    }

    /** The committed end offsets (read_committed: the last stable offsets) of the masks and events topics. */
    private static Map<TopicPartition, Long> endOffsets(String bootstrap) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(CONTRACT.masks().name(), CONTRACT.events().name())) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            return consumer.endOffsets(partitions);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "faults-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Stops the current serve (SIGKILL or SIGTERM), starts a new one; returns stop-to-ready. */
    private Duration restart(List<Process> serves, String bootstrap, int httpPort, boolean kill) throws Exception {
        Process current = serves.get(serves.size() - 1);
        long t0 = System.nanoTime();
        if (kill) {
            current.destroyForcibly();
        } else {
            current.destroy();
        }
        assertThat(current.waitFor(60, TimeUnit.SECONDS)).isTrue();
        if (!kill) {
            // 134 was SIGSEGV in libonnxruntime: ORT's own shutdown hook freed its environment under a running
            // inference (InferenceShutdownProcessTest). Now: Kafka Streams closed and joined, then the engine.
            Path log = work.resolve("serve-" + serves.size() + ".log");
            assertThat(current.exitValue()).as("exit status after SIGTERM: " + tail(log)).isIn(0, 143);
            String text = Files.readString(log);
            assertThat(text).as("shutdown order").contains("Kafka Streams closed, stream threads joined");
            assertThat(text.indexOf("Kafka Streams closed, stream threads joined")).as("streams closed before the engine")
                    .isLessThan(text.indexOf("closing engine"));
        }
        Process next = serve(bootstrap, httpPort, serves.size() + 1);
        serves.add(next);
        awaitReady(httpPort, next, Duration.ofSeconds(180));
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private Process serve(String bootstrap, int httpPort, int run) throws IOException {
        return java(List.of("-Xmx1g", "-Dquarkus.http.port=" + httpPort, "-Dkafka.bootstrap.servers=" + bootstrap,
                // the join's idle flushes are logged at DEBUG: the test counts them per incarnation
                "-Dquarkus.log.category.\"io.avisstream.avis.topology.AvJoinProcessor\".level=DEBUG",
                "-Davis.topology.state-dir=" + work.resolve("state")), "serve", work.resolve("serve-" + run + ".log"));
    }

    private static List<Bad> badRecords() {
        String frames = CONTRACT.frames().name();
        byte[] key = "cam-f9".getBytes(StandardCharsets.UTF_8);
        byte[] good = TestStreams.jpeg(32, 24);
        return List.of(
                new Bad(frames, key, "not json".getBytes(StandardCharsets.UTF_8), "UNDECODABLE"),
                new Bad(frames, key, concat(MessageCodec.FRAMES.encode(frame("cam-f9", 0)), "}x".getBytes(StandardCharsets.UTF_8)), "UNDECODABLE"),
                new Bad(frames, key, "{\"streamId\":\"cam-f9\",\"seq\":-1}".getBytes(StandardCharsets.UTF_8), "SCHEMA_VIOLATION"),
                new Bad(frames, null, MessageCodec.FRAMES.encode(frame("cam-f9", 1)), "MISSING_KEY"),
                new Bad(frames, key, MessageCodec.FRAMES.encode(frame("cam-other", 2)), "KEY_MISMATCH"),
                new Bad(frames, key, MessageCodec.FRAMES.encode(new FrameMessage("cam-f9", 3, 0, 32, 24, FrameEncoding.RGB24, new byte[10])), "WRONG_SIZE"),
                new Bad(frames, key, MessageCodec.FRAMES.encode(new FrameMessage("cam-f9", 4, 0, 32, 24, FrameEncoding.JPEG, new byte[] { 1, 2, 3 })), "BAD_IMAGE"),
                new Bad(frames, key, MessageCodec.FRAMES.encode(new FrameMessage("cam-f9", 5, 0, 32, 24, FrameEncoding.JPEG,
                        Arrays.copyOf(good, good.length - 2))), "BAD_IMAGE"),
                new Bad(frames, key, MessageCodec.FRAMES.encode(new FrameMessage("cam-f9", 6, 0, 640, 360, FrameEncoding.JPEG,
                        TestStreams.jpegClaiming(32, 24, 26750, 26750))), "WRONG_SIZE"),
                new Bad(frames, key, MessageCodec.FRAMES.encode(new FrameMessage("cam-f9", 7, 0, 5000, 1, FrameEncoding.RGB24,
                        new byte[15000])), "OVERSIZED"),
                new Bad(CONTRACT.audio().name(), key, "{\"streamId\":\"cam-f9\",\"startMicros\":0,\"sampleRate\":44100,\"data\":\"AAAA\"}"
                        .getBytes(StandardCharsets.UTF_8), "SCHEMA_VIOLATION"));
    }

    /** Per 100 ms of stream time: each stream's audio chunk, then its frames; bad records at steps 5 and 60. */
    private static void produce(String bootstrap, List<Bad> bad, AtomicReference<Throwable> failure) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"), new ByteArraySerializer(), new ByteArraySerializer())) {
            int[] next = new int[STREAMS.size()];
            for (int step = 0; step < STEPS; step++) {
                for (int s = 0; s < STREAMS.size(); s++) {
                    String id = STREAMS.get(s);
                    byte[] key = id.getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>(CONTRACT.audio().name(), key, MessageCodec.AUDIO.encode(
                            AudioChunkMessage.of(id, step * TestStreams.CHUNK_MICROS, CLIP.chunks().get(step),
                                    AudioFormat.Encoding.F32LE))));
                    while (next[s] < FRAMES && next[s] * TestStreams.FRAME_MICROS < (step + 1) * TestStreams.CHUNK_MICROS) {
                        producer.send(new ProducerRecord<>(CONTRACT.frames().name(), key,
                                MessageCodec.FRAMES.encode(new FrameMessage(id, next[s], next[s] * TestStreams.FRAME_MICROS,
                                        160, 90, FrameEncoding.RGB24, CLIP.rgb().get(next[s]++)))));
                    }
                }
                if (step == 5 || step == 60) {
                    List<Bad> half = step == 5 ? bad.subList(0, bad.size() / 2) : bad.subList(bad.size() / 2, bad.size());
                    for (Bad b : half) {
                        producer.send(new ProducerRecord<>(b.topic(), b.key(), b.value()));
                    }
                }
                producer.flush();
                Thread.sleep(STEP_MS);
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    /**
     * Masks, events and dead letters until every frame's masks and {@code expectedDead} dead letters are in, then 3 s
     * more; from the start of the topics, or (without the DLQ) from {@code from} (masks and events topics' offsets).
     */
    private static void read(String bootstrap, Map<TopicPartition, Long> from, Map<String, List<MasksMessage>> masks,
            Map<String, List<EventMessage>> events, List<ConsumerRecord<byte[], byte[]>> dead, int expectedDead) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            if (from == null) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : List.of(CONTRACT.masks().name(), CONTRACT.events().name(), CONTRACT.dlq().name())) {
                    consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
            } else {
                consumer.assign(from.keySet());
                from.forEach(consumer::seek);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while ((count(masks) < STREAMS.size() * FRAMES || dead.size() < expectedDead) && System.nanoTime() < deadline) {
                poll(consumer, masks, events, dead, Duration.ofMillis(250));
            }
            poll(consumer, masks, events, dead, Duration.ofSeconds(3)); // anything more would be a duplicate
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static int count(Map<String, List<MasksMessage>> masks) {
        return masks.values().stream().mapToInt(List::size).sum();
    }

    private static void poll(KafkaConsumer<byte[], byte[]> consumer, Map<String, List<MasksMessage>> masks,
            Map<String, List<EventMessage>> events, List<ConsumerRecord<byte[], byte[]>> dead, Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            if (r.topic().equals(CONTRACT.dlq().name())) {
                dead.add(r);
            } else if (r.topic().equals(CONTRACT.events().name())) {
                EventMessage e = MessageCodec.EVENTS.decode(r.value());
                events.computeIfAbsent(e.streamId(), k -> new ArrayList<>()).add(e);
            } else {
                MasksMessage m = MessageCodec.MASKS.decode(r.value());
                masks.computeIfAbsent(m.streamId(), k -> new ArrayList<>()).add(m);
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
