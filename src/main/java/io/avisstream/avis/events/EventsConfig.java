package io.avisstream.avis.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Hysteresis of the sounding events ({@code avis.events.*}), counted in inferred frames. */
@ConfigMapping(prefix = "avis.events")
public interface EventsConfig {

    /** Consecutive inferred frames a track must be sounding before its onset fires (N). */
    @WithDefault("2")
    int onFrames();

    /** Consecutive inferred frames a track must be silent or absent before its offset fires (M). */
    @WithDefault("2")
    int offFrames();
}
