package io.avisstream.avis.tracking;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Identity linking of the live tracker ({@code avis.tracking.*}). */
@ConfigMapping(prefix = "avis.tracking")
public interface TrackingConfig {

    /** Lowest cosine similarity of similarity embeddings at which a detection continues an existing track (-1..1). */
    @WithDefault("0.5")
    double minSimilarity();

    /** Inferred frames a track may go undetected before it retires (its id is never reused). */
    @WithDefault("5")
    int maxAge();

    /**
     * Mask IoU above which a detection is dropped as a duplicate of a better-scoring one before linking (live mode;
     * (0, 1], 1 keeps duplicates). Detections with empty masks are always dropped.
     */
    @WithDefault("0.8")
    double duplicateIou();

    /**
     * Which detections of a frame sound: {@code heard} (the frame decoder hears it in this frame) or {@code count}
     * (the count head's number of best-scoring detections). See {@link SoundingRule}.
     */
    @WithDefault("heard")
    SoundingRule.Kind soundingRule();

    /** Rule {@code heard}: lowest frame-decoder probability of the detection's class that flags it sounding (0..1). */
    @WithDefault("0.5")
    double heardThreshold();
}
