package io.avisstream.avis.ingest;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What {@code ingest} shows on stderr while it runs: for a file a progress bar (frames, fps, ETA), for a live source
 * a one-line status. On a terminal the line is redrawn in place a few times a second; otherwise (a log file, a
 * pipe) a plain line is printed every few seconds.
 */
final class IngestProgress {

    private static final int WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final boolean live;
    private final long totalMicros;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private boolean drawn;

    /**
     * @param totalMicros stream time the run will cover (file duration, or {@code --duration}); 0 when unknown
     */
    IngestProgress(PrintStream out, boolean terminal, String label, boolean live, long totalMicros) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
        this.live = live;
        this.totalMicros = totalMicros;
    }

    /** Redraws when due. {@code streamMicros} is how far into the stream the run is. */
    void update(long frames, long streamMicros, long reconnects, long corrupt, boolean audio) {
        long now = System.nanoTime();
        long interval = terminal ? 250_000_000L : 5_000_000_000L;
        if (now - lastDrawNanos < interval) {
            return;
        }
        lastDrawNanos = now;
        String line = line(frames, streamMicros, reconnects, corrupt, audio, now);
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
        } else {
            out.println(line);
        }
        out.flush();
        drawn = true;
    }

    /** Ends the redrawn line, so what follows starts on a line of its own. */
    void finish() {
        if (terminal && drawn) {
            out.println();
        }
    }

    String line(long frames, long streamMicros, long reconnects, long corrupt, boolean audio, long now) {
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        double fps = frames / seconds;
        String extra = String.format(Locale.ROOT, "audio %s, corrupt %d", audio ? "yes" : "none", corrupt);
        if (live || totalMicros <= 0) {
            return String.format(Locale.ROOT, "%s: %d frames, %.1f fps, t=%s, reconnects %d, %s", label, frames, fps,
                    clock(streamMicros), reconnects, extra);
        }
        double done = Math.min(1.0, Math.max(0.0, streamMicros / (double) totalMicros));
        int filled = (int) Math.round(done * WIDTH);
        double eta = done > 0 ? seconds * (1 - done) / done : 0;
        return String.format(Locale.ROOT, "%s [%s%s] %3.0f%% %d frames, %.1f fps, ETA %s, %s", label,
                "#".repeat(filled), "-".repeat(WIDTH - filled), done * 100, frames, fps,
                clock(Math.round(eta * 1e6)), extra);
    }

    static String clock(long micros) {
        long s = Math.max(0, micros / 1_000_000);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
