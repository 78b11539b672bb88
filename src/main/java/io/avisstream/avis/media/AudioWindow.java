package io.avisstream.avis.media;

import io.avisstream.avis.message.AudioCoverage;
import io.avisstream.avis.message.AudioFormat;

/**
 * The audio that belongs to one frame: {@link AudioFormat#WINDOW_SAMPLES} samples of 16 kHz mono signed 16-bit
 * PCM starting at the frame's presentation timestamp (frame i <-> audio [t_i, t_i + 0.975 s), the alignment the
 * model was trained with: one 96x64 log-mel patch). Missing samples are zero.
 */
public record AudioWindow(short[] pcm, AudioCoverage coverage) {

    public AudioWindow {
        if (pcm == null || pcm.length != AudioFormat.WINDOW_SAMPLES) {
            throw new IllegalArgumentException("audio window needs " + AudioFormat.WINDOW_SAMPLES + " samples, got "
                    + (pcm == null ? "null" : pcm.length));
        }
        if (coverage == null) {
            throw new IllegalArgumentException("coverage is required");
        }
    }

    public static AudioWindow silence() {
        return new AudioWindow(new short[AudioFormat.WINDOW_SAMPLES], AudioCoverage.MISSING);
    }
}
