package io.avisstream.avis.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.streams.KafkaStreams;
import org.jboss.logging.Logger;

import io.avisstream.avis.engine.Engine;
import io.avisstream.avis.message.AudioCoverage;
import io.avisstream.avis.message.DlqReason;
import io.avisstream.avis.message.EventMessage;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.topology.PipelineObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;

/**
 * The pipeline's metrics on the Micrometer registry that Quarkus serves at {@code /q/metrics} (Prometheus text):
 * what the processors report through {@link PipelineObserver}, the engine's stage timings ({@link MeteredEngine}),
 * and every Kafka Streams, consumer, producer and admin client metric ({@link KafkaStreamsMetrics}, consumer lag
 * included). Names are listed in the README ("Metrics").
 */
@ApplicationScoped
public class PipelineMetrics implements PipelineObserver {
    private static final Logger LOG = Logger.getLogger(PipelineMetrics.class);
    /** How often the Kafka binder looks for client metrics that appeared since (clients start after binding). */
    static final Duration KAFKA_REFRESH = Duration.ofSeconds(5);

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> liveTracks = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> sounding = new ConcurrentHashMap<>();
    private KafkaStreamsMetrics kafkaMetrics;
    private ScheduledExecutorService kafkaRefresh;

    @Inject
    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void frameIn(String stream) {
        registry.counter("avis.frames.in", "stream", stream).increment();
    }

    @Override
    public void joined(String stream, AudioCoverage coverage, long waitMillis) {
        registry.counter("avis.audio.coverage", "stream", stream, "coverage", coverage.name().toLowerCase(Locale.ROOT))
                .increment();
        Timer.builder("avis.join.wait").description("frame record timestamp to its join output (wall clock)")
                .tags("stream", stream).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1)).register(registry)
                .record(Math.max(0, waitMillis), TimeUnit.MILLISECONDS);
    }

    @Override
    public void masksOut(FrameMessage frame, MasksMessage masks, int tracks) {
        String stream = masks.streamId();
        registry.counter("avis.masks.out", "stream", stream).increment();
        if (masks.inferred()) {
            registry.counter("avis.frames.inferred", "stream", stream).increment();
            gauge("avis.tracks.live", liveTracks, stream).set(Math.max(0, tracks));
            int n = 0;
            for (InstanceMessage i : masks.instances()) {
                n += i.sounding() ? 1 : 0;
            }
            gauge("avis.sounding.instances", sounding, stream).set(n);
        }
    }

    @Override
    public void event(EventMessage event) {
        registry.counter("avis.events", "stream", event.streamId(), "type", event.type().name().toLowerCase(Locale.ROOT))
                .increment();
    }

    @Override
    public void deadLetter(DlqReason reason, String stage) {
        registry.counter("avis.dead.letters", "reason", reason.name(), "stage", stage).increment();
    }

    @Override
    public Engine engine(Engine engine) {
        return new MeteredEngine(engine, stage("encode"), stage("decode"), stage("post"), stage("fresh"),
                DistributionSummary.builder("avis.engine.batch.size").description("frames per frame-graph call")
                        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry));
    }

    private Timer stage(String stage) {
        return Timer.builder("avis.engine.latency").description("engine time per call and stage").tags("stage", stage)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    @Override
    public synchronized void streamsCreated(KafkaStreams streams) {
        closeKafkaMetrics();
        kafkaRefresh = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "avis-kafka-metrics");
            t.setDaemon(true);
            return t;
        });
        kafkaMetrics = new KafkaStreamsMetrics(streams, Tags.empty(), kafkaRefresh, KAFKA_REFRESH);
        kafkaMetrics.bindTo(registry);
        LOG.debug("Kafka Streams metrics bound");
    }

    @Override
    public synchronized void streamsClosing(KafkaStreams streams) {
        closeKafkaMetrics();
    }

    private void closeKafkaMetrics() {
        if (kafkaMetrics != null) {
            kafkaMetrics.close();
            kafkaMetrics = null;
        }
        if (kafkaRefresh != null) {
            kafkaRefresh.shutdownNow();
            kafkaRefresh = null;
        }
    }

    private AtomicInteger gauge(String name, Map<String, AtomicInteger> values, String stream) {
        return values.computeIfAbsent(stream, s -> registry.gauge(name, Tags.of("stream", s), new AtomicInteger()));
    }
}
