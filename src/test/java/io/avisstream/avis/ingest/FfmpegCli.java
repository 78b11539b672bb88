package io.avisstream.avis.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The FFmpeg command-line tool (Debian's {@code ffmpeg}, installed by {@code .ci/run}) as a real media source for
 * tests: it writes clips from lavfi test sources and serves live MPEG-TS over UDP on 127.0.0.1.
 */
public final class FfmpegCli {

    private FfmpegCli() {
    }

    /** Runs ffmpeg to completion (bounded); fails the test when it fails. */
    public static void run(String... args) {
        Process p = start(args);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("ffmpeg failed: " + String.join(" ", args));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts ffmpeg in the background (its output goes to target/ffmpeg-cli.log). */
    public static Process start(String... args) {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        try {
            Path log = Path.of("target/ffmpeg-cli.log");
            Files.createDirectories(log.getParent());
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start ffmpeg (Debian package ffmpeg)", e);
        }
    }

    /**
     * Live MPEG-TS over UDP to {@code 127.0.0.1:port} at its own pace ({@code -re}): black 160x120 video at 10 fps
     * (MPEG-2, a keyframe every 5 frames so a late reader starts fast) and a 440 Hz tone, for {@code seconds}.
     */
    public static Process udpSource(int port, double seconds) {
        return start("-re", "-f", "lavfi", "-i", "color=c=black:s=160x120:r=10", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=44100", "-t", Double.toString(seconds), "-c:v", "mpeg2video", "-g", "5",
                "-c:a", "mp2", "-f", "mpegts", "udp://127.0.0.1:" + port + "?pkt_size=1316");
    }

    /** A free UDP port on the loopback interface. */
    public static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
