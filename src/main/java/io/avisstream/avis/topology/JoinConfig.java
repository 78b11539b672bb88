package io.avisstream.avis.topology;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The audio-video join ({@code avis.join.*}). */
@ConfigMapping(prefix = "avis.join")
public interface JoinConfig {

    /**
     * How far (in stream time: the newest frame pts of the stream) a frame's audio window may still be incomplete
     * before the frame is emitted with {@code audio=partial|missing}, once the stream's audio has passed the window's
     * end or has sent nothing for {@link #idleFlush()} (a burst of frames read before audio that was written with
     * them does not expire them); also how far behind stream time a frame may arrive before it goes to the
     * dead-letter topic as {@code LATE_FRAME}.
     */
    @WithDefault("2s")
    Duration grace();

    /**
     * Wall-clock time after the last record of a stream at which its buffered frames are emitted with the audio
     * that has arrived (the end of a finite stream never advances stream time); also the time after a stream's last
     * audio chunk from which {@link #grace()} expires frames whose audio window the stream's audio has not reached.
     */
    @WithDefault("3s")
    Duration idleFlush();

    /** Frames buffered per stream before the oldest is emitted regardless of its audio (bounds state). */
    @WithDefault("500")
    int maxPendingFrames();

    /** Widest frame accepted; wider frames go to the dead-letter topic as {@code OVERSIZED}. */
    @WithDefault("4096")
    int maxFrameWidth();

    /** Tallest frame accepted; taller frames go to the dead-letter topic as {@code OVERSIZED}. */
    @WithDefault("4096")
    int maxFrameHeight();

    /** Audio kept per stream behind its newest audio sample, in case frames lag behind (bounds state). */
    @WithDefault("30s")
    Duration audioRetention();

    /**
     * How long buffered frames and audio stay in the join buffers' changelog topics (compact + delete, short segments):
     * raw frames and sound must not outlive their use on the brokers. Must exceed what a buffer can hold back
     * (grace, idle flush, audio retention); at least 1 min.
     */
    @WithDefault("10m")
    Duration changelogRetention();
}
