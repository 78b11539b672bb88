package io.avisstream.avis.demo;

import io.avisstream.avis.AvisCommand;
import io.avisstream.avis.ingest.DecodedFrame;
import io.avisstream.avis.ingest.FrameEncoder;
import io.avisstream.avis.ingest.MediaException;
import io.avisstream.avis.ingest.MediaInfo;
import io.avisstream.avis.ingest.MediaReader;
import io.avisstream.avis.ingest.MediaSample;
import io.avisstream.avis.ingest.PcmChunk;
import io.avisstream.avis.ingest.PcmChunker;
import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.AudioFormat;
import io.avisstream.avis.message.EventMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code demo}: plays a clip (the bundled one by default) through the running service in one process and shows
 * what came out. Sends every frame and audio chunk to the frames/audio topics, waits until every frame has its
 * masks record, then writes {@code masks.jsonl}, {@code events.jsonl} and an annotated {@code annotated.mp4}
 * (masks in track colours, labels, sounding objects highlighted, the audio muxed back) and prints a summary.
 *
 * <p>The broker and the topology are the service's own (the {@code serve} path): this command only produces and
 * consumes through {@link DemoTransport}. Exit code 0 when every frame got its masks record, 3 on timeout.
 */
@ApplicationScoped
public class DemoCommand implements AvisCommand {

    private static final Logger LOG = Logger.getLogger(DemoCommand.class);
    static final String BUNDLED_CLIP = "demo/avis-demo.mp4";
    static final int EXIT_TIMED_OUT = 3;
    static final int EXIT_USAGE = 64;
    static final int EXIT_FRAME_TOO_LARGE = 65;
    static final int EXIT_BAD_INPUT = 66;
    static final int EXIT_UNAVAILABLE = 69;

    @Inject
    DemoConfig config;

    @Inject
    DemoTransport transport;

    /** Where the summary goes; a field so tests can capture it. */
    PrintStream console = System.out;

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String description() {
        return "play the bundled clip (or --input FILE.mp4) through the service; writes masks, events, annotated mp4";
    }

    @Override
    public String usage() {
        return DemoOptions.USAGE;
    }

    @Override
    public int run(String... args) throws Exception {
        DemoOptions options;
        Optional<Path> schedule;
        try {
            validate(config);
            schedule = ScheduleAgreement.scheduleOption(args);
            options = DemoOptions.parse(config, ScheduleAgreement.withoutScheduleOption(args));
        } catch (IllegalArgumentException e) {
            console.println("demo: " + e.getMessage());
            console.println(DemoOptions.USAGE);
            return EXIT_USAGE;
        }
        Path input = options.input().orElse(null);
        if (input != null && !Files.isRegularFile(input)) {
            console.println("demo: --input " + input + " is not a readable file");
            return EXIT_BAD_INPUT;
        }
        Path extracted = null;
        if (input == null) {
            extracted = extractBundledClip();
            input = extracted;
        }
        try {
            DemoReport report = play(options, input, options.input().isEmpty());
            report.print(console);
            ScheduleAgreement.demoLine(schedule, options.input().isEmpty(), report.results().masks())
                    .ifPresent(console::println);
            return report.results().timedOut() ? EXIT_TIMED_OUT : 0;
        } catch (MediaException e) {
            console.println("demo: " + e.getMessage());
            return EXIT_BAD_INPUT;
        } catch (FrameEncoder.FrameTooLargeException e) {
            console.println("demo: " + e.getMessage());
            return EXIT_FRAME_TOO_LARGE;
        } catch (IllegalStateException e) {
            console.println("demo: " + e.getMessage());
            return EXIT_UNAVAILABLE;
        } finally {
            if (extracted != null) {
                Files.deleteIfExists(extracted);
            }
        }
    }

    DemoReport play(DemoOptions options, Path input, boolean bundled) throws IOException {
        long t0 = System.nanoTime();
        int chunkSamples = PcmChunker.samplesFor(config.audioChunk().toMillis());
        long frames = 0;
        long chunks = 0;
        Map<Long, Long> sentAtNanos = new HashMap<>();
        MediaInfo info;
        DemoTransport.Results results;
        String broker;
        long tSent;
        long tOpened;
        // The clip is opened first: a file FFmpeg cannot read fails before the pipeline is started.
        try (MediaReader reader = MediaReader.open(input, chunkSamples);
                DemoTransport.Session session = transport.open(options.streamId(), config.topicsTimeout())) {
            tOpened = System.nanoTime();
            info = reader.info();
            broker = session.describe();
            FrameEncoder encoder = new FrameEncoder(options.encoding(), session.frameRecordLimit(),
                    config.jpegQuality());
            LOG.infof("demo start stream=%s input=%s %dx%d fps=%.3f audio=%s realtime=%s encoding=%s",
                    options.streamId(), input, info.width(), info.height(), info.frameRate(), info.hasAudio(),
                    options.realtime(), options.encoding().wire());
            long playStart = System.nanoTime();
            for (Optional<MediaSample> next = reader.next(); next.isPresent(); next = reader.next()) {
                MediaSample sample = next.get();
                if (options.realtime()) {
                    pace(session, playStart, sample.ptsMicros());
                }
                if (sample instanceof DecodedFrame frame) {
                    session.send(encoder.encode(options.streamId(), frame.seq(), frame.ptsMicros(), frame));
                    sentAtNanos.put(frame.seq(), System.nanoTime());
                    frames++;
                } else if (sample instanceof PcmChunk chunk) {
                    session.send(AudioChunkMessage.of(options.streamId(), chunk.startMicros(), chunk.samples(),
                            AudioFormat.Encoding.ofWire(config.audioEncoding(), "avis.demo.audio-encoding")));
                    chunks++;
                }
            }
            session.flush();
            tSent = System.nanoTime();
            LOG.infof("demo sent stream=%s frames=%d audio_chunks=%d in %d ms; waiting for masks", options.streamId(),
                    frames, chunks, (tSent - tOpened) / 1_000_000);
            long expected = frames;
            results = session.await(frames, options.timeout(), config.settle(),
                    (done, total) -> LOG.infof("demo waiting stream=%s masks=%d/%d", options.streamId(), done, total));
            if (results.timedOut()) {
                LOG.warnf("demo timed out after %s: %d of %d frames have masks", options.timeout(),
                        results.masks().size(), expected);
            }
        }
        long tReceived = System.nanoTime();
        Files.createDirectories(options.outDir());
        Path masksFile = options.outDir().resolve("masks.jsonl");
        Path eventsFile = options.outDir().resolve("events.jsonl");
        writeJsonLines(masksFile, results.masks(), MessageCodec.MASKS);
        writeJsonLines(eventsFile, results.events(), MessageCodec.EVENTS);
        Map<Long, FrameOverlay> overlays = MasksOverlays.all(results.masks());
        AnnotatedVideoRenderer.Result rendered = new AnnotatedVideoRenderer().render(input,
                options.outDir().resolve("annotated.mp4"), seq -> Optional.ofNullable(overlays.get(seq)));
        long tDone = System.nanoTime();
        return new DemoReport(bundled ? "bundled " + BUNDLED_CLIP : input.toString(), info, broker, frames, chunks,
                results, Latency.of(sentAtNanos, results.receivedAtNanos(), results.masks()), masksFile, eventsFile,
                rendered, new DemoReport.Timings(tOpened - t0, tSent - tOpened,
                        tReceived - tSent, tDone - tReceived, tDone - t0));
    }

    /** Fails with the key's name, before anything starts, when a configured value cannot work. */
    static void validate(DemoConfig config) {
        long chunkMillis = config.audioChunk().toMillis();
        if (chunkMillis < 10 || chunkMillis > 10_000) {
            throw new IllegalArgumentException("avis.demo.audio-chunk must be 10ms..10s, got " + config.audioChunk());
        }
        AudioFormat.Encoding.ofWire(config.audioEncoding(), "avis.demo.audio-encoding");
        if (config.jpegQuality() < 1 || config.jpegQuality() > 100) {
            throw new IllegalArgumentException("avis.demo.jpeg-quality must be 1..100, got " + config.jpegQuality());
        }
        if (config.timeout().isNegative() || config.timeout().isZero()) {
            throw new IllegalArgumentException("avis.demo.timeout must be positive, got " + config.timeout());
        }
        if (config.settle().isNegative() || config.topicsTimeout().isNegative() || config.topicsTimeout().isZero()) {
            throw new IllegalArgumentException("avis.demo.settle must be >= 0 and avis.demo.topics-timeout > 0");
        }
    }

    /** Waits until the item is due, collecting results meanwhile so their arrival times are measured. */
    private static void pace(DemoTransport.Session session, long playStartNanos, long ptsMicros) {
        long due = playStartNanos + ptsMicros * 1000;
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            session.poll(java.time.Duration.ofNanos(Math.min(wait, 20_000_000L)));
        }
    }

    static <T> void writeJsonLines(Path file, List<T> messages, MessageCodec<T> codec) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (T message : messages) {
                out.write(codec.encode(message));
                out.write('\n');
            }
        }
    }

    /** FFmpeg reads files, not class-path streams: copy the bundled clip out for the run. */
    static Path extractBundledClip() throws IOException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : DemoCommand.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(BUNDLED_CLIP)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED_CLIP + " is missing from the class path");
            }
            Path file = Files.createTempFile("avis-demo-", ".mp4");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        }
    }

    /** Event counts by wire type, for the summary. */
    static Map<String, Long> countByType(List<EventMessage> events) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (EventMessage event : events) {
            counts.merge(event.type().wire(), 1L, Long::sum);
        }
        return counts;
    }
}
