package io.avisstream.avis.topology;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Frame sampling of the inference step ({@code avis.inference.*}). */
@ConfigMapping(prefix = "avis.inference")
public interface InferenceConfig {

    /**
     * Frames per second of stream time that are inferred (the model was trained at 1 fps). The first frame of a
     * stream is always inferred; afterwards one frame per 1/fps slot of the pts grid anchored at it. Every other
     * frame still gets a masks record, with {@code inferred=false} and the last inferred frame's instances.
     * 0 = infer every frame.
     */
    @WithDefault("1")
    double fps();
}
