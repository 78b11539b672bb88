package io.avisstream.avis.ingest;

import java.time.Duration;
import java.util.Optional;

import io.avisstream.avis.message.AudioFormat;

/**
 * Command-line options of {@code ingest}.
 *
 * @param source what to read
 * @param streamId the stream id (Kafka key)
 * @param realtime pace a file at its own timestamps (live sources are paced by the source)
 * @param fps frames per second to send, 0 = every decoded frame
 * @param encoding {@code auto} (rgb24 when it fits the frames topic, JPEG otherwise), {@code jpeg} or {@code rgb24}
 * @param loop start a file again at its end, the clock running on
 * @param duration stop after this much stream time, if set
 * @param bootstrap Kafka bootstrap servers, if given (else {@code kafka.bootstrap.servers})
 * @param noAudio send no audio even when the source has some
 * @param jpegQuality 1..100
 * @param stallTimeout a live source silent this long counts as lost (and is reconnected)
 * @param reconnectTimeout give up when a lost live source stays away this long; zero = never
 * @param rtspTransport {@code tcp} or {@code udp} for RTSP
 * @param audioEncoding how audio records carry the 16 kHz samples: f32le (default, the resampler's signal) or s16le
 *        (for a service that predates f32le)
 */
public record IngestOptions(MediaSource source, String streamId, boolean realtime, double fps,
        FrameEncoder.Mode encoding, boolean loop, Optional<Duration> duration, Optional<String> bootstrap,
        boolean noAudio, int jpegQuality, Duration stallTimeout, Duration reconnectTimeout, String rtspTransport,
        AudioFormat.Encoding audioEncoding) {

    public static final String USAGE = """
            usage: ingest --input FILE|URL|DEVICE --stream ID [options]
              --input X            file, URL (rtsp://, rtsps://, http(s)://, udp://, rtp://, srt://, ...) or /dev/videoN
              --stream ID          stream id (the Kafka key of every record)
              --bootstrap H:P      Kafka cluster (default: kafka.bootstrap.servers)
              --realtime           send a file at its own pace (live sources always are)
              --fps N              send N frames per second of stream time (default: every frame)
              --encoding E         auto (default: rgb24 when it fits the frames topic, else JPEG), jpeg or rgb24
              --jpeg-quality Q     JPEG quality 1..100 (default 90)
              --loop               play a file again at its end (the clock runs on)
              --duration D         stop after D of stream time (e.g. 30s, 5m)
              --no-audio           send frames only
              --audio-encoding E   f32le (default: the 16 kHz signal as resampled) or s16le (rounded to 16 bits,
                                   for a service that predates f32le)
              --stall-timeout D    a live source silent this long is reconnected (default 10s)
              --reconnect-timeout D  give up when it stays away this long (default 0: never)
              --rtsp-transport T   tcp (default) or udp
            exit codes: 0 done (end of file, --duration, Ctrl-C), 64 usage, 65 frame too large for the frames topic,
              66 input cannot be opened or read, 69 Kafka cluster or topics unavailable, 74 live source lost for good""";

    public IngestOptions {
        if (streamId == null || streamId.isBlank()) {
            throw new IllegalArgumentException("--stream ID is required");
        }
        if (fps < 0) {
            throw new IllegalArgumentException("--fps must be >= 0");
        }
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("--jpeg-quality must be 1..100");
        }
        if (!rtspTransport.equals("tcp") && !rtspTransport.equals("udp")) {
            throw new IllegalArgumentException("--rtsp-transport must be tcp or udp");
        }
        if (stallTimeout.isZero() || stallTimeout.isNegative()) {
            throw new IllegalArgumentException("--stall-timeout must be positive");
        }
    }

    /** Parses the arguments; a usage error is an {@link IllegalArgumentException} with a one-line reason. */
    public static IngestOptions parse(String... args) {
        MediaSource source = null;
        String stream = null;
        boolean realtime = false;
        double fps = 0;
        FrameEncoder.Mode encoding = FrameEncoder.Mode.AUTO;
        boolean loop = false;
        Optional<Duration> duration = Optional.empty();
        Optional<String> bootstrap = Optional.empty();
        boolean noAudio = false;
        int quality = 90;
        Duration stall = Duration.ofSeconds(10);
        Duration reconnect = Duration.ZERO;
        String rtsp = "tcp";
        AudioFormat.Encoding audioEncoding = AudioFormat.PRODUCER_ENCODING;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--input" -> source = MediaSource.parse(value(args, ++i, arg));
                case "--stream" -> stream = value(args, ++i, arg);
                case "--bootstrap" -> bootstrap = Optional.of(value(args, ++i, arg));
                case "--realtime" -> realtime = true;
                case "--fps" -> fps = number(arg, value(args, ++i, arg));
                case "--encoding" -> encoding = FrameEncoder.Mode.parse(value(args, ++i, arg));
                case "--jpeg-quality" -> quality = (int) number(arg, value(args, ++i, arg));
                case "--loop" -> loop = true;
                case "--duration" -> duration = Optional.of(CliDurations.parse(arg, value(args, ++i, arg)));
                case "--no-audio" -> noAudio = true;
                case "--stall-timeout" -> stall = CliDurations.parse(arg, value(args, ++i, arg));
                case "--reconnect-timeout" -> reconnect = CliDurations.parse(arg, value(args, ++i, arg));
                case "--rtsp-transport" -> rtsp = value(args, ++i, arg);
                case "--audio-encoding" -> audioEncoding = AudioFormat.Encoding.ofWire(value(args, ++i, arg), arg);
                default -> throw new IllegalArgumentException("unknown option " + arg + " (ingest --help lists them)");
            }
        }
        if (source == null) {
            throw new IllegalArgumentException("--input is required (a file, URL or device)");
        }
        if (loop && source.reconnectable()) {
            throw new IllegalArgumentException("--loop is for files; a live source is reconnected when it drops");
        }
        return new IngestOptions(source, stream, realtime, fps, encoding, loop, duration, bootstrap, noAudio, quality,
                stall, reconnect, rtsp, audioEncoding);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static double number(String flag, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + text + "'");
        }
    }
}
