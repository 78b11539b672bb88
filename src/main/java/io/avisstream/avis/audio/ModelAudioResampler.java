package io.avisstream.avis.audio;

import io.avisstream.avis.message.AudioFormat;
import java.util.Arrays;

/**
 * Turns native-rate audio into the 16 kHz mono signal the model was trained on, as it streams in: channels are
 * averaged (the official downmix, after scaling int16 by 1/32768) and the mono signal is resampled with resampy's
 * {@code kaiser_best} ({@link KaiserSincFilter#KAISER_BEST}, {@link SincResampler}).
 *
 * <p>Two ways to cut the stream:
 * <ul>
 * <li>{@link Mode#PER_SECOND} (the official extractor, default): every second {@code [k, k+1)} of native audio (on
 * the stream's own clock, sample index {@code k * rate}) is resampled on its own, so frame k's patch sees exactly
 * what the official {@code wavfile_to_examples} makes of second k, edge effects included. A second that starts late
 * (stream started mid-second, or after a gap) or ends early (end of stream, gap) is resampled as the shorter block
 * it is, as the official code does with the last, short second of a file.</li>
 * <li>{@link Mode#CONTINUOUS}: the whole run is one block (resampy over the whole signal); no edge effect at whole
 * seconds. Differs from the official features by up to ~0.01 (log-mel) near the second boundaries, see
 * {@code engines/CONTRACT.md}.</li>
 * </ul>
 *
 * <p>Streaming, with no latency beyond the filter's reach: an output sample is produced as soon as the input it
 * reads has arrived (about 140 native samples, 3 ms, past its position), or at {@link #flush()}. Output is
 * delivered to a {@link Sink} together with its time on the stream's clock. Not thread-safe.
 */
public final class ModelAudioResampler {

    public static final int TARGET_RATE = AudioFormat.SAMPLE_RATE;

    /** How the stream is cut into independently resampled blocks. */
    public enum Mode {
        /** Each second of native audio alone, as the official extractor (offline-exact). */
        PER_SECOND,
        /** One block per contiguous run. */
        CONTINUOUS
    }

    /** Receives 16 kHz samples; {@code firstIndex} is the 16 kHz sample index (on the stream clock) of {@code samples[0]}. */
    @FunctionalInterface
    public interface Sink {
        void accept(long firstIndex, double[] samples, int count);
    }

    private final int sourceRate;
    private final Mode mode;
    private final SincResampler resampler;
    private final Sink sink;
    private final int reach;

    /** Native index (stream clock) of the next sample push() expects; Long.MIN_VALUE before the first. */
    private long nextIndex = Long.MIN_VALUE;
    /** Native index of the current block's first sample. */
    private long blockStart;
    /** Block length when known in advance (to the next whole second), else Long.MAX_VALUE. */
    private long blockLimit;
    /** Samples of the current block received so far. */
    private long received;
    /** Outputs of the current block already delivered. */
    private long produced;
    /** 16 kHz index of the current block's output 0. */
    private long outputOrigin;
    /** buffer[i] = block sample bufferStart + i, for i < buffered. */
    private double[] buffer = new double[4096];
    private long bufferStart;
    private int buffered;
    private double[] out = new double[1024];

    public ModelAudioResampler(int sourceRate, Mode mode, Sink sink) {
        this(KaiserSincFilter.KAISER_BEST, sourceRate, mode, sink);
    }

    public ModelAudioResampler(KaiserSincFilter filter, int sourceRate, Mode mode, Sink sink) {
        if (sourceRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sourceRate);
        }
        this.sourceRate = sourceRate;
        this.mode = mode;
        this.sink = sink;
        this.resampler = SincResampler.of(filter, sourceRate, TARGET_RATE);
        this.reach = resampler.reach();
    }

    public int sourceRate() {
        return sourceRate;
    }

    public Mode mode() {
        return mode;
    }

    /** Native index (stream clock) the next pushed sample is taken to have; {@code Long.MIN_VALUE} before any. */
    public long nextIndex() {
        return nextIndex;
    }

    /**
     * Appends {@code frames} interleaved frames of {@code channels} channels ({@code samples[f * channels + c]},
     * full scale 1.0) whose first frame has native index {@code index} on the stream clock (index 0 = time 0;
     * whole seconds at multiples of the rate). A frame at another index than the one following the previous push
     * ends the current block there (a gap, or a jump back) and starts a new one. Negative indices are dropped.
     */
    public void push(long index, double[] samples, int channels, int frames) {
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be positive, got " + channels);
        }
        if (index != nextIndex) {
            flush();
            nextIndex = index;
        }
        for (int f = 0; f < frames; f++) {
            long at = nextIndex++;
            if (at < 0) {
                continue;
            }
            double sum = 0.0;
            int base = f * channels;
            for (int c = 0; c < channels; c++) {
                sum += samples[base + c];
            }
            double mono = channels == 1 ? sum : sum / channels;
            if (received == 0 || at != blockStart + received) {
                startBlock(at);
            }
            append(mono);
            if (received == blockLimit) {
                endBlock();
            }
        }
        if (received > 0) {
            emit(false);
        }
    }

    /** Ends the current block (end of stream or a pause): delivers every output it still owes. */
    public void flush() {
        if (received > 0) {
            endBlock();
        }
    }

    private void startBlock(long at) {
        if (received > 0) {
            endBlock();
        }
        blockStart = at;
        blockLimit = mode == Mode.PER_SECOND ? (Math.floorDiv(at, sourceRate) + 1) * sourceRate - at : Long.MAX_VALUE;
        received = 0;
        produced = 0;
        bufferStart = 0;
        buffered = 0;
        // Output 0 of a block sits at the block's first input sample: 16 kHz index = its time * 16000, rounded.
        outputOrigin = Math.round(at * (double) TARGET_RATE / sourceRate);
    }

    private void append(double mono) {
        if (buffered == buffer.length) {
            // Drop what no future output can read (left reach of the next output), else grow.
            long keepFrom = Math.max(0, (long) resampler.position(produced) - reach - 1);
            int drop = (int) Math.min(buffered, Math.max(0, keepFrom - bufferStart));
            if (drop > buffer.length / 2) {
                System.arraycopy(buffer, drop, buffer, 0, buffered - drop);
                buffered -= drop;
                bufferStart += drop;
            } else {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
        }
        buffer[buffered++] = mono;
        received++;
    }

    private void endBlock() {
        emit(true);
        received = 0;
    }

    /** Delivers the outputs whose input has arrived (all the block's outputs when {@code last}). */
    private void emit(boolean last) {
        long length = last ? received : blockLimit;
        long total = last || blockLimit != Long.MAX_VALUE ? resampler.outputLength(length) : Long.MAX_VALUE;
        int count = 0;
        while (produced < total) {
            if (!last) {
                long n = (long) resampler.position(produced);
                if (Math.min(length, n + 1 + reach) > received) {
                    break;
                }
            }
            if (count == out.length) {
                sink.accept(outputOrigin + produced - count, out, count);
                count = 0;
            }
            out[count++] = resampler.sample(buffer, bufferStart, length, produced);
            produced++;
        }
        if (count > 0) {
            sink.accept(outputOrigin + produced - count, out, count);
        }
    }
}
