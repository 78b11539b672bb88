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

    /**
     * Fresh masks between inferences, per second of stream time: the first frame of each 1/mask-fps slot (pts grid
     * anchored like {@link #fps()}'s) gets masks from its own mask features and the last inferred frame's mask
     * embeddings, with that frame's instances (ids, classes, scores, sounding); frames in between copy the newest
     * masks. 0 = off (every frame between inferences copies the inferred masks); at or above the stream's frame rate
     * every frame. Default from the per-frame cost measured in {@code engines/RESULTS.md} ("Fresh masks").
     */
    @WithDefault(TopologySettings.DEFAULT_MASK_FPS)
    double maskFps();
}
