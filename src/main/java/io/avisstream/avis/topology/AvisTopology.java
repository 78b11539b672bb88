package io.avisstream.avis.topology;

import static io.avisstream.avis.topology.TopologyNames.*;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import io.avisstream.avis.engine.Engine;
import io.avisstream.avis.topology.contract.TopicContract;

/**
 * The avis-stream topology (Processor API, one sub-topology, every node and store named):
 *
 * <pre>
 * avis-frames-source ─ avis-frames-decode ─┐                                   ┌─ avis-masks-sink
 *                                          ├─ avis-av-join ─ avis-infer-track ─┤
 * avis-audio-source ── avis-audio-decode ──┘        │                          └─ avis-events ─ avis-events-sink
 *            (decode and join also feed avis-dlq-sink)
 * </pre>
 *
 * Frames and audio are keyed by stream id and co-partitioned, so one task owns a stream, its join buffers, its
 * tracker state and its event state. All stores are persistent and changelogged.
 */
public final class AvisTopology {
    private AvisTopology() {
    }

    public static Topology build(Engine engine, TopologySettings settings, TopicContract contract) {
        return build(engine, settings, contract, DEFAULT_BUFFER_RETENTION, PipelineObserver.NONE);
    }

    /** {@code avis.join.changelog-retention}'s default. */
    public static final Duration DEFAULT_BUFFER_RETENTION = Duration.ofMinutes(10);

    /**
     * @param bufferRetention how long the join buffers' changelogs keep raw frames and audio
     *        ({@code avis.join.changelog-retention})
     */
    public static Topology build(Engine engine, TopologySettings settings, TopicContract contract,
            Duration bufferRetention) {
        return build(engine, settings, contract, bufferRetention, PipelineObserver.NONE);
    }

    /**
     * @param bufferRetention how long the join buffers' changelogs keep raw frames and audio
     *        ({@code avis.join.changelog-retention})
     * @param observer what the processors report to (metrics, dashboard)
     */
    public static Topology build(Engine engine, TopologySettings settings, TopicContract contract,
            Duration bufferRetention, PipelineObserver observer) {
        // The buffers may hold a record back for up to audio retention + grace + idle flush: it must survive that long.
        Duration holdBack = settings.audioRetention().plus(settings.grace()).plus(settings.idleFlush());
        if (bufferRetention.compareTo(Duration.ofMinutes(1)) < 0 || bufferRetention.compareTo(holdBack) <= 0) {
            throw new IllegalArgumentException("avis.join.changelog-retention must be >= 1m and longer than"
                    + " avis.join.audio-retention + grace + idle-flush (" + holdBack + "), got " + bufferRetention);
        }
        String frames = contract.frames().name();
        String audio = contract.audio().name();
        Map<String, String> bufferChangelog = new java.util.HashMap<>(bufferChangelog(bufferRetention));
        // Small segments and an eager cleaner as well: the active segment is never cleaned, and at the 1 GiB default
        // it would keep every emitted frame until a restore replays them all. Segments stay larger than the largest
        // record (the broker refuses a batch larger than a segment).
        bufferChangelog.put("segment.bytes", Integer.toString(Math.max(16 << 20, 2 * contract.largestRecordBytes())));
        bufferChangelog.put("min.cleanable.dirty.ratio", "0.1");
        // Buffered frames are as large as frames: their changelog must accept what the frames topic accepts.
        Map<String, String> largeChangelog = new java.util.HashMap<>(bufferChangelog);
        largeChangelog.put("max.message.bytes", Integer.toString(contract.largestRecordBytes()));

        // Dead letters carry the rejected record's bytes: cut to what the dead-letter topic (and the producer, whose
        // max.request.size AvisStreams sets to at least this) accepts, so no input can make a send fail.
        DeadLetterRouting deadLetters = new DeadLetterRouting(contract.dlq().maxMessageBytes());

        Topology topology = new Topology();
        topology.addSource(FRAMES_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), frames);
        topology.addSource(AUDIO_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), audio);
        topology.addProcessor(FRAMES_DECODE, () -> IngressProcessor.frames(settings, observer, deadLetters), FRAMES_SOURCE);
        topology.addProcessor(AUDIO_DECODE, () -> IngressProcessor.audio(settings, observer, deadLetters), AUDIO_SOURCE);
        topology.addProcessor(JOIN, () -> new AvJoinProcessor(settings, observer, deadLetters), FRAMES_DECODE, AUDIO_DECODE);
        // Every masks record is made to fit the masks topic (MasksFit): a refused record would fail the transaction
        // and the task would retry the same frame for ever.
        int masksBudget = MasksFit.budget(contract.masks().maxMessageBytes());
        topology.addProcessor(INFER, () -> new InferenceProcessor(engine, settings, observer, masksBudget), JOIN);
        topology.addProcessor(EVENTS, () -> new EventsProcessor(settings, engine.info()::className, observer), INFER);

        topology.addStateStore(bytesStore(JOIN_FRAMES_STORE, largeChangelog), JOIN);
        topology.addStateStore(bytesStore(JOIN_AUDIO_STORE, bufferChangelog), JOIN);
        topology.addStateStore(stringStore(JOIN_CLOCK_STORE), JOIN);
        topology.addStateStore(stringStore(TRACKER_STORE), INFER);
        // Holds the stream's last inferred masks record (fitted to the masks topic): its changelog takes what that takes.
        topology.addStateStore(stringStore(LAST_MASKS_STORE,
                Map.of("max.message.bytes", Integer.toString(contract.masks().maxMessageBytes()))), INFER);
        topology.addStateStore(stringStore(EVENTS_STORE), EVENTS);

        topology.addSink(MASKS_SINK, contract.masks().name(), Serdes.String().serializer(),
                contract.masks().valueSerde().serializer(), INFER);
        topology.addSink(EVENTS_SINK, contract.events().name(), Serdes.String().serializer(),
                contract.events().valueSerde().serializer(), EVENTS);
        topology.addSink(DLQ_SINK, contract.dlq().name(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(), FRAMES_DECODE, AUDIO_DECODE, JOIN);
        return topology;
    }

    /**
     * Changelog settings of the join buffers (raw frames and audio): compacted for restore, and also deleted by age,
     * in segments short enough that retention and compaction act within about {@code retention}; tombstones of
     * emitted frames are kept no longer than a tenth of it.
     */
    static Map<String, String> bufferChangelog(Duration retention) {
        long ms = retention.toMillis();
        return Map.of("cleanup.policy", "compact,delete", "retention.ms", Long.toString(ms),
                "segment.ms", Long.toString(Math.max(60_000, ms / 2)), "delete.retention.ms", Long.toString(Math.max(1_000, ms / 10)),
                "min.compaction.lag.ms", "0");
    }

    private static StoreBuilder<?> bytesStore(String name, Map<String, String> changelogConfig) {
        KeyValueBytesStoreSupplier supplier = Stores.persistentKeyValueStore(name);
        return Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingEnabled(changelogConfig);
    }

    private static StoreBuilder<?> stringStore(String name) {
        return stringStore(name, Map.of());
    }

    private static StoreBuilder<?> stringStore(String name, Map<String, String> changelogConfig) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                .withLoggingEnabled(changelogConfig);
    }

}
