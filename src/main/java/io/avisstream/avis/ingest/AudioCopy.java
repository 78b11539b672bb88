package io.avisstream.avis.ingest;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_move_ref;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The audio stream of a source file, remuxed packet for packet into an {@link Mp4Writer}'s output (no decode, no
 * re-encode). Timestamps are shifted by the source's start time, the same origin {@link MediaReader} gives its
 * frames, so copied audio stays in sync with re-encoded video. Not thread-safe; owned by its writer.
 */
final class AudioCopy implements AutoCloseable {

    private static final AVRational MICROS = new AVRational().num(1).den(1_000_000);

    private final Path source;
    private AVFormatContext input;
    private AVStream inputStream;
    private int streamIndex = -1;
    private AVStream outputStream;
    private AVPacket pending;
    private boolean pendingValid;
    private boolean exhausted;
    private long startOffsetMicros;

    private AudioCopy(Path source) {
        this.source = source;
    }

    static AudioCopy open(Path source) {
        AudioCopy copy = new AudioCopy(source);
        try {
            copy.input = new AVFormatContext(null);
            Ffmpeg.check(avformat_open_input(copy.input, source.toString(), null, null), "cannot open " + source);
            Ffmpeg.check(avformat_find_stream_info(copy.input, (PointerPointer<?>) null), "cannot probe " + source);
            long start = copy.input.start_time();
            copy.startOffsetMicros = start == AV_NOPTS_VALUE ? 0 : start;
            copy.streamIndex = av_find_best_stream(copy.input, AVMEDIA_TYPE_AUDIO, -1, -1, (AVCodec) null, 0);
            if (copy.streamIndex >= 0) {
                copy.inputStream = copy.input.streams(copy.streamIndex);
                copy.pending = av_packet_alloc();
            } else {
                copy.exhausted = true;
            }
            return copy;
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
    }

    boolean present() {
        return streamIndex >= 0;
    }

    /** Adds the output stream (before the muxer writes its header). */
    void addStreamTo(AVFormatContext output) {
        if (!present()) {
            return;
        }
        outputStream = avformat_new_stream(output, null);
        Ffmpeg.check(avcodec_parameters_copy(outputStream.codecpar(), inputStream.codecpar()),
                "copying audio parameters of " + source);
        // Let the mp4 muxer pick its own tag for the codec.
        outputStream.codecpar().codec_tag(0);
        outputStream.time_base(inputStream.time_base());
    }

    /** Writes every packet whose presentation time is at most {@code micros}. */
    void copyUntil(long micros, AVFormatContext output, AVPacket scratch) {
        while (!exhausted) {
            if (!pendingValid && !readNext()) {
                return;
            }
            long pts = pending.pts() != AV_NOPTS_VALUE ? pending.pts() : pending.dts();
            long at = pts == AV_NOPTS_VALUE ? Long.MIN_VALUE
                    : av_rescale_q(pts, inputStream.time_base(), MICROS) - startOffsetMicros;
            if (at > micros) {
                return;
            }
            shift(pending);
            av_packet_rescale_ts(pending, inputStream.time_base(), outputStream.time_base());
            pending.stream_index(outputStream.index());
            pending.pos(-1);
            av_packet_move_ref(scratch, pending);
            pendingValid = false;
            try {
                Ffmpeg.check(av_interleaved_write_frame(output, scratch), "writing copied audio of " + source);
            } finally {
                av_packet_unref(scratch);
            }
        }
    }

    /** Moves the packet onto the output's clock (source start time = 0). */
    private void shift(AVPacket packet) {
        long offset = av_rescale_q(startOffsetMicros, MICROS, inputStream.time_base());
        if (offset == 0) {
            return;
        }
        if (packet.pts() != AV_NOPTS_VALUE) {
            packet.pts(packet.pts() - offset);
        }
        if (packet.dts() != AV_NOPTS_VALUE) {
            packet.dts(packet.dts() - offset);
        }
    }

    private boolean readNext() {
        while (true) {
            int ret = av_read_frame(input, pending);
            if (ret == AVERROR_EOF) {
                exhausted = true;
                return false;
            }
            Ffmpeg.check(ret, "cannot read " + source);
            if (pending.stream_index() == streamIndex) {
                pendingValid = true;
                return true;
            }
            av_packet_unref(pending);
        }
    }

    @Override
    public void close() {
        if (pending != null) {
            av_packet_free(pending);
            pending = null;
        }
        if (input != null) {
            avformat_close_input(input);
            input = null;
        }
    }
}
