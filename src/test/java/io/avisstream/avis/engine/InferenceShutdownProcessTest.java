package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while a thread is inside an ONNX Runtime run, in a child JVM ({@link InferenceShutdownProbe}): the JVM
 * exits 143, never 134. ONNX Runtime's Java library frees the native environment from a shutdown hook of its own
 * at the first moment of shutdown; before {@link OrtEnvironmentLease} the run in flight then read freed memory and
 * the JVM died with SIGSEGV in libonnxruntime (4 of 4 runs of this test with VERBOSE ORT logging, which makes every
 * run log through the environment; the same frame {@code libonnxruntime.so+0xc62983} as in the service's crash).
 */
class InferenceShutdownProcessTest {
    private static final int RUNS = 3;

    @TempDir
    Path work;

    @Test
    void shouldExitWith143WhenSigtermLandsDuringAnInference() throws Exception {
        Path model = TinyModel.dir().toAbsolutePath();
        for (int run = 1; run <= RUNS; run++) {
            // Given a JVM whose thread runs the engine without pause, every run logging through ORT's environment
            Path log = work.resolve("probe-" + run + ".log");
            Process probe = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-XX:ErrorFile=" + work.resolve("hs_err_%p.log"), "-cp", System.getProperty("java.class.path"),
                    InferenceShutdownProbe.class.getName(), model.toString(), "verbose"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                awaitLine(log, "inferring", probe);
                Thread.sleep(50L * run); // somewhere inside the next runs

                // When
                probe.destroy(); // SIGTERM
                boolean exited = probe.waitFor(60, TimeUnit.SECONDS);

                // Then
                assertThat(exited).as("run %d: exited", run).isTrue();
                assertThat(probe.exitValue()).as("run %d: exit status (134 = SIGSEGV in libonnxruntime): %s", run,
                        tail(log)).isEqualTo(143);
                assertThat(lines(log)).as("run %d: the engine closed after the inferring thread stopped", run)
                        .contains("closed");
            } finally {
                probe.destroyForcibly();
            }
        }
        try (Stream<Path> files = Files.list(work)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("hs_err"));
        }
    }

    private static void awaitLine(Path log, String line, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (lines(log).contains(line)) {
                return;
            }
            assertThat(process.isAlive()).as("probe died: " + tail(log)).isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("probe never inferred: " + tail(log));
    }

    private static List<String> lines(Path log) throws Exception {
        return Files.exists(log) ? Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1)
                : new ArrayList<>();
    }

    private static String tail(Path log) throws Exception {
        List<String> all = lines(log);
        return String.join("\n", all.subList(Math.max(0, all.size() - 15), all.size()));
    }
}
