package io.avisstream.avis.score;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import io.avisstream.avis.engine.Engine;
import io.avisstream.avis.engine.FrameResizer;
import io.avisstream.avis.ingest.DecodedFrame;
import io.avisstream.avis.ingest.MediaReader;
import io.avisstream.avis.ingest.MediaSample;
import io.avisstream.avis.ingest.PcmChunk;
import io.avisstream.avis.ingest.PcmChunker;
import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.AudioFormat;
import io.avisstream.avis.message.FrameEncoding;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.topology.AvisTopology;
import io.avisstream.avis.topology.ListeningClock;
import io.avisstream.avis.topology.TopologySettings;
import io.avisstream.avis.topology.contract.TopicContract;

/**
 * Live mode through the service path: the real topology ({@link AvisTopology#build}, the service's defaults:
 * 1 fps sampling, join, inference + tracker, events) in one {@link TopologyTestDriver} with the real engine, each
 * video a stream of its own (stream id = video name), fed with its frames and 16 kHz audio as the service's ingest
 * decodes them ({@link MediaReader}). Frames go in at 1 fps (the one nearest each whole second, pts as decoded, seq
 * 0, 1, ...) at the benchmark's resolution (resized like PIL), so the masks records are on the GT's frames and size.
 * Audio goes in 1 s chunks: the join assembles the same windows from any chunking, and the driver commits (flushes
 * every store) after each record.
 */
final class LiveTopology implements AutoCloseable {
    private static final TopicContract CONTRACT = TopicContract.bundled();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** Half of a 25 fps frame period: a frame this close to a whole second is that second's frame. */
    private static final long SLACK_MICROS = 20_000;
    static final int CHUNK_MILLIS = 1000;

    private final TopologySettings settings;
    private final Engine used;
    private final int lookahead;
    private final Path stateDir;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, FrameMessage> frames;
    private final TestInputTopic<String, AudioChunkMessage> audio;
    private final TestOutputTopic<String, MasksMessage> masks;

    /** {@code lookahead} > 0 wraps the engine in {@link LookaheadEngine}; the service's default settings otherwise. */
    LiveTopology(Engine engine, int lookahead, TopologySettings settings) {
        this.settings = settings;
        this.lookahead = lookahead;
        this.used = lookahead > 0 ? new LookaheadEngine(engine, lookahead) : engine;
        try {
            Path shm = Path.of("/dev/shm");
            // the driver fsyncs store checkpoints on every commit: a RAM folder when there is one
            stateDir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "avis-predict-")
                    : Files.createTempDirectory("avis-predict-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "avis-predict");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(AvisTopology.build(used, settings, CONTRACT), props, T0);
        frames = driver.createInputTopic(CONTRACT.frames().name(), Serdes.String().serializer(),
                CONTRACT.frames().valueSerde().serializer(), T0, Duration.ofMillis(1));
        audio = driver.createInputTopic(CONTRACT.audio().name(), Serdes.String().serializer(),
                CONTRACT.audio().valueSerde().serializer(), T0, Duration.ofMillis(1));
        masks = driver.createOutputTopic(CONTRACT.masks().name(), Serdes.String().deserializer(),
                CONTRACT.masks().valueSerde().deserializer());
    }

    /** One video as the stream {@code streamId}: its masks records, in output order. */
    List<MasksMessage> run(String streamId, Path mp4, int width, int height) {
        try (MediaReader reader = MediaReader.open(mp4, PcmChunker.samplesFor(CHUNK_MILLIS))) {
            long seq = 0;
            FrameMessage last = null;
            for (Optional<MediaSample> next = reader.next(); next.isPresent(); next = reader.next()) {
                if (next.get() instanceof DecodedFrame frame) {
                    if (frame.ptsMicros() + SLACK_MICROS < seq * 1_000_000L) {
                        continue;
                    }
                    var image = frame.frame();
                    byte[] rgb = image.width() == width && image.height() == height ? image.rgb()
                            : FrameResizer.resizeRgb(image.rgb(), image.width(), image.height(), width, height);
                    last = new FrameMessage(streamId, seq, frame.ptsMicros(), width, height, FrameEncoding.RGB24, rgb);
                    frames.pipeInput(streamId, last);
                    seq++;
                } else if (next.get() instanceof PcmChunk chunk) {
                    audio.pipeInput(streamId, AudioChunkMessage.of(streamId, chunk.startMicros(), chunk.samples(),
                            AudioFormat.PRODUCER_ENCODING));
                }
            }
            // the end of a finite stream: the join flushes what waits for audio after avis.join.idle-flush
            ListeningClock.letTimePass(driver, settings, settings.idleFlush().plusSeconds(1));
            if (used instanceof LookaheadEngine ahead && last != null) {
                ahead.drain(streamId, frames, driver, settings, last);
            }
            List<MasksMessage> out = masks.readValuesToList().stream().filter(m -> m.streamId().equals(streamId))
                    .toList();
            return LookaheadEngine.realign(out, lookahead);
        }
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // a temp folder; nothing depends on it
            }
        }
    }
}
