package io.avisstream.avis.topology;

import java.time.Duration;

import io.avisstream.avis.events.EventsConfig;
import io.avisstream.avis.tracking.SoundingRule;
import io.avisstream.avis.tracking.TrackingConfig;

/**
 * Everything the topology's processors need from configuration, as one value (so the topology can be built
 * without CDI in TopologyTestDriver tests). Validated here, with the config key in each message.
 */
public record TopologySettings(Duration grace, Duration idleFlush, int maxPendingFrames, int maxFrameWidth,
        int maxFrameHeight, Duration audioRetention, double fps, double maskFps, double minSimilarity, int maxAge,
        double duplicateIou, SoundingRule soundingRule,
        int onFrames, int offFrames) {

    /** Default of {@code avis.inference.mask-fps}, chosen from the cost measured in engines/RESULTS.md. */
    public static final String DEFAULT_MASK_FPS = "5";

    public TopologySettings {
        require(!grace.isNegative(), "avis.join.grace must be >= 0");
        require(!idleFlush.isNegative() && !idleFlush.isZero(), "avis.join.idle-flush must be > 0");
        require(maxPendingFrames >= 1, "avis.join.max-pending-frames must be >= 1");
        require(maxFrameWidth >= 1 && maxFrameHeight >= 1, "avis.join.max-frame-width/height must be >= 1");
        require(!audioRetention.isNegative(), "avis.join.audio-retention must be >= 0");
        require(fps >= 0 && Double.isFinite(fps), "avis.inference.fps must be >= 0");
        require(maskFps >= 0 && Double.isFinite(maskFps), "avis.inference.mask-fps must be >= 0");
        require(minSimilarity >= -1 && minSimilarity <= 1, "avis.tracking.min-similarity must be in [-1, 1]");
        require(maxAge >= 0, "avis.tracking.max-age must be >= 0");
        require(duplicateIou > 0 && duplicateIou <= 1, "avis.tracking.duplicate-iou must be in (0, 1]");
        require(soundingRule != null, "avis.tracking.sounding-rule must be set");
        require(onFrames >= 1 && offFrames >= 1, "avis.events.on-frames/off-frames must be >= 1");
    }

    public static TopologySettings defaults() {
        return new TopologySettings(Duration.ofSeconds(2), Duration.ofSeconds(3), 500, 4096, 4096,
                Duration.ofSeconds(30), 1.0, Double.parseDouble(DEFAULT_MASK_FPS), 0.5, 5, 0.8, SoundingRule.DEFAULT, 2, 2);
    }

    public static TopologySettings from(JoinConfig join, InferenceConfig inference, TrackingConfig tracking,
            EventsConfig events) {
        return new TopologySettings(join.grace(), join.idleFlush(), join.maxPendingFrames(), join.maxFrameWidth(),
                join.maxFrameHeight(), join.audioRetention(), inference.fps(), inference.maskFps(),
                tracking.minSimilarity(),
                tracking.maxAge(), tracking.duplicateIou(),
                new SoundingRule(tracking.soundingRule(), tracking.heardThreshold()), events.onFrames(), events.offFrames());
    }

    public TopologySettings withFps(double newFps) {
        return new TopologySettings(grace, idleFlush, maxPendingFrames, maxFrameWidth, maxFrameHeight, audioRetention,
                newFps, maskFps, minSimilarity, maxAge, duplicateIou, soundingRule, onFrames, offFrames);
    }

    public TopologySettings withGrace(Duration newGrace) {
        return new TopologySettings(newGrace, idleFlush, maxPendingFrames, maxFrameWidth, maxFrameHeight,
                audioRetention, fps, maskFps, minSimilarity, maxAge, duplicateIou, soundingRule, onFrames, offFrames);
    }

    public TopologySettings withMaxPendingFrames(int n) {
        return new TopologySettings(grace, idleFlush, n, maxFrameWidth, maxFrameHeight, audioRetention, fps,
                maskFps, minSimilarity, maxAge, duplicateIou, soundingRule, onFrames, offFrames);
    }

    public TopologySettings withMaskFps(double newMaskFps) {
        return new TopologySettings(grace, idleFlush, maxPendingFrames, maxFrameWidth, maxFrameHeight, audioRetention,
                fps, newMaskFps, minSimilarity, maxAge, duplicateIou, soundingRule, onFrames, offFrames);
    }

    public TopologySettings withDuplicateIou(double newDuplicateIou) {
        return new TopologySettings(grace, idleFlush, maxPendingFrames, maxFrameWidth, maxFrameHeight, audioRetention,
                fps, maskFps, minSimilarity, maxAge, newDuplicateIou, soundingRule, onFrames, offFrames);
    }

    public TopologySettings withSoundingRule(SoundingRule newRule) {
        return new TopologySettings(grace, idleFlush, maxPendingFrames, maxFrameWidth, maxFrameHeight, audioRetention,
                fps, maskFps, minSimilarity, maxAge, duplicateIou, newRule, onFrames, offFrames);
    }

    /** Microseconds between sampled frames; 0 = every frame. */
    public long samplingPeriodMicros() {
        return fps == 0 ? 0 : Math.round(1_000_000d / fps);
    }

    /** Microseconds between frames with fresh masks; 0 = off (copies). */
    public long maskPeriodMicros() {
        return maskFps == 0 ? 0 : Math.max(1, Math.round(1_000_000d / maskFps));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
