package io.avisstream.avis.engine;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import io.avisstream.avis.message.AudioCoverage;

/**
 * A child JVM for {@link InferenceShutdownProcessTest}: one thread runs the CPU engine on the tiny model without pause
 * (as a stream thread does under load), and a shutdown hook stops the way {@code serve} does: the inferring thread is
 * stopped and joined (Kafka Streams closed), then the engine is closed. A SIGTERM therefore always lands during an
 * ONNX Runtime call. Prints {@code inferring} once the first inference is done; exits 143 on SIGTERM.
 *
 * <p>Args: the model directory, then {@code verbose} to have every ONNX Runtime run write to the environment's log.
 */
public final class InferenceShutdownProbe {

    private InferenceShutdownProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[1].equals("verbose")) {
            // The first environment fixes ONNX Runtime's log level: at VERBOSE every run logs through the environment's
            // logging manager, so a run after the environment is freed touches freed memory at once (deterministic).
            ai.onnxruntime.OrtEnvironment.getEnvironment(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE,
                    "probe");
        }
        EngineSettings settings = EngineSettings.defaults(Path.of(args[0])).withThreads(1).withWarmUp(false);
        AcvisEngine engine = EngineFactory.create(settings, new ResourceLedger(), GpuProbe.none());
        AtomicBoolean running = new AtomicBoolean(true);
        FrameRequest frame = new FrameRequest("probe", 0, 0, AcvisEngineTest.frame(320, 180, 7),
                AcvisEngineTest.tone(440, AudioCoverage.COMPLETE));
        Thread infer = new Thread(() -> {
            StreamWindow window = StreamWindow.empty();
            boolean first = true;
            while (running.get()) {
                window = engine.detect(frame, window).window();
                if (first) {
                    System.out.println("inferring");
                    System.out.flush();
                    first = false;
                }
            }
        }, "probe-infer");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.set(false);
            try {
                infer.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            engine.close();
            System.out.println("closed");
            System.out.flush();
        }, "probe-shutdown"));
        infer.start();
        infer.join();
    }
}
