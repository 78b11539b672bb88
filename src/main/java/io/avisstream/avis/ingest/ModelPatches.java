package io.avisstream.avis.ingest;

import io.avisstream.avis.audio.LogMelFrontEnd;
import io.avisstream.avis.message.AudioCoverage;
import io.avisstream.avis.media.AudioWindow;
import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.AudioFormat;
import io.avisstream.avis.message.MessageCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The log-mel patches the service feeds the model for frames at given times of a media file, computed through the
 * service's own audio path: {@link MediaReader} (decode, channel mean, resampy {@code kaiser_best} per second, 16 kHz
 * chunks), each chunk encoded as an audio-topic record in the producer's encoding and decoded again
 * ({@link AudioChunkMessage}, f32le by default, as {@code ingest} sends it), the AV join's window of
 * {@link AudioFormat#WINDOW_SAMPLES} samples from the frame's timestamp with its coverage ({@link AudioWindow.Cutter},
 * the join's own code) and the engine's patch rule {@link LogMelFrontEnd#modelPatch} (a window not fully covered
 * gives the all-zero patch).
 */
public final class ModelPatches {

    /** Chunk length used while reading; it does not change the samples. */
    static final int CHUNK_SAMPLES = PcmChunker.samplesFor(100);
    private static final String STREAM = "mel";

    private final List<AudioChunkMessage> chunks;
    private final MediaInfo info;
    private final LogMelFrontEnd frontEnd = new LogMelFrontEnd();

    private ModelPatches(MediaInfo info, List<AudioChunkMessage> chunks) {
        this.info = info;
        this.chunks = chunks;
    }

    /** Decodes the audio of {@code file} as {@code ingest} sends it ({@link AudioFormat#PRODUCER_ENCODING}). */
    public static ModelPatches read(Path file) {
        return read(file, AudioFormat.PRODUCER_ENCODING);
    }

    /**
     * Decodes the audio of {@code file} (video, if any, is not decoded) as a producer sending {@code encoding} puts it
     * on the audio topic. Throws {@code MediaException}.
     */
    public static ModelPatches read(Path file, AudioFormat.Encoding encoding) {
        try (MediaReader reader = MediaReader.openAudio(file, CHUNK_SAMPLES)) {
            List<AudioChunkMessage> chunks = new ArrayList<>();
            for (Optional<MediaSample> s = reader.next(); s.isPresent(); s = reader.next()) {
                if (s.get() instanceof PcmChunk chunk) {
                    byte[] wire = MessageCodec.AUDIO.encode(AudioChunkMessage.of(STREAM, chunk.startMicros(),
                            chunk.samples(), encoding));
                    chunks.add(MessageCodec.AUDIO.decode(wire));
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
        for (AudioChunkMessage chunk : chunks) {
            end = Math.max(end, chunk.endMicros());
        }
        return (int) Math.max(0, (end + 999_999) / 1_000_000);
    }

    /** The frame's window as the AV join assembles it: PCM from {@code ptsMicros}, missing samples zero. */
    public AudioWindow window(long ptsMicros) {
        AudioWindow.Cutter window = AudioWindow.at(ptsMicros);
        for (AudioChunkMessage chunk : chunks) {
            if (window.overlaps(chunk.startMicros(), chunk.sampleCount())) {
                window.add(chunk.startMicros(), chunk.samples());
            }
        }
        return window.cut();
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
