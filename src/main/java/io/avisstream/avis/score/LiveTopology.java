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
import io.avisstream.avis.message.FrameEncoding;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.topology.AvisTopology;
import io.avisstream.avis.topology.TopologySettings;
import io.avisstream.avis.topology.contract.TopicContract;

/**
 * Live mode through the service path: the real topology ({@link AvisTopology#build}, the service's defaults:
 * 1 fps sampling, join, inference + tracker, events) in a {@link TopologyTestDriver} with the real engine, fed with
 * a video's frames and 16 kHz audio as the service's ingest decodes them ({@link MediaReader}, 100 ms chunks, the
 * demo's default). Frames go in at 1 fps (the one nearest each whole second, pts and seq as decoded) at the
 * benchmark's resolution (resized like PIL), so the masks records are on the GT's frames and size.
 */
final class LiveTopology {
    private static final TopicContract CONTRACT = TopicContract.bundled();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** Half of a 25 fps frame period: a frame this close to a whole second is that second's frame. */
    private static final long SLACK_MICROS = 20_000;

    private LiveTopology() {
    }

    /** The stream's masks records, in output order. {@code lookahead} > 0 wraps the engine in {@link LookaheadEngine}. */
    static List<MasksMessage> run(Engine engine, String streamId, Path mp4, int width, int height, int lookahead,
            Path stateRoot) {
        TopologySettings settings = TopologySettings.defaults();
        Path stateDir;
        try {
            Files.createDirectories(stateRoot);
            stateDir = Files.createTempDirectory(stateRoot, "tt-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "avis-predict");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        Engine used = lookahead > 0 ? new LookaheadEngine(engine, lookahead) : engine;
        try (TopologyTestDriver driver = new TopologyTestDriver(AvisTopology.build(used, settings, CONTRACT), props, T0);
                MediaReader reader = MediaReader.open(mp4, PcmChunker.samplesFor(100))) {
            TestInputTopic<String, FrameMessage> frames = driver.createInputTopic(CONTRACT.frames().name(),
                    Serdes.String().serializer(), CONTRACT.frames().valueSerde().serializer(), T0, Duration.ofMillis(1));
            TestInputTopic<String, AudioChunkMessage> audio = driver.createInputTopic(CONTRACT.audio().name(),
                    Serdes.String().serializer(), CONTRACT.audio().valueSerde().serializer(), T0, Duration.ofMillis(1));
            TestOutputTopic<String, MasksMessage> masks = driver.createOutputTopic(CONTRACT.masks().name(),
                    Serdes.String().deserializer(), CONTRACT.masks().valueSerde().deserializer());
            long seq = 0;
            FrameMessage last = null;
            for (Optional<MediaSample> next = reader.next(); next.isPresent(); next = reader.next()) {
                if (next.get() instanceof DecodedFrame frame) {
                    long second = seq * 1_000_000L;
                    if (frame.ptsMicros() + SLACK_MICROS < second) {
                        continue;
                    }
                    var image = frame.frame();
                    byte[] rgb = image.width() == width && image.height() == height ? image.rgb()
                            : FrameResizer.resizeRgb(image.rgb(), image.width(), image.height(), width, height);
                    last = new FrameMessage(streamId, seq, frame.ptsMicros(), width, height, FrameEncoding.RGB24, rgb);
                    frames.pipeInput(streamId, last);
                    seq++;
                } else if (next.get() instanceof PcmChunk chunk) {
                    audio.pipeInput(streamId, AudioChunkMessage.of(streamId, chunk.startMicros(), chunk.samples()));
                }
            }
            // the end of a finite stream: the join flushes what waits for audio after avis.join.idle-flush
            driver.advanceWallClockTime(settings.idleFlush().plusSeconds(1));
            if (used instanceof LookaheadEngine ahead && last != null) {
                ahead.drain(streamId, frames, driver, settings, last);
            }
            return LookaheadEngine.realign(masks.readValuesToList(), lookahead);
        } finally {
            deleteQuietly(stateDir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp folder under the output; nothing depends on it
        }
    }
}
