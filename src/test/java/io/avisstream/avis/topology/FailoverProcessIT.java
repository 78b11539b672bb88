package io.avisstream.avis.topology;

import static io.avisstream.avis.topology.ServiceProcesses.awaitLog;
import static io.avisstream.avis.topology.ServiceProcesses.awaitReady;
import static io.avisstream.avis.topology.ServiceProcesses.freePort;
import static io.avisstream.avis.topology.ServiceProcesses.java;
import static io.avisstream.avis.topology.TestStreams.chunk;
import static io.avisstream.avis.topology.TestStreams.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;
import io.avisstream.avis.topology.contract.TopicContract;

/**
 * Two instances of {@code serve} (one application, static members {@code avis-a} and {@code avis-b}, one standby
 * replica as in the k8s manifests) on one {@code broker}, six streams, one per partition. The instance that runs
 * most of the streams' tasks is killed with SIGKILL mid-stream and not restarted: the other takes over its partitions
 * when its session expires and goes on. Then every frame of every stream has exactly one masks record, in order; the
 * streams are inferred on the same 1 fps grid as before (their sampling clock and tracker state moved with the
 * changelog, not restarted) and their track ids continue. Prints the failover time: SIGKILL to the first masks record
 * of each moved stream served by the other instance.
 *
 * <p>Runs after {@code package} (surefire execution {@code process-its}); skipped when the jar is absent.
 */
class FailoverProcessIT {
    private static final TopicContract CONTRACT = TopicContract.bundled();
    private static final int PARTITIONS = CONTRACT.frames().partitions();
    private static final int FRAMES = 200;
    private static final int STEPS = 90;
    private static final long STEP_MS = 300;
    private static final int[] COLOURS = { 0xff0000, 0x00ff00, 0x0000ff, 0xffff00, 0x00ffff, 0xff00ff };
    /** 10 s session timeout (static member) + rebalance + restore from the standby, on a loaded 2-core machine. */
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void shouldMoveTheKilledInstancesStreamsToTheOtherWithTheirStateAndLoseNothing() throws Exception {
        assumeTrue(Files.exists(ServiceProcesses.JAR), "needs the packaged service: mvn package");
        List<String> streams = onePerPartition();
        int brokerPort = freePort();
        String bootstrap = "127.0.0.1:" + brokerPort;
        Process broker = java(List.of("-Dquarkus.http.port=0", "-Davis.broker.port=" + brokerPort,
                "-Davis.broker.data-dir=" + work.resolve("broker")), "broker", work.resolve("broker.log"));
        Process a = null;
        Process b = null;
        Map<String, List<Arrival>> arrivals = new ConcurrentHashMap<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        Thread reader = new Thread(() -> read(bootstrap, arrivals, reading, readerFailure), "failover-reader");
        try {
            awaitLog(work.resolve("broker.log"), "Broker ready", broker, Duration.ofSeconds(120));
            int portA = freePort();
            int portB = freePort();
            a = serve(bootstrap, portA, "a");
            b = serve(bootstrap, portB, "b");
            awaitReady(portA, a, Duration.ofSeconds(180));
            awaitReady(portB, b, Duration.ofSeconds(180));
            reader.start();

            // Given six streams produced at a steady pace, served by A and B
            AtomicReference<Throwable> producerFailure = new AtomicReference<>();
            Thread producer = new Thread(() -> produce(bootstrap, streams, producerFailure), "failover-producer");
            producer.start();
            // ... until every stream has its first second of masks (both instances serving)
            long serving = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!streams.stream().allMatch(id -> arrivals.getOrDefault(id, List.of()).size() >= 25)
                    && System.nanoTime() < serving) {
                Thread.sleep(100);
            }
            Set<String> servedBefore = Set.copyOf(arrivals.keySet());
            // which instance runs which stream's task (a new member may only get standbys at first)
            Set<String> ownedByA = ownedBy(portA, streams);
            boolean killA = ownedByA.size() * 2 >= streams.size();
            Set<String> moved = killA ? ownedByA
                    : Set.copyOf(streams.stream().filter(id -> !ownedByA.contains(id)).toList());
            Process victim = killA ? a : b;
            Process survivor = killA ? b : a;
            System.out.printf("failover: A runs %s, B the others; killing %s%n", ownedByA, killA ? "A" : "B");

            // When the instance that runs the most streams is killed and not restarted
            long killed = System.nanoTime();
            victim.destroyForcibly();
            assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
            producer.join(TimeUnit.MINUTES.toMillis(3));
            assertThat(producerFailure.get()).isNull();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (total(arrivals) < streams.size() * FRAMES && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            Thread.sleep(3_000); // anything more would be a duplicate
            reading.set(false);
            reader.join(30_000);
            assertThat(readerFailure.get()).isNull();

            // Then every frame once, in order, on the 1 fps grid, track ids continuing
            Map<String, Double> gapAfterKill = new TreeMap<>();
            for (String id : streams) {
                List<Arrival> got = arrivals.getOrDefault(id, List.of());
                assertThat(got).as(id + ": one masks record per frame, in order").extracting(r -> r.masks().seq())
                        .containsExactlyElementsOf(LongStream.range(0, FRAMES).boxed().toList());
                assertThat(got).as(id + ": inferred on the stream's 1 fps grid (sampling state not restarted)")
                        .filteredOn(r -> r.masks().inferred()).extracting(r -> r.masks().seq())
                        .containsExactlyElementsOf(LongStream.range(0, FRAMES).filter(s -> s % 25 == 0).boxed().toList());
                assertTrackIdsContinue(id, got);
                Arrival firstAfter = got.stream().filter(r -> r.atNanos() > killed).findFirst().orElseThrow();
                Arrival lastBefore = got.stream().filter(r -> r.atNanos() <= killed).reduce((x, y) -> y).orElse(null);
                gapAfterKill.put(id, (firstAfter.atNanos() - killed) / 1e9);
                System.out.printf("failover: %s: last record before the kill seq %s, first after seq %d at +%.1f s%n", id,
                        lastBefore == null ? "-" : Long.toString(lastBefore.masks().seq()), firstAfter.masks().seq(),
                        (firstAfter.atNanos() - killed) / 1e9);
            }
            double failover = moved.stream().mapToDouble(gapAfterKill::get).max().orElseThrow();
            long instances = arrivals.values().stream().flatMap(List::stream)
                    .mapToLong(r -> r.masks().instances().size()).sum();
            System.out.printf("failover: SIGKILL of the instance running %d of %d streams to all of them served by the"
                    + " other: %.1f s (instances in all records: %d)%n", moved.size(), streams.size(), failover,
                    instances);
            assertThat(servedBefore).as("streams served before the kill").hasSize(streams.size());
            assertThat(moved).as("the killed instance ran streams").isNotEmpty();
            assertThat(survivor.isAlive()).as("the other instance still serving").isTrue();
            assertThat(Duration.ofMillis((long) (failover * 1000))).isLessThan(FAILOVER_BOUND);
        } finally {
            reading.set(false);
            if (a != null) {
                a.destroyForcibly();
            }
            if (b != null) {
                b.destroyForcibly();
            }
            broker.destroy();
            broker.waitFor(60, TimeUnit.SECONDS);
            broker.destroyForcibly();
            ServiceProcesses.keepLogs(work, "failover");
        }
    }

    private record Arrival(MasksMessage masks, long atNanos) {
    }

    /** A track id never comes back lower: each new id is above every id the stream had before (state not reset). */
    private static void assertTrackIdsContinue(String id, List<Arrival> got) {
        long highest = 0;
        Set<Long> seen = new java.util.HashSet<>();
        for (Arrival r : got) {
            for (InstanceMessage i : r.masks().instances()) {
                if (seen.add(i.trackId())) {
                    assertThat(i.trackId()).as(id + " seq " + r.masks().seq() + ": new track id after " + highest)
                            .isGreaterThan(highest);
                    highest = i.trackId();
                }
            }
        }
    }

    /** The streams whose task runs on the instance at {@code port}: its tracks endpoint answers 200 (303: the other). */
    private static Set<String> ownedBy(int port, List<String> streams) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        Set<String> owned = new java.util.TreeSet<>();
        for (String id : streams) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int status;
            do {
                status = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/streams/" + id + "/tracks")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 200 && status != 303) {
                    Thread.sleep(200);
                }
            } while (status != 200 && status != 303 && System.nanoTime() < deadline);
            assertThat(status).as("owner of " + id).isIn(200, 303);
            if (status == 200) {
                owned.add(id);
            }
        }
        return owned;
    }

    private Process serve(String bootstrap, int httpPort, String name) throws java.io.IOException {
        return java(List.of("-Xmx1g", "-Dquarkus.http.port=" + httpPort, "-Dkafka.bootstrap.servers=" + bootstrap,
                "-Dkafka-streams.application.server=127.0.0.1:" + httpPort,
                "-Davis.topology.instance-id=avis-" + name, "-Davis.topology.state-dir=" + work.resolve("state-" + name),
                "-Dkafka-streams.num.standby.replicas=1"), "serve", work.resolve("serve-" + name + ".log"));
    }

    /** Stream ids whose records land one in each partition (the default partitioner: murmur2 of the key). */
    private static List<String> onePerPartition() {
        Map<Integer, String> byPartition = new TreeMap<>();
        for (int i = 0; byPartition.size() < PARTITIONS; i++) {
            String id = "cam-fo" + i;
            byPartition.putIfAbsent(Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS, id);
        }
        return List.copyOf(byPartition.values());
    }

    private static void produce(String bootstrap, List<String> streams, AtomicReference<Throwable> failure) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"), new ByteArraySerializer(), new ByteArraySerializer())) {
            int[] next = new int[streams.size()];
            for (int step = 0; step < STEPS; step++) {
                for (int s = 0; s < streams.size(); s++) {
                    String id = streams.get(s);
                    byte[] key = id.getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>(CONTRACT.audio().name(), key, MessageCodec.AUDIO.encode(chunk(id, step, true))));
                    while (next[s] < FRAMES && next[s] * TestStreams.FRAME_MICROS < (step + 1) * TestStreams.CHUNK_MICROS) {
                        producer.send(new ProducerRecord<>(CONTRACT.frames().name(), key,
                                MessageCodec.FRAMES.encode(frame(id, next[s]++, COLOURS[s % COLOURS.length]))));
                    }
                }
                producer.flush();
                Thread.sleep(STEP_MS);
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private static void read(String bootstrap, Map<String, List<Arrival>> arrivals, AtomicBoolean reading,
            AtomicReference<Throwable> failure) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "failover-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(Set.of(CONTRACT.masks().name()));
            while (reading.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    MasksMessage m = MessageCodec.MASKS.decode(r.value());
                    arrivals.computeIfAbsent(m.streamId(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add(new Arrival(m, System.nanoTime()));
                }
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private static int total(Map<String, List<Arrival>> arrivals) {
        return arrivals.values().stream().mapToInt(List::size).sum();
    }
}
