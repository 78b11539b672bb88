package io.avisstream.avis.topology;

import java.nio.ByteBuffer;

import io.avisstream.avis.message.AudioFormat;
import io.avisstream.avis.message.FrameEncoding;
import io.avisstream.avis.message.FrameMessage;

/**
 * Binary layouts of the join's stores (big-endian, first byte = format version):
 *
 * <pre>
 * pending frame v1: u8 1 | i64 seq | i64 pts | i64 recordTimestamp | i32 width | i32 height | u8 encoding
 *                   | i32 n | n bytes data      (stream id is in the key)
 * audio chunk v2:   u8 2 | i64 startMicros | u8 encoding | i32 n | n bytes PCM   (f32le chunks; encoding: 0 s16le,
 *                   1 f32le, fixed codes, not the enum's order)
 * audio chunk v1:   u8 1 | i64 startMicros | i32 n | n bytes s16le PCM  (s16le chunks, still written for them: an
 *                   instance that predates v2 can restore such a store during a rolling upgrade)
 * stream clock v1:  u8 1 | i64 streamTime | i64 lastEmittedSeq | i64 lastEmittedPts | i64 lastActivityWallMs
 *                   | i32 pendingFrames | i64 audioTime
 * </pre>
 */
final class JoinStateCodec {
    static final byte V1 = 1;
    /** Audio chunks with an encoding byte (f32le); the other layouts are still v1. */
    static final byte AUDIO_V2 = 2;

    private JoinStateCodec() {
    }

    record PendingFrame(FrameMessage frame, long recordTimestamp) {
    }

    /**
     * Per-stream join clock.
     *
     * @param streamTime newest frame pts seen (Long.MIN_VALUE before the first frame)
     * @param lastEmittedSeq seq of the last emitted frame, -1 before the first
     * @param lastEmittedPts its pts, -1 before the first
     * @param lastActivityWallMs wall-clock time of the stream's last record (diagnostic only: the idle flush measures
     *        idleness from the current incarnation's records, so a restart never flushes on a time saved before it)
     * @param pendingFrames frames buffered
     * @param audioTime end of the newest audio chunk (Long.MIN_VALUE before the first)
     */
    record StreamClock(long streamTime, long lastEmittedSeq, long lastEmittedPts, long lastActivityWallMs,
            int pendingFrames, long audioTime) {
        static StreamClock initial(long nowMs) {
            return new StreamClock(Long.MIN_VALUE, -1, -1, nowMs, 0, Long.MIN_VALUE);
        }

        StreamClock withActivity(long nowMs) {
            return new StreamClock(streamTime, lastEmittedSeq, lastEmittedPts, nowMs, pendingFrames, audioTime);
        }

        StreamClock withFrame(long pts) {
            return new StreamClock(Math.max(streamTime, pts), lastEmittedSeq, lastEmittedPts, lastActivityWallMs,
                    pendingFrames + 1, audioTime);
        }

        StreamClock withAudio(long end) {
            return new StreamClock(streamTime, lastEmittedSeq, lastEmittedPts, lastActivityWallMs, pendingFrames,
                    Math.max(audioTime, end));
        }

        StreamClock emitted(long seq, long pts) {
            return new StreamClock(streamTime, seq, pts, lastActivityWallMs, pendingFrames - 1, audioTime);
        }
    }

    static byte[] encodeFrame(FrameMessage f, long recordTimestamp) {
        ByteBuffer b = ByteBuffer.allocate(1 + 8 * 3 + 4 * 2 + 1 + 4 + f.data().length);
        b.put(V1).putLong(f.seq()).putLong(f.ptsMicros()).putLong(recordTimestamp).putInt(f.width())
                .putInt(f.height()).put((byte) f.encoding().ordinal()).putInt(f.data().length).put(f.data());
        return b.array();
    }

    static PendingFrame decodeFrame(String streamId, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        checkVersion(b.get(), "pending frame");
        long seq = b.getLong();
        long pts = b.getLong();
        long ts = b.getLong();
        int w = b.getInt();
        int h = b.getInt();
        FrameEncoding enc = FrameEncoding.values()[b.get()];
        byte[] data = new byte[b.getInt()];
        b.get(data);
        return new PendingFrame(new FrameMessage(streamId, seq, pts, w, h, enc, data), ts);
    }

    /** pts of a stored frame without decoding its image bytes. */
    static long framePts(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 9, 8).getLong();
    }

    /** A stored chunk: v1 (the layout before encodings existed) for s16le, v2 for other encodings. */
    static byte[] encodeAudio(long startMicros, AudioFormat.Encoding encoding, byte[] pcm) {
        if (encoding == AudioFormat.Encoding.S16LE) {
            return ByteBuffer.allocate(1 + 8 + 4 + pcm.length).put(V1).putLong(startMicros).putInt(pcm.length).put(pcm)
                    .array();
        }
        return ByteBuffer.allocate(1 + 8 + 1 + 4 + pcm.length).put(AUDIO_V2).putLong(startMicros)
                .put(encodingCode(encoding)).putInt(pcm.length).put(pcm).array();
    }

    /** Samples of a stored chunk, without decoding them. */
    static int audioSampleCount(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        AudioFormat.Encoding encoding = audioEncoding(b);
        return b.getInt() / encoding.bytesPerSample();
    }

    /** Samples of a stored chunk at full scale 1.0 (v1 and v2). */
    static float[] audioSamples(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        AudioFormat.Encoding encoding = audioEncoding(b);
        byte[] pcm = new byte[b.getInt()];
        b.get(pcm);
        return encoding.decode(pcm);
    }

    private static byte encodingCode(AudioFormat.Encoding encoding) {
        return switch (encoding) {
            case S16LE -> 0;
            case F32LE -> 1;
        };
    }

    /** Reads version, start and encoding; leaves {@code b} at the PCM length. */
    private static AudioFormat.Encoding audioEncoding(ByteBuffer b) {
        byte version = b.get();
        b.getLong();
        if (version == V1) {
            return AudioFormat.Encoding.S16LE;
        }
        if (version == AUDIO_V2) {
            byte code = b.get();
            return switch (code) {
                case 0 -> AudioFormat.Encoding.S16LE;
                case 1 -> AudioFormat.Encoding.F32LE;
                default -> throw new IllegalStateException("unknown audio chunk encoding " + code);
            };
        }
        throw new IllegalStateException("unknown audio chunk format version " + version);
    }

    static byte[] encodeClock(StreamClock c) {
        return ByteBuffer.allocate(1 + 8 * 5 + 4).put(V1).putLong(c.streamTime()).putLong(c.lastEmittedSeq())
                .putLong(c.lastEmittedPts()).putLong(c.lastActivityWallMs()).putInt(c.pendingFrames())
                .putLong(c.audioTime()).array();
    }

    static StreamClock decodeClock(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        checkVersion(b.get(), "stream clock");
        return new StreamClock(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getInt(), b.getLong());
    }

    private static void checkVersion(byte version, String what) {
        if (version != V1) {
            throw new IllegalStateException("unknown " + what + " format version " + version);
        }
    }
}
