package io.avisstream.avis.dashboard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The live dashboard at {@code /dashboard} ({@code avis.dashboard.*}). */
@ConfigMapping(prefix = "avis.dashboard")
public interface DashboardConfig {

    /** Widest latest-frame JPEG the dashboard serves (downscaled, aspect kept); masks are drawn at full size. */
    @WithDefault("640")
    int maxWidth();

    /** JPEG quality of the latest-frame image, 1..100. */
    @WithDefault("80")
    int jpegQuality();

    /** Events kept in memory per instance and replayed to a page that connects to the event feed. */
    @WithDefault("100")
    int eventHistory();
}
