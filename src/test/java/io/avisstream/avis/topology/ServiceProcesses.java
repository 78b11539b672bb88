package io.avisstream.avis.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The packaged service as child JVMs, for the {@code *ProcessIT}s: start, wait for a log line or readiness, ports. */
final class ServiceProcesses {
    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private ServiceProcesses() {
    }

    /** {@code java OPTIONS -jar quarkus-run.jar COMMAND}, stdout and stderr to {@code log}. */
    static Process java(List<String> options, String command, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(options);
        cmd.addAll(List.of("-jar", JAR.toString(), command));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static void awaitLog(Path log, String line, Process process, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            assertThat(process.isAlive()).as("process died, log: " + tail(log)).isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + line + "' within " + timeout + ": " + tail(log));
    }

    /** Polls {@code /q/health/ready} until 200. */
    static void awaitReady(int httpPort, Process process, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat(process.isAlive()).as("serve died").isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("serve not ready within " + timeout);
    }

    static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        String s = Files.readString(log);
        return s.substring(Math.max(0, s.length() - 3000));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /** The logs of {@code work} under target/faults-logs/{@code name} (the temporary directory goes away). */
    static void keepLogs(Path work, String name) {
        try (var files = Files.list(work)) {
            Path keep = Path.of("target", "faults-logs", name);
            Files.createDirectories(keep);
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                Files.copy(f, keep.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.out.println("logs not kept: " + e);
        }
    }
}
