package io.avisstream.avis.ingest;

/**
 * What a media file holds, as probed when it is opened.
 *
 * @param source the file, URL (without credentials) or device
 * @param width video width in pixels
 * @param height video height in pixels
 * @param frameRateNum average frame rate numerator (0 when the container does not say)
 * @param frameRateDen average frame rate denominator
 * @param durationMicros container duration, or -1 when unknown
 * @param videoCodec decoder name of the video stream
 * @param audioCodec decoder name of the audio stream, or {@code null} when the file has no audio
 * @param audioSampleRate source sample rate (0 without audio); the reader always delivers 16 kHz mono
 * @param audioChannels source channel count (0 without audio)
 */
public record MediaInfo(String source, int width, int height, int frameRateNum, int frameRateDen, long durationMicros,
        String videoCodec, String audioCodec, int audioSampleRate, int audioChannels) {

    public boolean hasAudio() {
        return audioCodec != null;
    }

    /** Whether the container states a duration (files do; live streams do not). */
    public boolean hasDuration() {
        return durationMicros > 0;
    }

    /** Average frames per second, or 0 when unknown. */
    public double frameRate() {
        return frameRateNum > 0 && frameRateDen > 0 ? (double) frameRateNum / frameRateDen : 0.0;
    }
}
