package io.avisstream.avis.demo;

import io.avisstream.avis.ingest.FrameEncoder;
import io.avisstream.avis.ingest.MediaSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Command-line options of {@code demo}. Defaults come from {@link DemoConfig}; flags override them.
 *
 * @param input the clip to play, or empty for the bundled {@code demo/avis-demo.mp4}
 * @param streamId the stream id (Kafka key) to produce under
 * @param realtime pace frames and audio at their timestamps instead of as fast as possible
 * @param encoding frame encoding: {@code auto} (rgb24 when it fits the frames topic, JPEG otherwise), jpeg, rgb24
 * @param outDir where masks.jsonl, events.jsonl and annotated.mp4 go
 * @param timeout how long to wait for every frame's masks record after the clip was sent
 */
public record DemoOptions(Optional<Path> input, String streamId, boolean realtime, FrameEncoder.Mode encoding, Path outDir,
        Duration timeout) {

    static final String USAGE = """
            usage: demo [--input FILE.mp4] [--stream ID] [--realtime] [--encoding E] [--out DIR] [--timeout SECONDS]
              --input FILE   clip to play (any file FFmpeg reads, with or without audio); default: the bundled demo clip
              --stream ID    stream id / Kafka key (default from avis.demo.stream-id)
              --realtime     send at the clip's own pace instead of as fast as possible
              --encoding E   auto (default: rgb24 when it fits the frames topic, else JPEG), jpeg or rgb24
              --jpeg         same as --encoding jpeg
              --out DIR      output folder (default from avis.demo.out-dir)
              --timeout S    seconds to wait for all masks after sending (default from avis.demo.timeout)
              --schedule F   the clip's schedule (acvis.data.avbench): print how the sounding flags agree with it
                             (the bundled clip's own schedule is used without it)
            exit codes: 0 every frame got its masks record, 3 timed out, 64 usage, 65 frame too large for the frames
              topic, 66 unreadable input, 69 Kafka cluster or topics unavailable""";

    public DemoOptions {
        if (streamId == null || streamId.isBlank()) {
            throw new IllegalArgumentException("--stream needs a non-empty id");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive");
        }
    }

    /** Parses {@code args} over the configured defaults; throws {@link IllegalArgumentException} with a reason. */
    public static DemoOptions parse(DemoConfig defaults, String... args) {
        Optional<Path> input = Optional.empty();
        String stream = defaults.streamId();
        boolean realtime = defaults.realtime();
        FrameEncoder.Mode encoding = FrameEncoder.Mode.AUTO;
        Path out = defaults.outDir();
        Duration timeout = defaults.timeout();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--input" -> input = Optional.of(file(value(args, ++i, arg)));
                case "--stream" -> stream = value(args, ++i, arg);
                case "--realtime" -> realtime = true;
                case "--fast" -> realtime = false;
                case "--jpeg" -> encoding = FrameEncoder.Mode.JPEG;
                case "--encoding" -> encoding = FrameEncoder.Mode.parse(value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--timeout" -> timeout = seconds(value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new DemoOptions(input, stream, realtime, encoding, out, timeout);
    }

    /** The demo re-reads its input to render the annotated video, so it plays files; live sources go to ingest. */
    private static Path file(String input) {
        MediaSource source = MediaSource.parse(input);
        if (source.kind() != MediaSource.Kind.FILE) {
            throw new IllegalArgumentException("--input " + source + " is not a file: demo plays files; for a live"
                    + " source run serve, then ingest --input " + source + " and consume --topic masks");
        }
        return Path.of(source.location());
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static Duration seconds(String text) {
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(text.toLowerCase(Locale.ROOT).replace("s", ""))
                    * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--timeout needs seconds, got " + text);
        }
    }
}
