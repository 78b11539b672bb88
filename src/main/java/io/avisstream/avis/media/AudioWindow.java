package io.avisstream.avis.media;

import io.avisstream.avis.message.AudioCoverage;
import io.avisstream.avis.message.AudioFormat;

/**
 * The audio that belongs to one frame: {@link AudioFormat#WINDOW_SAMPLES} samples of 16 kHz mono PCM at full scale
 * 1.0 (whatever the wire encoding was) starting at the frame's presentation timestamp (frame i <-> audio [t_i, t_i +
 * 0.975 s), the alignment the model was trained with: one 96x64 log-mel patch). Missing samples are zero.
 */
public record AudioWindow(float[] pcm, AudioCoverage coverage) {

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
        return new AudioWindow(new float[AudioFormat.WINDOW_SAMPLES], AudioCoverage.MISSING);
    }

    /** Starts the window of a frame at {@code ptsMicros}; add the chunks that may overlap it, then {@link Cutter#cut}. */
    public static Cutter at(long ptsMicros) {
        return new Cutter(ptsMicros);
    }

    /**
     * Cuts a frame's window out of audio chunks, in any order (the AV join and {@code mel} alike): a chunk's sample
     * j lands at window index {@code round((start - pts) * 16000 / 1e6) + j}; samples outside the window are
     * ignored; where chunks overlap, the one added last wins. Coverage: complete when every index got a sample,
     * missing when none did, partial otherwise.
     */
    public static final class Cutter {
        private final long ptsMicros;
        private final float[] pcm = new float[AudioFormat.WINDOW_SAMPLES];
        private final boolean[] filled = new boolean[AudioFormat.WINDOW_SAMPLES];
        private int covered;

        private Cutter(long ptsMicros) {
            this.ptsMicros = ptsMicros;
        }

        /** Whether a chunk of {@code samples} samples starting at {@code startMicros} can reach the window. */
        public boolean overlaps(long startMicros, int samples) {
            return startMicros + AudioFormat.samplesToMicros(samples) > ptsMicros
                    && startMicros < ptsMicros + AudioFormat.samplesToMicros(AudioFormat.WINDOW_SAMPLES);
        }

        /** Places the chunk's samples (full scale 1.0) that fall inside the window. */
        public Cutter add(long startMicros, float[] samples) {
            if (!overlaps(startMicros, samples.length)) {
                return this;
            }
            long offset = AudioFormat.microsToSamples(startMicros - ptsMicros);
            int from = (int) Math.max(0, -offset);
            int to = (int) Math.min(samples.length, AudioFormat.WINDOW_SAMPLES - offset);
            for (int j = from; j < to; j++) {
                int k = (int) (offset + j);
                pcm[k] = samples[j];
                if (!filled[k]) {
                    filled[k] = true;
                    covered++;
                }
            }
            return this;
        }

        public AudioWindow cut() {
            AudioCoverage coverage = covered == AudioFormat.WINDOW_SAMPLES ? AudioCoverage.COMPLETE
                    : covered == 0 ? AudioCoverage.MISSING : AudioCoverage.PARTIAL;
            return new AudioWindow(pcm.clone(), coverage);
        }
    }
}
