package io.avisstream.avis.ingest;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.avisstream.avis.media.VideoFrame;
import io.avisstream.avis.message.AudioFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.jboss.logging.Logger;

/**
 * Encodes RGB24 frames (H.264 through OpenH264, or MPEG-4 Part 2 where that encoder is missing) and, optionally,
 * 16 kHz mono PCM (AAC) into an mp4 file. Frames are placed on a constant-rate grid: {@code ptsMicros} is rounded
 * to the nearest frame slot of the given rate, and a frame landing on an occupied slot moves to the next one, so
 * the output is always playable even when the input timing is irregular.
 *
 * <p>Call {@link #writeVideo} and {@link #writeAudio} in roughly presentation order (the muxer interleaves), then
 * {@link #close()}, which flushes the encoders and writes the index (moov first, for progressive playback).
 * Not thread-safe; close is idempotent and always frees native state, even after a failure.
 */
public final class Mp4Writer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Mp4Writer.class);
    /** Tried in order: H.264 plays everywhere; MPEG-4 Part 2 is FFmpeg's built-in fallback. */
    private static final List<String> VIDEO_ENCODERS = List.of("libopenh264", "mpeg4");

    private final Path file;
    private final int width;
    private final int height;
    private final AVRational frameRate;

    private AVFormatContext format;
    private AVCodecContext videoEncoder;
    private AVStream videoStream;
    private AVCodecContext audioEncoder;
    private AVStream audioStream;
    private AVFrame yuv;
    private AVFrame audioFrame;
    private AVPacket packet;
    private SwsContext sws;
    private BytePointer rgbBuffer;
    private String videoCodecName;

    private long lastVideoPts = -1;
    private long framesWritten;
    private final float[] audioPending;
    private int audioPendingCount;
    private long nextAudioPts = Long.MIN_VALUE;
    private boolean closed;
    /** Audio copied packet for packet from a source file instead of encoded from PCM; null when not copying. */
    private AudioCopy audioCopy;

    private Mp4Writer(Path file, int width, int height, int fpsNum, int fpsDen) {
        this.file = file;
        this.width = width;
        this.height = height;
        this.frameRate = new AVRational().num(fpsNum).den(fpsDen);
        this.audioPending = new float[1024];
    }

    private static Mp4Writer newWriter(Path file, int width, int height, int fpsNum, int fpsDen) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive: " + width + "x" + height);
        }
        if (fpsNum <= 0 || fpsDen <= 0) {
            throw new IllegalArgumentException("frame rate must be positive: " + fpsNum + "/" + fpsDen);
        }
        Ffmpeg.init();
        return new Mp4Writer(file, width, height, fpsNum, fpsDen);
    }

    /**
     * Creates {@code file} (parent folders included) for frames of {@code width x height} at {@code fpsNum/fpsDen}
     * frames a second, with an AAC track when {@code withAudio}.
     */
    public static Mp4Writer create(Path file, int width, int height, int fpsNum, int fpsDen, boolean withAudio) {
        Mp4Writer writer = newWriter(file, width, height, fpsNum, fpsDen);
        try {
            writer.open(withAudio);
            return writer;
        } catch (RuntimeException e) {
            writer.closeQuietly();
            throw e;
        }
    }

    /**
     * Like {@link #create} but the audio track is the audio stream of {@code audioSource}, copied without
     * re-encoding (original codec, rate and channels), and interleaved by {@link #copyAudioUntil}. When the source
     * has no audio stream the file gets none.
     */
    public static Mp4Writer createCopyingAudio(Path file, int width, int height, int fpsNum, int fpsDen,
            Path audioSource) {
        Mp4Writer writer = newWriter(file, width, height, fpsNum, fpsDen);
        try {
            writer.audioCopy = AudioCopy.open(audioSource);
            writer.open(false);
            return writer;
        } catch (RuntimeException e) {
            writer.closeQuietly();
            throw e;
        }
    }

    /** Whether this writer carries an audio track (encoded from PCM or copied). */
    public boolean hasAudio() {
        return audioEncoder != null || audioCopy != null && audioCopy.present();
    }

    /** The video encoder in use ({@code libopenh264} or {@code mpeg4}). */
    public String videoCodecName() {
        return videoCodecName;
    }

    private void open(boolean withAudio) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw new MediaException("cannot create the folder for " + file, e);
        }
        format = new AVFormatContext(null);
        Ffmpeg.check(avformat_alloc_output_context2(format, null, "mp4", file.toString()), "cannot create " + file);
        openVideo();
        if (withAudio) {
            openAudio();
        }
        if (audioCopy != null) {
            audioCopy.addStreamTo(format);
        }
        AVIOContext io = new AVIOContext(null);
        Ffmpeg.check(avio_open(io, file.toString(), AVIO_FLAG_WRITE), "cannot write " + file);
        format.pb(io);
        AVDictionary options = new AVDictionary(null);
        av_dict_set(options, "movflags", "+faststart", 0);
        try {
            Ffmpeg.check(avformat_write_header(format, options), "cannot write the header of " + file);
        } finally {
            av_dict_free(options);
        }
        packet = av_packet_alloc();
        LOG.debugf("writing file=%s video=%s %dx%d@%d/%d audio=%s", file, videoCodecName, width, height,
                frameRate.num(), frameRate.den(), withAudio);
    }

    private void openVideo() {
        // 4:2:0 needs even sizes: an odd edge is stretched by one pixel rather than cropped.
        int encodedWidth = (width + 1) & ~1;
        int encodedHeight = (height + 1) & ~1;
        RuntimeException last = null;
        for (String name : VIDEO_ENCODERS) {
            AVCodec codec = avcodec_find_encoder_by_name(name);
            if (codec == null) {
                continue;
            }
            AVCodecContext context = avcodec_alloc_context3(codec);
            context.width(encodedWidth);
            context.height(encodedHeight);
            context.pix_fmt(AV_PIX_FMT_YUV420P);
            context.time_base(new AVRational().num(frameRate.den()).den(frameRate.num()));
            context.framerate(frameRate);
            context.gop_size(Math.max(1, (int) Math.round(2.0 * frameRate.num() / frameRate.den())));
            // ~0.15 bit a pixel: overlays stay crisp without bloating the file.
            context.bit_rate(Math.max(400_000L, (long) (0.15 * encodedWidth * encodedHeight * frameRate.num()
                    / frameRate.den())));
            context.max_b_frames(0);
            if ((format.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
                context.flags(context.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            }
            int ret = avcodec_open2(context, codec, (PointerPointer<?>) null);
            if (ret < 0) {
                last = new MediaException("cannot open encoder " + name + ": " + Ffmpeg.describe(ret));
                avcodec_free_context(context);
                continue;
            }
            videoEncoder = context;
            videoCodecName = name;
            break;
        }
        if (videoEncoder == null) {
            throw last != null ? last : new MediaException("no video encoder available among " + VIDEO_ENCODERS);
        }
        videoStream = avformat_new_stream(format, null);
        videoStream.time_base(videoEncoder.time_base());
        videoStream.avg_frame_rate(frameRate);
        Ffmpeg.check(avcodec_parameters_from_context(videoStream.codecpar(), videoEncoder), "video stream parameters");

        yuv = av_frame_alloc();
        yuv.format(AV_PIX_FMT_YUV420P).width(encodedWidth).height(encodedHeight);
        Ffmpeg.check(av_frame_get_buffer(yuv, 0), "video frame buffer");
        sws = sws_getContext(width, height, AV_PIX_FMT_RGB24, encodedWidth, encodedHeight, AV_PIX_FMT_YUV420P,
                SWS_BICUBIC, null, null, (double[]) null);
        if (sws == null) {
            throw new MediaException("no RGB24 -> YUV420P conversion for " + width + "x" + height);
        }
        rgbBuffer = new BytePointer((long) width * height * 3);
    }

    private void openAudio() {
        AVCodec codec = avcodec_find_encoder_by_name("aac");
        if (codec == null) {
            throw new MediaException("FFmpeg build has no aac encoder");
        }
        audioEncoder = avcodec_alloc_context3(codec);
        audioEncoder.sample_fmt(AV_SAMPLE_FMT_FLTP);
        audioEncoder.sample_rate(AudioFormat.SAMPLE_RATE);
        av_channel_layout_default(audioEncoder.ch_layout(), 1);
        audioEncoder.bit_rate(48_000);
        audioEncoder.time_base(new AVRational().num(1).den(AudioFormat.SAMPLE_RATE));
        if ((format.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
            audioEncoder.flags(audioEncoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        Ffmpeg.check(avcodec_open2(audioEncoder, codec, (PointerPointer<?>) null), "cannot open the aac encoder");
        audioStream = avformat_new_stream(format, null);
        audioStream.time_base(audioEncoder.time_base());
        Ffmpeg.check(avcodec_parameters_from_context(audioStream.codecpar(), audioEncoder), "audio stream parameters");
        audioFrame = av_frame_alloc();
        audioFrame.format(AV_SAMPLE_FMT_FLTP).nb_samples(audioEncoder.frame_size()).sample_rate(AudioFormat.SAMPLE_RATE);
        av_channel_layout_default(audioFrame.ch_layout(), 1);
        Ffmpeg.check(av_frame_get_buffer(audioFrame, 0), "audio frame buffer");
    }

    /** Encodes one frame shown from {@code ptsMicros} on; its size must be the one given at creation. */
    public void writeVideo(VideoFrame frame, long ptsMicros) {
        ensureOpen();
        if (frame.width() != width || frame.height() != height) {
            throw new IllegalArgumentException("frame is " + frame.width() + "x" + frame.height() + ", writer expects "
                    + width + "x" + height);
        }
        long slot = Math.round(Math.max(0, ptsMicros) * (double) frameRate.num() / (frameRate.den() * 1_000_000.0));
        long pts = Math.max(slot, lastVideoPts + 1);
        lastVideoPts = pts;
        rgbBuffer.position(0).put(frame.rgb());
        Ffmpeg.check(av_frame_make_writable(yuv), "video frame not writable");
        try (PointerPointer<BytePointer> src = new PointerPointer<BytePointer>(1).put(0, rgbBuffer.position(0));
                IntPointer srcStride = new IntPointer(1).put(0, width * 3)) {
            sws_scale(sws, src, srcStride, 0, height, yuv.data(), yuv.linesize());
        }
        yuv.pts(pts);
        encode(videoEncoder, videoStream, yuv);
        framesWritten++;
    }

    /**
     * Encodes 16 kHz mono PCM whose first sample plays at {@code startMicros}. Chunks are expected back to back;
     * the first one fixes the audio clock, later start times only matter when the writer has no audio yet.
     */
    public void writeAudio(short[] pcm, long startMicros) {
        ensureOpen();
        if (audioEncoder == null) {
            throw new IllegalStateException(file + " was created without an audio track");
        }
        if (nextAudioPts == Long.MIN_VALUE) {
            nextAudioPts = Math.max(0, startMicros) * AudioFormat.SAMPLE_RATE / 1_000_000L;
        }
        int frameSize = audioEncoder.frame_size();
        for (short sample : pcm) {
            audioPending[audioPendingCount++] = sample / 32768f;
            if (audioPendingCount == frameSize) {
                encodeAudioFrame(frameSize);
            }
        }
    }

    private void encodeAudioFrame(int count) {
        Ffmpeg.check(av_frame_make_writable(audioFrame), "audio frame not writable");
        audioFrame.nb_samples(count);
        new FloatPointer(audioFrame.data(0)).put(audioPending, 0, count);
        audioFrame.pts(nextAudioPts);
        nextAudioPts += count;
        audioPendingCount = 0;
        encode(audioEncoder, audioStream, audioFrame);
    }

    private void encode(AVCodecContext encoder, AVStream stream, AVFrame input) {
        Ffmpeg.check(avcodec_send_frame(encoder, input), file + ": encoding");
        while (true) {
            int ret = avcodec_receive_packet(encoder, packet);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) {
                return;
            }
            Ffmpeg.check(ret, file + ": encoding");
            try {
                av_packet_rescale_ts(packet, encoder.time_base(), stream.time_base());
                packet.stream_index(stream.index());
                Ffmpeg.check(av_interleaved_write_frame(format, packet), file + ": writing");
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    /** Writes the copied audio packets that start up to {@code micros} (file time); a no-op without a copy source. */
    public void copyAudioUntil(long micros) {
        ensureOpen();
        if (audioCopy != null) {
            audioCopy.copyUntil(micros, format, packet);
        }
    }

    /** Frames encoded so far. */
    public long framesWritten() {
        return framesWritten;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("writer for " + file + " is closed");
        }
    }

    /** Flushes both encoders and finishes the file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            if (audioEncoder != null && audioPendingCount > 0) {
                encodeAudioFrame(audioPendingCount);
            }
            if (audioCopy != null) {
                audioCopy.copyUntil(Long.MAX_VALUE, format, packet);
            }
            encode(videoEncoder, videoStream, null);
            if (audioEncoder != null) {
                encode(audioEncoder, audioStream, null);
            }
            Ffmpeg.check(av_write_trailer(format), file + ": writing the index");
        } finally {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        closed = true;
        if (audioCopy != null) {
            audioCopy.close();
            audioCopy = null;
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (yuv != null) {
            av_frame_free(yuv);
            yuv = null;
        }
        if (audioFrame != null) {
            av_frame_free(audioFrame);
            audioFrame = null;
        }
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (videoEncoder != null) {
            avcodec_free_context(videoEncoder);
            videoEncoder = null;
        }
        if (audioEncoder != null) {
            avcodec_free_context(audioEncoder);
            audioEncoder = null;
        }
        if (format != null) {
            if (format.pb() != null) {
                avio_closep(format.pb());
            }
            avformat_free_context(format);
            format = null;
        }
        if (rgbBuffer != null) {
            rgbBuffer.close();
            rgbBuffer = null;
        }
    }
}
