package io.avisstream.avis.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

import io.avisstream.avis.engine.AcvisEngine;
import io.avisstream.avis.engine.BatchingEngine;
import io.avisstream.avis.engine.Engine;
import io.avisstream.avis.engine.EngineFactory;
import io.avisstream.avis.engine.EngineInfo;
import io.avisstream.avis.engine.EngineSettings;
import io.avisstream.avis.engine.FrameFeatures;
import io.avisstream.avis.engine.FrameRequest;
import io.avisstream.avis.engine.GraphContract;
import io.avisstream.avis.engine.ResourceLedger;
import io.avisstream.avis.engine.StageTimings;
import io.avisstream.avis.engine.WindowRequest;
import io.avisstream.avis.media.AudioWindow;
import io.avisstream.avis.media.FrameDetections;
import io.avisstream.avis.media.VideoFrame;
import io.avisstream.avis.message.AudioCoverage;
import io.avisstream.avis.message.AudioFormat;

/**
 * Latency and throughput of the engine at 360x640, next to PyTorch eager on the same model config and machine
 * ({@code engines/tools/bench_torch.py}, run in the same invocation). A benchmark, not a test: it prints a table.
 *
 * <p>Stages: {@code encode} = log-mel + audio graph + resize + frame graph for a batch of frames (batch 1 and 8);
 * {@code decode} = video graph over a W-frame window + candidates + masks of the newest frame; {@code batching}
 * = {@link BatchingEngine} with one caller (must cost nothing over batch 1) and with 8 concurrent callers;
 * {@code fresh masks} = the extra work of a frame between inferences with {@code avis.inference.mask-fps}
 * ({@link Engine#masksFor}: resize, the frame graph's m_t, the masks graph for K instances, masks at frame size).
 */
public final class EngineBench {

    private static final Logger LOG = Logger.getLogger(EngineBench.class);
    static final int WIDTH = 640;
    static final int HEIGHT = 360;

    /** Bench parameters: model dir, timed calls per stage, threads, whether to run the PyTorch script. */
    public record Options(Path modelDir, int frames, int threads, boolean torch, Path torchScript, Path python,
            int[] batches) {
    }

    /** One measured row: per-call latency percentiles and frames per second. */
    record Row(String stage, int batch, double p50, double p99, double fps) {
    }

    private EngineBench() {
    }

    public static int run(EngineSettings base, Options options, PrintStream out) throws Exception {
        EngineSettings settings = base.withModelDir(options.modelDir()).withThreads(options.threads()).withWarmUp(true);
        Map<String, Row> measured = new LinkedHashMap<>();
        Map<String, Row> torch = new LinkedHashMap<>();
        List<String> stages = new ArrayList<>();
        ResourceLedger ledger = new ResourceLedger();
        String provider;
        String modelId;
        try (TorchServer server = options.torch() ? TorchServer.start(options) : null;
                AcvisEngine engine = EngineFactory.create(settings, ledger)) {
            provider = engine.info().executionProvider();
            modelId = engine.info().modelId();
            for (int batch : options.batches()) {
                List<FrameRequest> requests = requests(batch, 0);
                int calls = Math.max(2, options.frames() / batch);
                engine.encodeTimings().reset();
                interleave("encode/" + batch, "encode", batch, () -> engine.encodeFrames(requests), server,
                        "encode " + batch, calls, measured, torch);
                StageTimings st = engine.encodeTimings();
                double frames = (calls + 1.0) * batch;
                stages.add(String.format(Locale.ROOT, "encode batch %d per frame: preprocess %.1f ms, inference %.1f ms,"
                        + " postprocess %.1f ms", batch, st.micros(StageTimings.Stage.PREPROCESS) / 1e3 / frames,
                        st.micros(StageTimings.Stage.INFERENCE) / 1e3 / frames,
                        st.micros(StageTimings.Stage.POSTPROCESS) / 1e3 / frames));
            }
            WindowRequest window = window(engine);
            interleave("decode-live/1", "decode (threshold " + engine.scoreThreshold() + ")", 1,
                    () -> engine.decodeWindows(List.of(window)), null, null, options.frames(), measured, torch);
            freshMasks(engine, settings, ledger, options.frames(), measured, stages);
            try (BatchingEngine batching = new BatchingEngine(new Unclosable(engine), 8, settings.batchMaxWait())) {
                List<FrameRequest> one = requests(1, 0);
                interleave("batching-1-caller/1", "batching, 1 caller", 1, () -> batching.encodeFrames(one), null, null,
                        options.frames(), measured, torch);
                measured.put("batching-8-callers/8", concurrent(batching, options.frames()));
            }
            // The official step scores masks for every top-k pair; threshold 0 makes the Java engine do that work too.
            try (AcvisEngine all = EngineFactory.create(settings.withScoring(engine.topK(), 0f).withWarmUp(false),
                    ledger)) {
                WindowRequest allWindow = window(all);
                interleave("decode/1", "decode (threshold 0: all top-k masked)", 1,
                        () -> all.decodeWindows(List.of(allWindow)), server, "decode", options.frames(), measured, torch);
            }
        }
        if (ledger.openHandles() != 0) {
            throw new IllegalStateException("engine leaked native handles: " + ledger);
        }
        print(out, options, provider, modelId, measured, torch);
        stages.forEach(out::println);
        return 0;
    }

    private static WindowRequest window(AcvisEngine engine) {
        FrameFeatures newest = engine.encodeFrames(requests(1, 99)).get(0);
        int past = engine.info().windowFrames() - 1;
        return new WindowRequest("bench", 99, java.util.Collections.nCopies(past, newest.frameQueries()),
                java.util.Collections.nCopies(past, newest.audioFeatures()), newest);
    }

    /**
     * The extra work of a frame between inferences ({@link Engine#masksFor}) for K = 1 and 5 instances: through the
     * model's own m_t path, and when that is the optional pixel graph, alternated call by call with the frame-graph
     * path (the same model without {@code pixel.onnx}), so both see the same load.
     */
    private static void freshMasks(AcvisEngine engine, EngineSettings settings, ResourceLedger ledger, int calls,
            Map<String, Row> measured, List<String> stages) throws IOException {
        Path withoutPixel = null;
        AcvisEngine framePath = null;
        try {
            if (engine.freshMaskGraph().equals(GraphContract.PIXEL)) {
                withoutPixel = withoutOptionalGraphs(settings.modelDir());
                framePath = EngineFactory.create(settings.withModelDir(withoutPixel), ledger);
            }
            FrameRequest between = requests(1, 7).get(0);
            for (int k : new int[] {1, 5}) {
                List<float[]> embeddings = embeddings(engine, k);
                engine.maskTimings().reset();
                AcvisEngine other = framePath;
                Map<String, Row> pair = alternate(k, engine.freshMaskGraph(),
                        () -> engine.masksFor(between, embeddings),
                        other == null ? null : () -> other.masksFor(between, embeddings), calls);
                measured.putAll(pair);
                StageTimings mt = engine.maskTimings();
                double n = calls + 1.0;
                stages.add(String.format(Locale.ROOT, "fresh masks K=%d (%s graph) per frame: preprocess %.1f ms,"
                        + " inference (m_t + masks graph) %.1f ms, postprocess %.1f ms", k, engine.freshMaskGraph(),
                        mt.micros(StageTimings.Stage.PREPROCESS) / 1e3 / n,
                        mt.micros(StageTimings.Stage.INFERENCE) / 1e3 / n,
                        mt.micros(StageTimings.Stage.POSTPROCESS) / 1e3 / n));
            }
        } finally {
            if (framePath != null) {
                framePath.close();
            }
            if (withoutPixel != null) {
                try (java.util.stream.Stream<Path> files = Files.list(withoutPixel)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(withoutPixel);
            }
        }
    }

    /** One untimed call each, then {@code calls} pairs: a, b, a, b... (b may be null). */
    private static Map<String, Row> alternate(int k, String graph, Runnable a, Runnable b, int calls) {
        a.run();
        if (b != null) {
            b.run();
        }
        double[] aMs = new double[calls];
        double[] bMs = new double[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            a.run();
            aMs[i] = (System.nanoTime() - t0) / 1e6;
            if (b != null) {
                long t1 = System.nanoTime();
                b.run();
                bMs[i] = (System.nanoTime() - t1) / 1e6;
            }
        }
        Map<String, Row> out = new LinkedHashMap<>();
        Arrays.sort(aMs);
        out.put("fresh-" + k + "/" + graph, row("fresh masks, K=" + k + " (m_t: " + graph + " graph)", 1, aMs));
        if (b != null) {
            Arrays.sort(bMs);
            out.put("fresh-" + k + "/frame", row("fresh masks, K=" + k + " (m_t: frame graph)", 1, bMs));
        }
        return out;
    }

    /** A directory of links to the model's files but its optional graphs: the engine falls back to the frame graph. */
    private static Path withoutOptionalGraphs(Path modelDir) throws IOException {
        Path dir = Files.createTempDirectory("avis-bench-frame-path");
        try (java.util.stream.Stream<Path> files = Files.list(modelDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (GraphContract.OPTIONAL_GRAPHS.stream().noneMatch(g -> name.equals(g + ".onnx"))) {
                    Files.createSymbolicLink(dir.resolve(name), f.toAbsolutePath());
                }
            }
        }
        return dir;
    }

    /** K mask embeddings of the model's width (seeded; the cost does not depend on their values). */
    private static List<float[]> embeddings(AcvisEngine engine, int k) {
        FrameFeatures f = engine.encodeFrames(requests(1, 5)).get(0);
        java.util.Random random = new java.util.Random(k);
        List<float[]> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            float[] e = new float[f.maskFeatures().channels()];
            for (int c = 0; c < e.length; c++) {
                e[c] = (float) random.nextGaussian();
            }
            out.add(e);
        }
        return out;
    }

    /**
     * Times {@code calls} Java calls, each followed by one PyTorch call of the same stage when a server is given, so
     * both sides run under the same (shared-machine) load. One untimed warm-up call each first.
     */
    private static void interleave(String key, String label, int batch, Runnable javaCall, TorchServer server,
            String torchStage, int calls, Map<String, Row> measured, Map<String, Row> torch) throws IOException {
        javaCall.run();
        if (server != null) {
            server.call(torchStage);
        }
        double[] javaMs = new double[calls];
        double[] torchMs = new double[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            javaCall.run();
            javaMs[i] = (System.nanoTime() - start) / 1e6;
            if (server != null) {
                torchMs[i] = server.call(torchStage);
            }
        }
        Arrays.sort(javaMs);
        measured.put(key, row(label, batch, javaMs));
        if (server != null) {
            Arrays.sort(torchMs);
            torch.put(key, row(label, batch, torchMs));
        }
    }

    private static String exitCode(Process process) {
        try {
            return process.waitFor(10, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** {@code bench_torch.py --serve}: one timed PyTorch call per request line. */
    static final class TorchServer implements AutoCloseable {
        private final Process process;
        private final java.io.Writer in;
        private final BufferedReader outReader;
        private final ObjectMapper json = new ObjectMapper();

        private TorchServer(Process process) {
            this.process = process;
            this.in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.outReader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static TorchServer start(Options options) throws IOException {
            if (!Files.isExecutable(options.python()) || !Files.isRegularFile(options.torchScript())) {
                LOG.warnf("PyTorch comparison skipped: %s or %s is missing", options.python(), options.torchScript());
                return null;
            }
            Process process = new ProcessBuilder(options.python().toString(), options.torchScript().toString(), "--serve",
                    "--model", options.modelDir().toString(), "--threads", Integer.toString(options.threads()),
                    "--batches", Arrays.stream(options.batches()).mapToObj(Integer::toString)
                            .collect(java.util.stream.Collectors.joining(",")))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            TorchServer server = new TorchServer(process);
            server.await("ready");
            return server;
        }

        double call(String stage) throws IOException {
            in.write(stage + "\n");
            in.flush();
            return await("ms").asDouble();
        }

        private JsonNode await(String field) throws IOException {
            String line;
            while ((line = outReader.readLine()) != null) {
                if (line.startsWith("{")) {
                    JsonNode node = json.readTree(line);
                    if (node.has("error")) {
                        throw new IOException("bench_torch.py: " + node.get("error").asText());
                    }
                    if (node.has(field)) {
                        return node.get(field);
                    }
                }
            }
            throw new IOException("bench_torch.py ended before answering (exit " + exitCode(process) + ")");
        }

        @Override
        public void close() throws IOException {
            in.close();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroy();
            }
        }
    }

    /** 8 caller threads, one frame each per call: how the BatchingEngine groups them, frames/s overall. */
    private static Row concurrent(BatchingEngine batching, int frames) throws Exception {
        int callers = 8;
        int perCaller = Math.max(2, frames / 2);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            long framesBefore = batching.frames();
            long batchesBefore = batching.batches();
            List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
            long start = System.nanoTime();
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                all.add(CompletableFuture.runAsync(() -> {
                    List<FrameRequest> one = requests(1, caller);
                    for (int i = 0; i < perCaller; i++) {
                        long t0 = System.nanoTime();
                        batching.encodeFrames(one);
                        latencies.add((System.nanoTime() - t0) / 1e6);
                    }
                }, pool));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - start) / 1e9;
            long framesRun = batching.frames() - framesBefore;
            long batchesRun = batching.batches() - batchesBefore;
            double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            LOG.infof("batching bench: %d frames in %d engine calls (mean batch %.2f)", framesRun, batchesRun,
                    (double) framesRun / Math.max(1, batchesRun));
            return new Row(String.format(Locale.ROOT, "batching, 8 callers (mean batch %.1f)",
                    (double) framesRun / Math.max(1, batchesRun)), 8, percentile(sorted, 0.5), percentile(sorted, 0.99),
                    framesRun / seconds);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<FrameRequest> requests(int batch, int seed) {
        List<FrameRequest> out = new ArrayList<>();
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < batch; i++) {
            byte[] rgb = new byte[WIDTH * HEIGHT * 3];
            random.nextBytes(rgb);
            float[] pcm = new float[AudioFormat.WINDOW_SAMPLES];
            for (int n = 0; n < pcm.length; n++) {
                pcm[n] = (short) (random.nextGaussian() * 3000) / AudioFormat.S16_SCALE;
            }
            out.add(new FrameRequest("bench-" + i, seed, 0, new VideoFrame(WIDTH, HEIGHT, rgb),
                    new AudioWindow(pcm, AudioCoverage.COMPLETE)));
        }
        return out;
    }

    private static Row row(String stage, int batch, double[] sortedMs) {
        double mean = Arrays.stream(sortedMs).average().orElse(Double.NaN);
        return new Row(stage, batch, percentile(sortedMs, 0.5), percentile(sortedMs, 0.99), batch * 1000.0 / mean);
    }

    static double percentile(double[] sorted, double q) {
        int index = Math.max(0, (int) Math.ceil(q * sorted.length) - 1);
        return sorted[Math.min(index, sorted.length - 1)];
    }

    private static void print(PrintStream out, Options options, String provider, String modelId, Map<String, Row> java,
            Map<String, Row> torch) {
        out.printf(Locale.ROOT, "model %s (%s), %dx%d frames, %d threads, engine %s, %d timed calls per stage%n",
                options.modelDir(), modelId, WIDTH, HEIGHT, options.threads(), provider, options.frames());
        out.printf(Locale.ROOT, "%-38s %5s | %10s %10s %10s %9s | %10s %10s %9s | %9s%n", "stage", "batch",
                "call p50", "call p99", "frame p50", "frames/s", "torch p50", "torch p99", "torch f/s", "speed-up");
        for (Map.Entry<String, Row> e : java.entrySet()) {
            Row j = e.getValue();
            Row t = torch.get(e.getKey());
            String torchCols = t == null ? String.format(Locale.ROOT, "%10s %10s %9s | %9s", "-", "-", "-", "-")
                    : String.format(Locale.ROOT, "%10.1f %10.1f %9.2f | %8.2fx", t.p50(), t.p99(), t.fps(),
                            t.p50() / j.p50());
            out.printf(Locale.ROOT, "%-38s %5d | %10.1f %10.1f %10.1f %9.2f | %s%n", j.stage(), j.batch(), j.p50(), j.p99(),
                    j.p50() / j.batch(), j.fps(), torchCols);
        }
        out.println("latencies in ms per call; speed-up = torch p50 / java p50 for the same stage and batch;");
        out.println("torch decode = video module + the official top-k mask scoring of spec §5 (no pruning);");
        out.println("each Java call is followed by the same PyTorch call (interleaved), so both see the same load");
    }

    /** Lets the bench wrap the engine in a BatchingEngine without the batcher closing it. */
    private record Unclosable(Engine delegate) implements Engine {
        @Override
        public EngineInfo info() {
            return delegate.info();
        }

        @Override
        public List<FrameFeatures> encodeFrames(List<FrameRequest> batch) {
            return delegate.encodeFrames(batch);
        }

        @Override
        public List<FrameDetections> decodeWindows(List<WindowRequest> batch) {
            return delegate.decodeWindows(batch);
        }

        @Override
        public void close() {
        }
    }

    /** Parses {@code [--model DIR] [--frames N] [--threads T] [--batches 1,8] [--no-torch]} over defaults. */
    public static Options parse(String[] args, Path defaultModel) {
        Path model = defaultModel;
        int frames = 20;
        int threads = Runtime.getRuntime().availableProcessors();
        boolean torch = true;
        int[] batches = {1, 8};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batches" -> batches = Arrays.stream(value(args, ++i, "--batches").split(","))
                        .mapToInt(Integer::parseInt).toArray();
                case "--model" -> model = Path.of(value(args, ++i, "--model"));
                case "--frames" -> frames = Integer.parseInt(value(args, ++i, "--frames"));
                case "--threads" -> threads = Integer.parseInt(value(args, ++i, "--threads"));
                case "--no-torch" -> torch = false;
                default -> throw new IllegalArgumentException("unknown bench argument " + args[i]
                        + "; usage: bench [--model DIR] [--frames N] [--threads T] [--batches 1,8] [--no-torch]");
            }
        }
        if (frames < 2 || threads < 1 || batches.length == 0 || Arrays.stream(batches).anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("bench needs --frames >= 2, --threads >= 1 and batches >= 1");
        }
        return new Options(model, frames, threads, torch, Path.of("engines/tools/bench_torch.py"),
                Path.of("/usr/bin/python3"), batches);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    /** Entry point for running the bench without the Quarkus main: {@code java -cp ... EngineBench [args]}. */
    public static void main(String[] args) throws Exception {
        Options options = parse(args, Path.of("engines/models/tiny"));
        System.exit(run(EngineSettings.defaults(options.modelDir()), options, System.out));
    }
}
