package io.avisstream.avis.demo;

import io.avisstream.avis.ingest.MediaInfo;
import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.MasksMessage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What one demo run did, printed as the command's summary table. */
record DemoReport(String input, MediaInfo info, String broker, long framesSent, long audioChunksSent,
        DemoTransport.Results results, Latency latency, Path masksFile, Path eventsFile, AnnotatedVideoRenderer.Result rendered,
        Timings timings) {

    /**
     * Nanoseconds spent starting the pipeline (broker, topics, Kafka Streams), sending, waiting for the last masks
     * record after the last send, rendering, and in total.
     */
    record Timings(long startNanos, long sendNanos, long waitNanos, long renderNanos, long totalNanos) {

        /** Send + wait: the time frames spent in the pipeline, from the first send to the last masks record. */
        long pipelineNanos() {
            return sendNanos + waitNanos;
        }
    }

    long inferredFrames() {
        return results.masks().stream().filter(MasksMessage::inferred).count();
    }

    long instances() {
        return results.masks().stream().mapToLong(m -> m.instances().size()).sum();
    }

    long soundingInstances() {
        return results.masks().stream().flatMap(m -> m.instances().stream()).filter(InstanceMessage::sounding).count();
    }

    long distinctTracks() {
        return results.masks().stream().flatMap(m -> m.instances().stream()).mapToLong(InstanceMessage::trackId)
                .distinct().count();
    }

    String engines() {
        String engines = results.masks().stream().map(MasksMessage::engine).distinct().sorted()
                .collect(Collectors.joining(", "));
        return engines.isEmpty() ? "(no masks received)" : engines;
    }

    Map<String, Long> audioCoverage() {
        return results.masks().stream().collect(Collectors.groupingBy(MasksMessage::audio, java.util.TreeMap::new,
                Collectors.counting()));
    }

    /** CLI output (the one place System.out is the right sink). */
    void print(PrintStream out) {
        String media = String.format(Locale.ROOT, "%dx%d, %.2f fps, %s", info.width(), info.height(), info.frameRate(),
                info.hasAudio() ? info.audioCodec() + " " + info.audioSampleRate() + " Hz x" + info.audioChannels()
                        : "no audio");
        double seconds = timings.totalNanos() / 1e9;
        out.println();
        out.println("avis-stream demo " + (results.timedOut() ? "(TIMED OUT: some frames have no masks)" : "(complete)"));
        row(out, "input", input + " (" + media + ")");
        row(out, "broker", broker);
        row(out, "engine", engines());
        row(out, "frames", String.format(Locale.ROOT, "%d sent, %d with masks (%d inferred), %d duplicate records",
                framesSent, results.masks().size(), inferredFrames(), results.duplicates()));
        row(out, "audio", audioChunksSent + " chunks sent; frame coverage " + audioCoverage());
        row(out, "instances", String.format(Locale.ROOT, "%d drawn over %d frames (%d sounding), %d distinct tracks",
                instances(), rendered.framesWithInstances(), soundingInstances(), distinctTracks()));
        row(out, "events", results.events().size() + " " + DemoCommand.countByType(results.events()));
        long rejected = results.deadLetters().values().stream().mapToLong(Long::longValue).sum();
        row(out, "rejected", rejected == 0 ? "none (no dead letters for this stream)"
                : rejected + " records sent to the dead-letter topic " + new java.util.TreeMap<>(results.deadLetters()));
        double pipeline = timings.pipelineNanos() / 1e9;
        row(out, "wall time", String.format(Locale.ROOT,
                "%.2f s total: start pipeline %.2f s, send %.2f s, then wait for masks %.2f s, render %.2f s",
                seconds, timings.startNanos() / 1e9, timings.sendNanos() / 1e9, timings.waitNanos() / 1e9,
                timings.renderNanos() / 1e9));
        row(out, "throughput", String.format(Locale.ROOT,
                "%.1f frames/s from first send to last masks record (%d frames in %.2f s)",
                pipeline > 0 ? results.masks().size() / pipeline : 0.0, results.masks().size(), pipeline));
        row(out, "latency", latency.describe());
        if (!results.masks().isEmpty() && instances() == 0) {
            row(out, "note", "no candidate scored above avis.engine.score-threshold on the " + inferredFrames()
                    + " inferred frames (an untrained model rarely does; -Davis.engine.score-threshold=0.05 shows"
                    + " weaker candidates)");
        }
        row(out, "outputs", masksFile + ", " + eventsFile + ", " + rendered.output() + " (" + rendered.videoCodec()
                + ")");
    }

    private static void row(PrintStream out, String name, String value) {
        out.printf(Locale.ROOT, "  %-10s %s%n", name, value);
    }
}
