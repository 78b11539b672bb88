package io.avisstream.avis.engine;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.avisstream.avis.media.FrameDetections;
import io.quarkus.arc.DefaultBean;

/**
 * The engine used only when no real engine bean exists in the application (a build without the engine
 * capability): it detects nothing, so the pipeline still runs end to end and says so at start
 * ("Engine active: none"). Any other {@code Engine} bean (the ONNX Runtime producer) replaces it automatically.
 */
public final class FallbackEngine implements Engine {
    public static final String NAME = "none";

    private static final EngineInfo INFO = new EngineInfo(NAME, "none", "none", 1, 1, 1, 26, 1);

    /** CDI producer of the fallback, active only while no other {@code Engine} bean exists. */
    @ApplicationScoped
    public static class Producer {
        @Produces
        @DefaultBean
        @ApplicationScoped
        Engine fallbackEngine() {
            return new FallbackEngine();
        }
    }

    @Override
    public EngineInfo info() {
        return INFO;
    }

    @Override
    public List<FrameFeatures> encodeFrames(List<FrameRequest> batch) {
        List<FrameFeatures> out = new ArrayList<>(batch.size());
        for (FrameRequest r : batch) {
            int w = r.frame().width();
            int h = r.frame().height();
            out.add(new FrameFeatures(r.streamId(), r.seq(), new float[1], new float[1], new float[0],
                    new MaskFeatures(1, 1, 1, new float[1]), new FrameGeometry(w, h, w, h, w, h)));
        }
        return out;
    }

    @Override
    public List<FrameDetections> decodeWindows(List<WindowRequest> batch) {
        List<FrameDetections> out = new ArrayList<>(batch.size());
        for (WindowRequest r : batch) {
            out.add(new FrameDetections(r.streamId(), r.seq(), List.of(), new float[0]));
        }
        return out;
    }

    @Override
    public void close() {
        // nothing to free
    }
}
