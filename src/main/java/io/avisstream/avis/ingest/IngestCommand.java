package io.avisstream.avis.ingest;

import io.avisstream.avis.AvisCommand;
import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.FrameMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code ingest --input FILE|URL --stream ID [options]}: decodes a file, a network stream or a capture device with
 * FFmpeg and produces its frames and 16 kHz mono audio to the frames and audio topics. A producer only: it never
 * starts Kafka Streams and never joins a consumer group, so it can run next to {@code serve} (or many instances of
 * it) on any cluster. Live sources are reconnected with backoff when they drop, on one monotonic clock; a run on a
 * stream that already has frames continues after its last seq and pts. Options and exit codes:
 * {@link IngestOptions#USAGE}.
 */
@ApplicationScoped
public class IngestCommand implements AvisCommand {

    public static final int EXIT_OK = 0;
    public static final int EXIT_USAGE = 64;
    public static final int EXIT_FRAME_TOO_LARGE = 65;
    public static final int EXIT_BAD_INPUT = 66;
    public static final int EXIT_UNAVAILABLE = 69;
    public static final int EXIT_SOURCE_LOST = 74;
    static final int CHUNK_SAMPLES = PcmChunker.samplesFor(100);
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(IngestCommand.class);

    @Inject
    IngestTransport transport;

    /** Status, progress and error lines; a field so tests can capture them. */
    PrintStream console = System.err;

    /** What the last run did (tests). */
    volatile Summary lastSummary;

    volatile StopSignal stop;

    /** Where status, progress and error lines go (stderr unless a test captures them). */
    public void printTo(PrintStream console) {
        this.console = console;
    }

    /** What the last completed run sent, or null. */
    public Summary lastSummary() {
        return lastSummary;
    }

    /** What a run did, printed as its last line. */
    public record Summary(long frames, long audioChunks, long corruptPackets, long reconnects, long refusedTimestamps,
            long firstSeq, long lastPtsMicros, String encodings, boolean audio) {
    }

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public String description() {
        return "read a file, network stream (rtsp/http/udp/srt...) or /dev/videoN into the frames and audio topics";
    }

    @Override
    public String usage() {
        return IngestOptions.USAGE;
    }

    @Override
    public int run(String... args) {
        IngestOptions options = IngestOptions.parse(args);
        if (!options.source().readableFile()) {
            console.println("ingest: --input " + options.source() + " is not a readable file");
            return EXIT_BAD_INPUT;
        }
        lastSummary = null;
        try (StopSignal signal = StopSignal.install()) {
            stop = signal;
            return new Run(options, signal).execute();
        } finally {
            stop = null;
        }
    }

    /** One ingest run: the reader (replaced on reconnect), the sink, the clock and the counters. */
    private final class Run {
        private final IngestOptions options;
        private final StopSignal signal;
        private MediaReader reader;
        private long frames;
        private long chunks;
        private long corruptBefore;
        private long reconnects;
        private boolean rgbSent;
        private boolean jpegSent;
        private long firstSeq;
        private long lastMediaNanos = System.nanoTime();
        private boolean reconnecting;

        Run(IngestOptions options, StopSignal signal) {
            this.options = options;
            this.signal = signal;
        }

        int execute() {
            try {
                reader = open();
            } catch (MediaException e) {
                console.println("ingest: " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
            try {
                IngestTransport.Sink sink;
                try {
                    sink = transport.open(options.bootstrap(), options.streamId());
                } catch (IllegalStateException e) {
                    console.println("ingest: " + e.getMessage());
                    return EXIT_UNAVAILABLE;
                }
                try (sink) {
                    return pump(sink);
                }
            } finally {
                if (reader != null) {
                    reader.close();
                }
            }
        }

        /**
         * Opens the source: the first time with at least {@link #OPEN_TIMEOUT} (a source that is just starting),
         * a reconnect attempt with the stall timeout (the backoff loop tries again).
         */
        private MediaReader open() {
            boolean retry = reconnecting;
            Duration openTimeout = retry ? options.stallTimeout()
                    : OPEN_TIMEOUT.compareTo(options.stallTimeout()) > 0 ? OPEN_TIMEOUT : options.stallTimeout();
            MediaReader.ReadControl control = new MediaReader.ReadControl(openTimeout,
                    options.source().reconnectable() ? options.stallTimeout() : Duration.ZERO, options.rtspTransport(),
                    signal::requested);
            return MediaReader.open(options.source(), CHUNK_SAMPLES, control);
        }

        private boolean live() {
            return options.source().reconnectable() && !reader.info().hasDuration();
        }

        private int pump(IngestTransport.Sink sink) {
            MediaInfo info = reader.info();
            boolean live = live();
            boolean audio = info.hasAudio() && !options.noAudio();
            if (!info.hasAudio()) {
                LOG.warnf("ingest: %s has no audio track: frames are sent without audio, so every masks record of"
                        + " stream %s will say audio=missing", options.source(), options.streamId());
            }
            Optional<IngestTransport.LastFrame> last = sink.lastFrame();
            long seq = last.map(l -> l.seq() + 1).orElse(0L);
            firstSeq = seq;
            long frameInterval = info.frameRate() > 0 ? Math.round(1_000_000 / info.frameRate()) : 40_000;
            PtsTimeline clock = new PtsTimeline(last.map(l -> l.ptsMicros() + 1_000_000).orElse(0L), frameInterval);
            last.ifPresent(l -> LOG.infof("ingest: stream %s already has frames up to seq=%d pts=%d us on %s:"
                    + " continuing at seq=%d", options.streamId(), l.seq(), l.ptsMicros(), sink.describe(), firstSeq));
            FrameSampler sampler = new FrameSampler(options.fps());
            FrameEncoder encoder = new FrameEncoder(options.encoding(), sink.frameRecordLimit(), options.jpegQuality());
            long totalMicros = options.duration().map(d -> d.toNanos() / 1000)
                    .orElse(live || options.loop() ? 0 : Math.max(0, info.durationMicros()));
            IngestProgress progress = new IngestProgress(console, System.console() != null,
                    options.streamId() + " <- " + options.source(), live, totalMicros);
            LOG.infof("ingest start stream=%s input=%s %dx%d fps=%.3f audio=%s live=%s encoding=%s bootstrap=%s",
                    options.streamId(), options.source(), info.width(), info.height(), info.frameRate(),
                    audio ? info.audioCodec() + " as " + options.audioEncoding().wire() : "none", live,
                    options.encoding().wire(), sink.describe());

            long firstPts = Long.MIN_VALUE;
            long lastPts = 0;
            long playStart = System.nanoTime();
            int exit = EXIT_OK;
            try {
                while (!signal.requested()) {
                    Optional<MediaSample> next;
                    try {
                        next = reader.next();
                    } catch (MediaException e) {
                        if (signal.requested()) {
                            break;
                        }
                        if (!live) {
                            console.println("ingest: " + e.getMessage());
                            exit = EXIT_BAD_INPUT;
                            break;
                        }
                        if (!reconnect(e.getMessage(), clock)) {
                            exit = signal.requested() ? EXIT_OK : EXIT_SOURCE_LOST;
                            break;
                        }
                        continue;
                    }
                    if (next.isEmpty()) {
                        if (options.loop()) {
                            corruptBefore += reader.corruptPackets();
                            reader.close();
                            reader = open();
                            clock.newSegment(0);
                            continue;
                        }
                        if (!live) {
                            break;
                        }
                        if (!reconnect("the stream ended", clock)) {
                            exit = signal.requested() ? EXIT_OK : EXIT_SOURCE_LOST;
                            break;
                        }
                        continue;
                    }
                    lastMediaNanos = System.nanoTime();
                    MediaSample sample = next.get();
                    if (sample instanceof DecodedFrame frame) {
                        long pts = clock.frame(frame.ptsMicros());
                        if (pts < 0) {
                            continue;
                        }
                        if (firstPts == Long.MIN_VALUE) {
                            firstPts = pts;
                        }
                        if (options.duration().isPresent()
                                && pts - firstPts >= options.duration().get().toNanos() / 1000) {
                            break;
                        }
                        if (!sampler.keep(pts)) {
                            continue;
                        }
                        if (options.realtime() && !live) {
                            pace(playStart, pts - firstPts);
                        }
                        FrameMessage message = encoder.encode(options.streamId(), seq++, pts, frame);
                        rgbSent |= message.encoding() == io.avisstream.avis.message.FrameEncoding.RGB24;
                        jpegSent |= message.encoding() == io.avisstream.avis.message.FrameEncoding.JPEG;
                        sink.send(message);
                        frames++;
                        lastPts = pts;
                    } else if (sample instanceof PcmChunk chunk && audio) {
                        long start = clock.audio(chunk.startMicros(), PcmChunk.durationMicros(chunk.samples().length));
                        if (start >= 0) {
                            sink.send(AudioChunkMessage.of(options.streamId(), start, chunk.samples(),
                                    options.audioEncoding()));
                            chunks++;
                        }
                    }
                    progress.update(frames, firstPts == Long.MIN_VALUE ? 0 : lastPts - firstPts, reconnects,
                            corrupt(), audio);
                }
                sink.flush();
            } catch (FrameEncoder.FrameTooLargeException e) {
                progress.finish();
                sink.flush();
                console.println("ingest: " + e.getMessage());
                return EXIT_FRAME_TOO_LARGE;
            } catch (MediaException e) {
                progress.finish();
                sink.flush();
                console.println("ingest: " + e.getMessage());
                return EXIT_BAD_INPUT;
            } catch (IllegalStateException e) {
                progress.finish();
                console.println("ingest: " + e.getMessage());
                return EXIT_UNAVAILABLE;
            }
            progress.finish();
            Summary summary = new Summary(frames, chunks, corrupt(), reconnects, clock.refused(), firstSeq, lastPts,
                    encodings(), audio);
            lastSummary = summary;
            console.println(String.format(Locale.ROOT,
                    "ingest: stream=%s frames=%d (seq %d..%d) audio_chunks=%d encoding=%s corrupt_packets=%d"
                            + " reconnects=%d%s%s%s",
                    options.streamId(), frames, firstSeq, firstSeq + frames - 1, chunks, summary.encodings(), corrupt(),
                    reconnects, clock.discontinuities() > 0 ? " source_clock_jumps=" + clock.discontinuities() : "",
                    clock.refused() > 0 ? " backward_timestamps_dropped=" + clock.refused() : "",
                    signal.requested() ? " (stopped)" : exit == EXIT_SOURCE_LOST ? " (source lost)" : ""));
            return exit;
        }

        private long corrupt() {
            return corruptBefore + (reader == null ? 0 : reader.corruptPackets());
        }

        private String encodings() {
            return rgbSent && jpegSent ? "rgb24+jpeg" : jpegSent ? "jpeg" : rgbSent ? "rgb24" : "-";
        }

        /** Reopens a lost live source with backoff; false when stopped or given up (--reconnect-timeout). */
        private boolean reconnect(String reason, PtsTimeline clock) {
            corruptBefore += reader.corruptPackets();
            reader.close();
            reader = null;
            long lostAt = System.nanoTime();
            console.println("ingest: " + options.source() + " lost (" + reason + "); reconnecting");
            Duration backoff = Duration.ofMillis(500);
            while (!signal.requested()) {
                if (!options.reconnectTimeout().isZero()
                        && System.nanoTime() - lostAt > options.reconnectTimeout().toNanos()) {
                    console.println("ingest: " + options.source() + " did not come back within "
                            + options.reconnectTimeout().toMillis() / 1000.0 + " s (--reconnect-timeout); giving up");
                    return false;
                }
                sleep(backoff.toMillis());
                try {
                    reconnecting = true;
                    reader = open();
                    clock.newSegment((System.nanoTime() - lastMediaNanos) / 1000);
                    reconnects++;
                    console.println("ingest: " + options.source() + " reconnected after "
                            + (System.nanoTime() - lostAt) / 1_000_000 + " ms");
                    return true;
                } catch (MediaException e) {
                    LOG.debugf("ingest: reconnect failed: %s", e.getMessage());
                } finally {
                    reconnecting = false;
                }
                if (reader == null) {
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            }
            return false;
        }

        private void pace(long playStartNanos, long streamMicros) {
            long due = playStartNanos + streamMicros * 1000;
            for (long wait = due - System.nanoTime(); wait > 0 && !signal.requested(); wait = due - System.nanoTime()) {
                sleep(Math.max(1, Math.min(wait / 1_000_000, 50)));
            }
        }

        /** Sleeps in short steps so a stop request is honoured at once. */
        private void sleep(long millis) {
            long until = System.nanoTime() + millis * 1_000_000;
            try {
                while (!signal.requested() && System.nanoTime() < until) {
                    Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                signal.request();
            }
        }
    }
}
