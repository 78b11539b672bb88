package io.avisstream.avis.engine;

/**
 * The audio that belongs to one frame: 16 kHz mono signed 16-bit PCM starting at the frame's
 * presentation timestamp (frame i <-> audio [t_i, t_i + 0.975 s), the alignment the model was
 * trained with: one 96x64 log-mel patch needs {@link #SAMPLES} samples). Missing samples are zero.
 */
public record AudioWindow(short[] pcm, AudioCoverage coverage) {
    public static final int SAMPLE_RATE = 16_000;
    /** 400-sample window + 95 hops of 160 = 96 STFT frames = one VGGish patch. */
    public static final int SAMPLES = 15_600;

    public AudioWindow {
        if (pcm == null || pcm.length != SAMPLES) {
            throw new IllegalArgumentException("audio window needs " + SAMPLES + " samples, got "
                    + (pcm == null ? "null" : pcm.length));
        }
        if (coverage == null) {
            throw new IllegalArgumentException("coverage is required");
        }
    }

    public static AudioWindow silence() {
        return new AudioWindow(new short[SAMPLES], AudioCoverage.MISSING);
    }
}
