package io.avisstream.avis.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM as a stop request for a command that streams until stopped ({@code ingest},
 * {@code consume}): the first signal sets the flag, so the command can flush, print its summary and exit 0; a
 * second one is handled as before (the JVM stops). {@link #close()} restores the previous handlers.
 */
public final class StopSignal implements AutoCloseable {

    private final AtomicBoolean requested = new AtomicBoolean();
    private final List<Runnable> restore = new ArrayList<>();

    private StopSignal() {
    }

    public static StopSignal install() {
        StopSignal stop = new StopSignal();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal signal = new Signal(name);
                SignalHandler[] previous = new SignalHandler[1];
                previous[0] = Signal.handle(signal, s -> {
                    if (stop.requested.getAndSet(true) && previous[0] != null && previous[0] != SignalHandler.SIG_IGN) {
                        previous[0].handle(s);
                    }
                });
                stop.restore.add(() -> Signal.handle(signal, previous[0]));
            } catch (IllegalArgumentException | IllegalStateException e) {
                // The signal is not available here (or reserved by the JVM): Ctrl-C then stops the JVM as usual.
            }
        }
        return stop;
    }

    /** Asks the command to stop, as a signal would (tests, and commands that end on their own). */
    public void request() {
        requested.set(true);
    }

    public boolean requested() {
        return requested.get();
    }

    @Override
    public void close() {
        restore.forEach(Runnable::run);
        restore.clear();
    }
}
