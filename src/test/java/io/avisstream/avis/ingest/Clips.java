package io.avisstream.avis.ingest;

import io.avisstream.avis.message.AudioFormat;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The committed test clips (see {@code src/test/resources/clips/make-test-clips.sh}) and decode helpers. */
public final class Clips {

    public static final String RED_SINE440 = "red-160x120-10fps-2s-sine440-mono44k.mp4";
    public static final String PATTERN_TONE_FROM_1500MS = "pattern-176x144-25fps-3s-tone1000-from1500ms-stereo48k.mp4";
    public static final String BLUE_NO_AUDIO = "blue-64x48-5fps-1s-noaudio.mp4";
    public static final String LOSSLESS_SQUARES = "squares-96x64-10fps-5s-lossless-rgb-tone800to2000ms.mp4";

    private Clips() {
    }

    public static Path clip(String name) {
        try {
            return Path.of(Clips.class.getResource("/clips/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test clip " + name, e);
        }
    }

    /** Everything a file decodes to, split by kind. */
    public record Decoded(MediaInfo info, List<DecodedFrame> frames, List<PcmChunk> chunks) {

        /** All decoded 16 kHz samples in int16 units, rounded as an s16le producer sends them. */
        public short[] pcm() {
            int total = chunks.stream().mapToInt(c -> c.samples().length).sum();
            short[] all = new short[total];
            int at = 0;
            for (PcmChunk chunk : chunks) {
                for (double x : chunk.samples()) {
                    all[at++] = AudioFormat.toS16(x);
                }
            }
            return all;
        }
    }

    public static Decoded decodeAll(Path file, int chunkSamples) {
        try (MediaReader reader = MediaReader.open(file, chunkSamples)) {
            List<DecodedFrame> frames = new ArrayList<>();
            List<PcmChunk> chunks = new ArrayList<>();
            for (var sample = reader.next(); sample.isPresent(); sample = reader.next()) {
                if (sample.get() instanceof DecodedFrame f) {
                    frames.add(f);
                } else if (sample.get() instanceof PcmChunk c) {
                    chunks.add(c);
                }
            }
            return new Decoded(reader.info(), frames, chunks);
        }
    }

    /** Frequency of a pure tone from its zero crossings: a sine crosses zero twice a period. */
    public static double zeroCrossingHz(short[] pcm, int from, int to, int sampleRate) {
        int crossings = 0;
        for (int i = from + 1; i < to; i++) {
            if ((pcm[i - 1] < 0) != (pcm[i] < 0)) {
                crossings++;
            }
        }
        return crossings / 2.0 / ((to - from) / (double) sampleRate);
    }

    public static double rms(short[] pcm, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    /** Mean of one RGB channel over the whole frame. */
    public static double meanChannel(byte[] rgb, int channel) {
        long sum = 0;
        for (int i = channel; i < rgb.length; i += 3) {
            sum += rgb[i] & 0xff;
        }
        return sum / (rgb.length / 3.0);
    }
}
