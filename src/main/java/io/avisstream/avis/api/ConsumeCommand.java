package io.avisstream.avis.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.avisstream.avis.AvisCommand;
import io.avisstream.avis.api.ingest.KafkaIngestTransport;
import io.avisstream.avis.dlq.DeadLetters;
import io.avisstream.avis.ingest.CliDurations;
import io.avisstream.avis.ingest.StopSignal;
import io.avisstream.avis.topology.contract.TopicContract;
import io.avisstream.avis.topology.contract.TopicSpec;
import io.avisstream.avis.topology.runtime.KafkaClientProperties;
import io.avisstream.avis.topology.runtime.KafkaClusterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * {@code consume --topic masks|events|dlq [--stream ID] [--from-beginning] [--max N] [--timeout D] [--summary]}:
 * the service's output as JSON lines on stdout, for scripts and people. {@code read_committed}, partitions assigned
 * directly (no consumer group, nothing committed: it never joins or disturbs the service's group). Masks and
 * events lines are the records' JSON values as the service wrote them; a dead letter is a JSON object with its key,
 * its {@code avis.dlq.*} headers and the size of the original value.
 */
@ApplicationScoped
public class ConsumeCommand implements AvisCommand {

    public static final int EXIT_TIMED_OUT = 3;
    public static final int EXIT_UNAVAILABLE = 69;

    static final String USAGE = """
            usage: consume --topic masks|events|dlq [options]
              --topic T          masks, events or dlq (the contract's topics)
              --stream ID        only this stream (reads only its partition)
              --bootstrap H:P    Kafka cluster (default: kafka.bootstrap.servers)
              --from-beginning   start at the oldest record (default: only records that arrive from now on)
              --max N            stop after N records
              --timeout D        stop when no record arrived for D (e.g. 10s); default: run until Ctrl-C
              --summary          print per-stream counts on stderr at the end
            exit codes: 0 done (--max reached, --timeout without --max, Ctrl-C), 3 --timeout before --max records,
              64 usage, 69 Kafka cluster or topic unavailable""";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TopicContract contract;
    @Inject
    KafkaClusterConfig cluster;
    @Inject
    KafkaClientProperties clients;

    /** Data (JSON lines); a field so tests can capture it. */
    PrintStream out = System.out;
    /** Status and summary lines. */
    PrintStream err = System.err;

    /** Where the JSON lines and the status lines go (stdout and stderr unless a test captures them). */
    public void printTo(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    record Options(String topicId, Optional<String> stream, Optional<String> bootstrap, boolean fromBeginning,
            long max, Optional<Duration> timeout, boolean summary) {
    }

    @Override
    public String name() {
        return "consume";
    }

    @Override
    public String description() {
        return "print the masks, events or dead letters of the service as JSON lines (no consumer group)";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    static Options parse(String... args) {
        String topic = null;
        Optional<String> stream = Optional.empty();
        Optional<String> bootstrap = Optional.empty();
        boolean fromBeginning = false;
        long max = Long.MAX_VALUE;
        Optional<Duration> timeout = Optional.empty();
        boolean summary = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--topic" -> topic = value(args, ++i, arg);
                case "--stream" -> stream = Optional.of(value(args, ++i, arg));
                case "--bootstrap" -> bootstrap = Optional.of(value(args, ++i, arg));
                case "--from-beginning" -> fromBeginning = true;
                case "--max" -> {
                    String v = value(args, ++i, arg);
                    try {
                        max = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--max needs a whole number, got '" + v + "'");
                    }
                    if (max <= 0) {
                        throw new IllegalArgumentException("--max must be positive");
                    }
                }
                case "--timeout" -> timeout = Optional.of(CliDurations.parse(arg, value(args, ++i, arg)));
                case "--summary" -> summary = true;
                default -> throw new IllegalArgumentException("unknown option " + arg + " (consume --help lists them)");
            }
        }
        if (topic == null) {
            throw new IllegalArgumentException("--topic masks|events|dlq is required");
        }
        if (!List.of("masks", "events", "dlq").contains(topic)) {
            throw new IllegalArgumentException("--topic must be masks, events or dlq, got '" + topic + "'");
        }
        return new Options(topic, stream, bootstrap, fromBeginning, max, timeout, summary);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    @Override
    public int run(String... args) {
        Options options = parse(args);
        Map<String, Object> client = clients.forBootstrap(
                KafkaIngestTransport.bootstrap(options.bootstrap(), cluster, "consume"));
        TopicSpec spec = contract.get(options.topicId());
        Map<String, TopicDescription> described;
        try {
            described = KafkaIngestTransport.requireTopics(client, List.of(spec.name()));
        } catch (IllegalStateException e) {
            err.println("consume: " + e.getMessage());
            return EXIT_UNAVAILABLE;
        }
        int partitions = described.get(spec.name()).partitions().size();
        List<TopicPartition> assigned = options.stream()
                .map(s -> List.of(new TopicPartition(spec.name(),
                        Utils.toPositive(Utils.murmur2(s.getBytes(StandardCharsets.UTF_8))) % partitions)))
                .orElseGet(() -> described.get(spec.name()).partitions().stream()
                        .map(p -> new TopicPartition(spec.name(), p.partition())).toList());

        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Any record the contract allows on this topic must be fetchable.
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, spec.maxMessageBytes());
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Math.max(spec.maxMessageBytes(), 50 << 20));
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "avis-consume-" + options.topicId());
        Counts counts = new Counts(options.topicId());
        long printed = 0;
        boolean timedOut = false;
        try (StopSignal stop = StopSignal.install();
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer.assign(assigned);
            if (options.fromBeginning()) {
                consumer.seekToBeginning(assigned);
            } else {
                consumer.seekToEnd(assigned);
            }
            assigned.forEach(consumer::position);
            long lastRecord = System.nanoTime();
            while (!stop.requested() && printed < options.max()) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                    if (options.stream().isPresent() && !options.stream().get().equals(key)) {
                        continue;
                    }
                    out.println(line(options.topicId(), key, record));
                    counts.add(key, record);
                    lastRecord = System.nanoTime();
                    if (++printed >= options.max()) {
                        break;
                    }
                }
                out.flush();
                if (out.checkError()) {
                    break; // stdout closed (e.g. piped into head): nothing more to do
                }
                if (options.timeout().isPresent() && System.nanoTime() - lastRecord > options.timeout().get().toNanos()) {
                    timedOut = options.max() != Long.MAX_VALUE;
                    break;
                }
            }
        }
        if (options.summary()) {
            counts.print(err);
        }
        if (timedOut) {
            err.printf(Locale.ROOT, "consume: %d of %d records before no record arrived for %s%n", printed,
                    options.max(), options.timeout().get());
            return EXIT_TIMED_OUT;
        }
        return 0;
    }

    /** One JSON line: the value as written for masks and events, a description for a dead letter. */
    static String line(String topicId, String key, ConsumerRecord<byte[], byte[]> record) {
        if (!topicId.equals("dlq")) {
            return record.value() == null ? "null" : new String(record.value(), StandardCharsets.UTF_8);
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("key", key);
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("timestamp", record.timestamp());
        ObjectNode headers = node.putObject("headers");
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        node.put("valueBytes", record.value() == null ? 0 : record.value().length);
        return node.toString();
    }

    /** Per-stream record counts (by dead-letter reason on the dlq, by event type on events). */
    static final class Counts {
        private final String topicId;
        private final Map<String, Map<String, Long>> byStream = new TreeMap<>();

        Counts(String topicId) {
            this.topicId = topicId;
        }

        void add(String key, ConsumerRecord<byte[], byte[]> record) {
            String kind = switch (topicId) {
                case "dlq" -> header(record, DeadLetters.REASON);
                case "events" -> field(record, "type");
                default -> field(record, "inferred").equals("true") ? "inferred" : "not inferred";
            };
            byStream.computeIfAbsent(key == null ? "(no key)" : key, k -> new TreeMap<>()).merge(kind, 1L, Long::sum);
        }

        void print(PrintStream err) {
            if (byStream.isEmpty()) {
                err.println("consume: no records");
            }
            byStream.forEach((stream, kinds) -> err.printf(Locale.ROOT, "consume: stream=%s records=%d %s%n", stream,
                    kinds.values().stream().mapToLong(Long::longValue).sum(), kinds));
        }

        private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
            Header h = record.headers().lastHeader(name);
            return h == null ? "UNKNOWN" : new String(h.value(), StandardCharsets.UTF_8);
        }

        private static String field(ConsumerRecord<byte[], byte[]> record, String name) {
            try {
                return String.valueOf(JSON.readTree(record.value()).path(name).asText("?"));
            } catch (Exception e) {
                return "?";
            }
        }
    }
}
