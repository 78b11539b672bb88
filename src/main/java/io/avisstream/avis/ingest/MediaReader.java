package io.avisstream.avis.ingest;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_CL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_NCL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_INVALIDDATA;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_RGB;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_DBL;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_BT2020;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_DEFAULT;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU709;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FULL_CHR_H_INT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import io.avisstream.avis.audio.ModelAudioResampler;
import io.avisstream.avis.media.VideoFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.jboss.logging.Logger;

/**
 * Decodes a media file (mp4 or anything FFmpeg demuxes) into RGB24 frames at native size and 16 kHz mono PCM
 * chunks, both timed in microseconds from the start of the file, through FFmpeg's C API (JavaCPP presets).
 *
 * <p>Pull-based: {@link #next()} returns items in demux order, which interleaves video and audio the way the
 * file does, so a producer can send them in roughly the order a live source would. Video pts come from the
 * decoder's best-effort timestamp (B-frames are reordered by the decoder); audio is converted to native-rate
 * doubles by swresample (format only), made 16 kHz mono as the model's official extractor does by
 * {@link ModelAudioResampler} (channel mean, resampy {@code kaiser_best}, each second on its own), kept as double
 * and chunked by {@link PcmChunker}. One reader per thread; {@link #close()} frees every native object and is
 * idempotent.
 */
public final class MediaReader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MediaReader.class);
    private static final AVRational MICROS = new AVRational().num(1).den(1_000_000);

    /** Where the media comes from, as shown in messages (a URL without its credentials). */
    private final String file;
    private final MediaSource source;
    private final ReadControl control;
    private final ArrayDeque<MediaSample> ready = new ArrayDeque<>();
    private final PcmChunker chunker;

    private AVFormatContext format;
    private AVPacket packet;
    private AVFrame frame;
    private AVCodecContext video;
    private int videoIndex = -1;
    private AVCodecContext audio;
    private int audioIndex = -1;
    private long startOffsetMicros;
    private MediaInfo info;

    private SwsContext sws;
    private int swsWidth = -1;
    private int swsHeight = -1;
    private int swsFormat = -1;
    private BytePointer rgbBuffer;
    private long nextSeq;

    private SwrContext swr;
    private DoublePointer pcmBuffer;
    private int pcmCapacity;
    private double[] pcmScratch = new double[0];
    private ModelAudioResampler modelAudio;
    private final boolean decodeVideo;

    private boolean demuxDone;
    private boolean closed;
    private long corruptPackets;
    /** Checked by FFmpeg during every blocking I/O call: a stop request or a passed deadline ends the call. */
    private Interrupt interrupt;
    private volatile long ioDeadlineNanos = Long.MAX_VALUE;

    /**
     * How long blocking reads of a source may take, and how to cancel them.
     *
     * @param openTimeout longest wait for a source to open (connect, first data, probing); zero = no limit
     * @param readTimeout longest wait for the next packet of an open source; zero = no limit
     * @param rtspTransport {@code tcp} or {@code udp} for {@code rtsp://} sources
     * @param stop returns true when the reader should give up at once (e.g. Ctrl-C)
     */
    public record ReadControl(Duration openTimeout, Duration readTimeout, String rtspTransport, BooleanSupplier stop) {
        /** Files: no deadline, no cancellation. */
        public static final ReadControl NONE = new ReadControl(Duration.ZERO, Duration.ZERO, "tcp", () -> false);
    }

    private MediaReader(MediaSource source, int chunkSamples, boolean decodeVideo, ReadControl control) {
        this.source = source;
        this.file = source.redacted();
        this.control = control;
        this.chunker = new PcmChunker(chunkSamples);
        this.decodeVideo = decodeVideo;
    }

    /**
     * Opens {@code file}, which must have a video stream; audio is optional.
     *
     * @param chunkSamples size of the PCM chunks to deliver (e.g. {@code PcmChunker.samplesFor(100)})
     */
    public static MediaReader open(Path file, int chunkSamples) {
        return open(MediaSource.file(file), chunkSamples, true, ReadControl.NONE);
    }

    /**
     * Opens a file, network URL or capture device, which must have a video stream; audio is optional. Blocking
     * reads are bounded and cancellable through {@code control}.
     */
    public static MediaReader open(MediaSource source, int chunkSamples, ReadControl control) {
        return open(source, chunkSamples, true, control);
    }

    /**
     * Opens {@code file} for its audio only (a WAV, or a video whose frames are not needed): {@link #next()} returns
     * PCM chunks only, and a file without a video stream is accepted. {@link MediaInfo} then has width and height 0
     * when there is no video.
     */
    public static MediaReader openAudio(Path file, int chunkSamples) {
        return open(MediaSource.file(file), chunkSamples, false, ReadControl.NONE);
    }

    private static MediaReader open(MediaSource source, int chunkSamples, boolean decodeVideo, ReadControl control) {
        if (!source.readableFile()) {
            throw new MediaException(source.location() + " is not a readable file");
        }
        Ffmpeg.init();
        MediaReader reader = new MediaReader(source, chunkSamples, decodeVideo, control);
        try {
            reader.openStreams();
            return reader;
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    public MediaInfo info() {
        return info;
    }

    /** Packets the decoders rejected (corrupt or truncated data); each loses its own frame(s) only. */
    public long corruptPackets() {
        return corruptPackets;
    }

    /** The next frame or PCM chunk, or empty at the end of the file. */
    public Optional<MediaSample> next() {
        ensureOpen();
        while (ready.isEmpty() && !demuxDone) {
            readOnePacket();
        }
        return Optional.ofNullable(ready.poll());
    }

    private void openStreams() {
        format = avformat_alloc_context();
        interrupt = new Interrupt();
        AVIOInterruptCB callback = new AVIOInterruptCB();
        callback.callback(interrupt);
        format.interrupt_callback(callback);
        AVInputFormat inputFormat = source.kind() == MediaSource.Kind.DEVICE ? av_find_input_format("video4linux2") : null;
        AVDictionary options = new AVDictionary(null);
        try {
            if (source.scheme().startsWith("rtsp")) {
                av_dict_set(options, "rtsp_transport", control.rtspTransport(), 0);
            }
            if (source.scheme().equals("udp") || source.scheme().equals("rtp")) {
                // A live datagram source must not stop on a burst the reader could not keep up with.
                av_dict_set(options, "overrun_nonfatal", "1", 0);
                av_dict_set(options, "fifo_size", "278876", 0);
            }
            deadline(control.openTimeout());
            interrupt.reason();
            int opened = avformat_open_input(format, source.location(), inputFormat, options);
            if (opened < 0) {
                // avformat_open_input frees the context on failure.
                format = null;
                throw new MediaException(Ffmpeg.sentence("cannot open " + file, opened, interrupt.reason()));
            }
        } finally {
            av_dict_free(options);
        }
        // Probing gets a deadline of its own. An interrupted probe may still return success, but it leaves the
        // I/O context failed for good (every later read returns the interrupt): treat it as a failed open.
        deadline(control.openTimeout());
        int probed = avformat_find_stream_info(format, (PointerPointer<?>) null);
        String probeInterrupted = interrupt.reason();
        if (probed < 0 || probeInterrupted != null) {
            throw new MediaException(Ffmpeg.sentence("cannot probe " + file, probed, probeInterrupted));
        }
        deadline(Duration.ZERO);
        long start = format.start_time();
        startOffsetMicros = start == AV_NOPTS_VALUE ? 0 : start;

        videoIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        if (videoIndex < 0 && decodeVideo) {
            throw new MediaException(file + " has no video stream");
        }
        if (videoIndex >= 0) {
            video = openDecoder(format.streams(videoIndex), "video");
        }
        audioIndex = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, Math.max(videoIndex, -1), (AVCodec) null, 0);
        if (audioIndex >= 0) {
            audio = openDecoder(format.streams(audioIndex), "audio");
            openResampler();
        }
        packet = av_packet_alloc();
        frame = av_frame_alloc();
        info = describe();
        LOG.debugf("opened file=%s video=%s %dx%d@%.3f audio=%s %d Hz x%d duration_us=%d", file, info.videoCodec(),
                info.width(), info.height(), info.frameRate(), info.audioCodec(), info.audioSampleRate(),
                info.audioChannels(), info.durationMicros());
    }

    private AVCodecContext openDecoder(AVStream stream, String kind) {
        AVCodec codec = avcodec_find_decoder(stream.codecpar().codec_id());
        if (codec == null) {
            throw new MediaException(file + ": no " + kind + " decoder for codec id " + stream.codecpar().codec_id());
        }
        AVCodecContext context = avcodec_alloc_context3(codec);
        try {
            Ffmpeg.check(avcodec_parameters_to_context(context, stream.codecpar()), file + ": " + kind + " parameters");
            context.pkt_timebase(stream.time_base());
            Ffmpeg.check(avcodec_open2(context, codec, (PointerPointer<?>) null), file + ": cannot open " + kind + " decoder");
            return context;
        } catch (RuntimeException e) {
            avcodec_free_context(context);
            throw e;
        }
    }

    /**
     * swresample only converts the sample format (to interleaved double, same channels, same rate: no filtering,
     * no delay); downmix and resampling to 16 kHz are the model's own ({@link ModelAudioResampler}).
     */
    private void openResampler() {
        swr = new SwrContext(null);
        Ffmpeg.check(swr_alloc_set_opts2(swr, audio.ch_layout(), AV_SAMPLE_FMT_DBL, audio.sample_rate(),
                audio.ch_layout(), audio.sample_fmt(), audio.sample_rate(), 0, null), file + ": resampler options");
        Ffmpeg.check(swr_init(swr), file + ": cannot start resampler");
        modelAudio = new ModelAudioResampler(audio.sample_rate(), ModelAudioResampler.Mode.PER_SECOND, this::emitPcm);
    }

    private MediaInfo describe() {
        long duration = format.duration() == AV_NOPTS_VALUE ? -1 : format.duration();
        if (video == null) {
            return new MediaInfo(file, 0, 0, 0, 1, duration, null,
                    audio == null ? null : audio.codec().name().getString(),
                    audio == null ? 0 : audio.sample_rate(), audio == null ? 0 : audio.ch_layout().nb_channels());
        }
        AVStream v = format.streams(videoIndex);
        AVRational rate = v.avg_frame_rate().num() > 0 ? v.avg_frame_rate() : v.r_frame_rate();
        return new MediaInfo(file, video.width(), video.height(), rate.num(), rate.den(), duration,
                video.codec().name().getString(), audio == null ? null : audio.codec().name().getString(),
                audio == null ? 0 : audio.sample_rate(), audio == null ? 0 : audio.ch_layout().nb_channels());
    }

    private void readOnePacket() {
        deadline(control.readTimeout());
        interrupt.reason();
        int ret = av_read_frame(format, packet);
        deadline(Duration.ZERO);
        if (ret == AVERROR_EOF) {
            drain();
            return;
        }
        if (ret < 0) {
            // The interrupt may have fired in an earlier call (FFmpeg then keeps the I/O context failed): name it.
            String reason = interrupt.reason();
            if (reason == null && ret == AVERROR_EXIT) {
                reason = interrupt.lastReason;
            }
            throw new MediaException(Ffmpeg.sentence("cannot read " + file, ret, reason));
        }
        try {
            if (packet.stream_index() == videoIndex && decodeVideo) {
                decode(video, packet, true);
            } else if (packet.stream_index() == audioIndex) {
                decode(audio, packet, false);
            }
        } finally {
            av_packet_unref(packet);
        }
    }

    /** End of file: flush both decoders, the resampler and the last partial chunk. */
    private void drain() {
        if (decodeVideo) {
            decode(video, null, true);
        }
        if (audio != null) {
            decode(audio, null, false);
            modelAudio.flush();
            ready.addAll(chunker.finish());
        }
        demuxDone = true;
    }

    private void decode(AVCodecContext codec, AVPacket input, boolean isVideo) {
        int sent = avcodec_send_packet(codec, input);
        if (sent < 0 && sent != AVERROR_EOF) {
            // A corrupt packet loses that packet's frame(s), not the file: FFmpeg's CLI does the same.
            corruptPackets++;
            LOG.debugf("source=%s stream=%s skipped undecodable packet: %s", file, isVideo ? "video" : "audio",
                    Ffmpeg.describe(sent));
            return;
        }
        while (true) {
            int ret = avcodec_receive_frame(codec, frame);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) {
                return;
            }
            if (ret == AVERROR_INVALIDDATA) {
                corruptPackets++;
                return;
            }
            Ffmpeg.check(ret, file + ": decoding " + (isVideo ? "video" : "audio"));
            try {
                if (isVideo) {
                    ready.add(toRgb(frame));
                } else {
                    resample(frame);
                }
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    private DecodedFrame toRgb(AVFrame source) {
        int width = source.width();
        int height = source.height();
        if (width != swsWidth || height != swsHeight || source.format() != swsFormat) {
            sws = sws_getCachedContext(sws, width, height, source.format(), width, height, AV_PIX_FMT_RGB24,
                    SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, null, null, (double[]) null);
            if (sws == null) {
                throw new MediaException(file + ": no conversion from pixel format " + source.format() + " to RGB24");
            }
            swsWidth = width;
            swsHeight = height;
            swsFormat = source.format();
            if (rgbBuffer != null) {
                rgbBuffer.close();
            }
            rgbBuffer = new BytePointer((long) width * height * 3);
        }
        if ((av_pix_fmt_desc_get(source.format()).flags() & AV_PIX_FMT_FLAG_RGB) == 0) {
            // YUV: use the stream's own matrix and range; swscale would otherwise assume BT.601 limited range.
            // (Not for RGB sources: a range setting there would rescale already full-range RGB values.)
            IntPointer coefficients = sws_getCoefficients(colourspace(source.colorspace()));
            int srcRange = source.color_range() == AVCOL_RANGE_JPEG ? 1 : 0;
            sws_setColorspaceDetails(sws, coefficients, srcRange, sws_getCoefficients(SWS_CS_DEFAULT), 1, 0,
                    1 << 16, 1 << 16);
        }
        try (PointerPointer<BytePointer> dst = new PointerPointer<>(rgbBuffer, null, null, null);
                IntPointer dstStride = new IntPointer(width * 3, 0, 0, 0)) {
            sws_scale(sws, source.data(), source.linesize(), 0, height, dst, dstStride);
        }
        byte[] rgb = new byte[width * height * 3];
        rgbBuffer.position(0).get(rgb);
        long pts = source.best_effort_timestamp();
        long micros = pts == AV_NOPTS_VALUE ? -1 : toMicros(pts, format.streams(videoIndex).time_base());
        if (micros < 0) {
            // No usable timestamp: place the frame by its index at the nominal rate.
            double fps = info == null || info.frameRate() <= 0 ? 25.0 : info.frameRate();
            micros = Math.round(nextSeq * 1_000_000.0 / fps);
        }
        return new DecodedFrame(nextSeq++, micros, new VideoFrame(width, height, rgb));
    }

    private static int colourspace(int avColourspace) {
        if (avColourspace == AVCOL_SPC_BT709) {
            return SWS_CS_ITU709;
        }
        if (avColourspace == AVCOL_SPC_BT2020_NCL || avColourspace == AVCOL_SPC_BT2020_CL) {
            return SWS_CS_BT2020;
        }
        return SWS_CS_DEFAULT;
    }

    /** A jump of more than this between the decoder's timestamp and the sample count is a real gap (or overlap). */
    private static final long AUDIO_DISCONTINUITY_MICROS = PcmChunker.DISCONTINUITY_MICROS;

    private void resample(AVFrame source) {
        int inSamples = source.nb_samples();
        int rate = audio.sample_rate();
        // Native sample index of the frame's first sample on the file clock (index k * rate = second k). The sample
        // count carries the clock; the decoder's timestamp re-anchors it only on a real discontinuity, so AAC's
        // rounded timestamps do not jitter the second boundaries.
        long pts = source.best_effort_timestamp();
        long expected = modelAudio.nextIndex();
        long index = expected == Long.MIN_VALUE ? 0 : expected;
        if (pts != AV_NOPTS_VALUE) {
            long micros = toMicros(pts, format.streams(audioIndex).time_base());
            long stamped = Math.round(micros * (double) rate / 1_000_000d);
            if (expected == Long.MIN_VALUE
                    || Math.abs(stamped - expected) > AUDIO_DISCONTINUITY_MICROS * rate / 1_000_000L) {
                index = stamped;
            }
        }
        int produced = convert(source.extended_data(), inSamples);
        int channels = audio.ch_layout().nb_channels();
        int values = produced * channels;
        if (pcmScratch.length < values) {
            pcmScratch = new double[values];
        }
        pcmBuffer.position(0).get(pcmScratch, 0, values);
        modelAudio.push(index, pcmScratch, channels, produced);
    }

    private int convert(PointerPointer<?> input, int inSamples) {
        int capacity = inSamples + 256;
        int channels = audio.ch_layout().nb_channels();
        if (capacity > pcmCapacity) {
            if (pcmBuffer != null) {
                pcmBuffer.close();
            }
            pcmBuffer = new DoublePointer((long) channels * capacity);
            pcmCapacity = capacity;
        }
        // PointerPointer(Pointer) would reinterpret the buffer as a pointer array: build a 1-slot array instead.
        try (PointerPointer<DoublePointer> out = new PointerPointer<DoublePointer>(1).put(0, pcmBuffer.position(0))) {
            return Ffmpeg.check(swr_convert(swr, out, pcmCapacity, input, inSamples), file + ": converting audio");
        }
    }

    /**
     * 16 kHz model audio from {@link ModelAudioResampler}, chunked as it is (double): the sender rounds it once to
     * the audio topic's encoding (f32le by default, which keeps this signal within float32 rounding; or s16le).
     */
    private void emitPcm(long firstIndex, double[] pcm, int count) {
        long start = firstIndex * 1_000_000L / ModelAudioResampler.TARGET_RATE;
        ready.addAll(chunker.append(start, pcm, count));
    }

    private long toMicros(long pts, AVRational timeBase) {
        return av_rescale_q(pts, timeBase, MICROS) - startOffsetMicros;
    }

    private void deadline(Duration timeout) {
        ioDeadlineNanos = timeout.isZero() || timeout.isNegative() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    }

    /** FFmpeg's interrupt callback: non-zero ends the blocking call it is polled from. */
    private final class Interrupt extends AVIOInterruptCB.Callback_Pointer {
        private volatile String reason;
        /** Why it last fired, kept for the life of the reader. */
        private volatile String lastReason;

        @Override
        public int call(Pointer opaque) {
            if (control.stop().getAsBoolean()) {
                reason = "stopped";
                lastReason = reason;
                return 1;
            }
            if (System.nanoTime() > ioDeadlineNanos) {
                reason = "no data";
                lastReason = reason;
                return 1;
            }
            return 0;
        }

        /** Why the last call was interrupted ({@code stopped}, {@code no data}), or null. */
        String reason() {
            String r = reason;
            reason = null;
            return r;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("reader for " + file + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (swr != null) {
            swr_free(swr);
            swr = null;
        }
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (video != null) {
            avcodec_free_context(video);
            video = null;
        }
        if (audio != null) {
            avcodec_free_context(audio);
            audio = null;
        }
        if (format != null) {
            avformat_close_input(format);
            format = null;
        }
        if (interrupt != null) {
            interrupt.close();
            interrupt = null;
        }
        if (rgbBuffer != null) {
            rgbBuffer.close();
            rgbBuffer = null;
        }
        if (pcmBuffer != null) {
            pcmBuffer.close();
            pcmBuffer = null;
        }
    }
}
