package io.avisstream.avis.api;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

import io.avisstream.avis.AvisCommand;
import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.FrameEncoding;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.runtime.KafkaClusterConfig;

/**
 * {@code soak}: load for a running service ({@code serve} on {@code kafka.bootstrap.servers}). Sends synthetic
 * streams (rgb24 frames and 100 ms audio chunks, in real time) at a step of frame rates, reads the masks, and prints
 * one row per step: frames sent and received, lag (sent - received) at the end of the step, end-to-end latency
 * p50/p99 (frame sent to masks record read), and the service's RSS when {@code --pid} is given. Run it for hours with
 * long steps; nothing is asserted.
 *
 * <pre>
 * soak [--streams 2] [--rates 5,10,25] [--step 60s] [--size 320x180] [--pid PID]
 * </pre>
 */
@ApplicationScoped
public class SoakCommand implements AvisCommand {
    private static final Logger LOG = Logger.getLogger(SoakCommand.class);
    private static final long CHUNK_MICROS = 100_000;

    @Inject
    KafkaClusterConfig cluster;
    @Inject
    TopicContract contract;

    @Override
    public String name() {
        return "soak";
    }

    @Override
    public String description() {
        return "load a running service at steps of frame rates; prints lag, latency p50/p99 and RSS per step";
    }

    record Options(int streams, List<Integer> rates, Duration step, int width, int height, long pid) {
        static Options parse(String... args) {
            int streams = 2;
            List<Integer> rates = List.of(5, 10, 25);
            Duration step = Duration.ofSeconds(60);
            int w = 320;
            int h = 180;
            long pid = -1;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                if (value == null) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                switch (args[i++]) {
                    case "--streams" -> streams = Integer.parseInt(value);
                    case "--rates" -> rates = Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
                    case "--step" -> step = Duration.parse("PT" + value.toUpperCase());
                    case "--size" -> {
                        String[] wh = value.split("x");
                        w = Integer.parseInt(wh[0]);
                        h = Integer.parseInt(wh[1]);
                    }
                    case "--pid" -> pid = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
                }
            }
            if (streams < 1 || rates.isEmpty() || rates.stream().anyMatch(r -> r < 1 || r > 100)) {
                throw new IllegalArgumentException("--streams >= 1, --rates in 1..100 fps");
            }
            return new Options(streams, rates, step, w, h, pid);
        }
    }

    @Override
    public int run(String... args) throws Exception {
        Options options = Options.parse(args);
        if (cluster.bootstrapServers().isEmpty()) {
            throw new IllegalArgumentException("soak loads a running service: set kafka.bootstrap.servers");
        }
        String bootstrap = cluster.bootstrapServers().get();
        String run = Long.toString(System.currentTimeMillis(), 36);
        Map<String, Long> sentNanos = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong received = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = new Thread(() -> read(bootstrap, run, sentNanos, latencies, received, stop), "soak-reader");
        reader.start();
        System.out.printf("%-6s %8s %8s %8s %8s %9s %9s %9s%n", "fps", "streams", "sent", "received", "lag",
                "p50-ms", "p99-ms", "rss-MiB");
        long sent = 0;
        long[] seq = new long[options.streams()];
        long[] ptsMicros = new long[options.streams()];
        long[] audioMicros = new long[options.streams()];
        byte[] pixels = new byte[options.width() * options.height() * 3];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap, ProducerConfig.LINGER_MS_CONFIG, "2", ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Integer.toString(contract.frames().maxMessageBytes())), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int fps : options.rates()) {
                latencies.clear();
                long stepEnd = System.nanoTime() + options.step().toNanos();
                long periodNanos = 1_000_000_000L / fps;
                long next = System.nanoTime();
                while (System.nanoTime() < stepEnd) {
                    for (int s = 0; s < options.streams(); s++) {
                        String id = "soak-" + run + "-" + s;
                        byte[] key = id.getBytes(StandardCharsets.UTF_8);
                        // audio first, in real time with the frames: the window of each frame is covered
                        while (audioMicros[s] <= ptsMicros[s] + 1_000_000) {
                            producer.send(new ProducerRecord<>(contract.audio().name(), key, MessageCodec.AUDIO.encode(
                                    AudioChunkMessage.of(id, audioMicros[s], new short[1600]))));
                            audioMicros[s] += CHUNK_MICROS;
                        }
                        pixels[(int) (seq[s] % pixels.length)]++;
                        FrameMessage frame = new FrameMessage(id, seq[s], ptsMicros[s], options.width(), options.height(),
                                FrameEncoding.RGB24, pixels.clone());
                        sentNanos.put(id + "/" + seq[s], System.nanoTime());
                        producer.send(new ProducerRecord<>(contract.frames().name(), key, MessageCodec.FRAMES.encode(frame)));
                        seq[s]++;
                        ptsMicros[s] += 1_000_000L / fps;
                        sent++;
                    }
                    next += periodNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                producer.flush();
                List<Long> step;
                synchronized (latencies) {
                    step = new ArrayList<>(latencies);
                }
                Collections.sort(step);
                System.out.printf("%-6d %8d %8d %8d %8d %9s %9s %9s%n", fps, options.streams(), sent, received.get(),
                        sent - received.get(), percentile(step, 0.50), percentile(step, 0.99), rssMib(options.pid()));
            }
        } finally {
            stop.set(true);
            reader.join(10_000);
        }
        return 0;
    }

    private void read(String bootstrap, String run, Map<String, Long> sentNanos, List<Long> latencies, AtomicLong received,
            AtomicBoolean stop) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "avis-soak-" + run,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(Set.of(contract.masks().name()));
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    MasksMessage m = MessageCodec.MASKS.decode(r.value());
                    Long t0 = sentNanos.remove(m.streamId() + "/" + m.seq());
                    if (t0 != null) {
                        latencies.add((System.nanoTime() - t0) / 1_000_000);
                        received.incrementAndGet();
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "soak reader stopped");
        }
    }

    static String percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int i = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
        return Long.toString(sorted.get(Math.max(0, i)));
    }

    static String rssMib(long pid) {
        if (pid <= 0) {
            return "-";
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return Long.toString(kb / 1024);
                }
            }
        } catch (Exception e) {
            return "?";
        }
        return "?";
    }
}
