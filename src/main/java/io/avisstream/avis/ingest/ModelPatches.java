package io.avisstream.avis.ingest;

import io.avisstream.avis.audio.LogMelFrontEnd;
import io.avisstream.avis.message.AudioCoverage;
import io.avisstream.avis.media.AudioWindow;
import io.avisstream.avis.message.AudioFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The log-mel patches the service feeds the model for frames at given times of a media file, computed through the
 * service's own audio path: {@link MediaReader} (decode, channel mean, resampy {@code kaiser_best} per second, s16,
 * 16 kHz chunks as the audio topic carries them), the AV join's window of {@value AudioWindow#SAMPLES} samples from
 * the frame's timestamp with its coverage (same sample arithmetic as {@code AvJoinProcessor}), and the engine's
 * patch rule {@link LogMelFrontEnd#modelPatch} (a window not fully covered gives the all-zero patch).
 */
public final class ModelPatches {

    /** Chunk length used while reading; it does not change the samples. */
    static final int CHUNK_SAMPLES = PcmChunker.samplesFor(100);

    private final List<PcmChunk> chunks;
    private final MediaInfo info;
    private final LogMelFrontEnd frontEnd = new LogMelFrontEnd();

    private ModelPatches(MediaInfo info, List<PcmChunk> chunks) {
        this.info = info;
        this.chunks = chunks;
    }

    /** Decodes the audio of {@code file} (video, if any, is not decoded). Throws {@code MediaException}. */
    public static ModelPatches read(Path file) {
        try (MediaReader reader = MediaReader.openAudio(file, CHUNK_SAMPLES)) {
            List<PcmChunk> chunks = new ArrayList<>();
            for (Optional<MediaSample> s = reader.next(); s.isPresent(); s = reader.next()) {
                if (s.get() instanceof PcmChunk chunk) {
                    chunks.add(chunk);
                }
            }
            return new ModelPatches(reader.info(), chunks);
        }
    }

    public MediaInfo info() {
        return info;
    }

    /** Frames at t = 0, 1, 2, ... s covering the file: ceil(duration in seconds), duration from the container. */
    public int defaultFrames() {
        long end = info.durationMicros();
        for (PcmChunk chunk : chunks) {
            end = Math.max(end, chunk.endMicros());
        }
        return (int) Math.max(0, (end + 999_999) / 1_000_000);
    }

    /** The frame's window as the AV join assembles it: PCM from {@code ptsMicros}, missing samples zero. */
    public AudioWindow window(long ptsMicros) {
        short[] pcm = new short[AudioFormat.WINDOW_SAMPLES];
        boolean[] filled = new boolean[AudioFormat.WINDOW_SAMPLES];
        int covered = 0;
        for (PcmChunk chunk : chunks) {
            short[] samples = chunk.samples();
            if (chunk.startMicros() + AudioFormat.samplesToMicros(samples.length) <= ptsMicros
                    || chunk.startMicros() > ptsMicros + AudioFormat.samplesToMicros(AudioFormat.WINDOW_SAMPLES)) {
                continue;
            }
            long offset = AudioFormat.microsToSamples(chunk.startMicros() - ptsMicros);
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
        }
        AudioCoverage coverage = covered == AudioFormat.WINDOW_SAMPLES ? AudioCoverage.COMPLETE
                : covered == 0 ? AudioCoverage.MISSING : AudioCoverage.PARTIAL;
        return new AudioWindow(pcm, coverage);
    }

    /** Patches of frames at t = 0, 1, ..., frames-1 s: float32 [frames][96 * 64], time-major. */
    public float[][] patches(int frames) {
        float[][] out = new float[frames][];
        for (int i = 0; i < frames; i++) {
            AudioWindow window = window(i * 1_000_000L);
            float[] patch = frontEnd.modelPatch(window.pcm(), window.coverage() == AudioCoverage.COMPLETE);
            out[i] = patch == null ? new float[LogMelFrontEnd.PATCH_LENGTH] : patch;
        }
        return out;
    }
}
