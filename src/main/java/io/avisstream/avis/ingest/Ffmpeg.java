package io.avisstream.avis.ingest;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;

/** Small helpers shared by the FFmpeg reader and writer: error text and one-time library setup. */
final class Ffmpeg {

    private static volatile boolean initialised;

    private Ffmpeg() {
    }

    /** Keeps FFmpeg's own stderr logging to errors; our code logs what matters through JBoss Logging. */
    static void init() {
        if (!initialised) {
            synchronized (Ffmpeg.class) {
                if (!initialised) {
                    av_log_set_level(AV_LOG_ERROR);
                    initialised = true;
                }
            }
        }
    }

    /** Returns {@code ret} when it is not an error, otherwise throws with FFmpeg's text for the code. */
    static int check(int ret, String what) {
        if (ret < 0) {
            throw new MediaException(what + ": " + describe(ret) + " (" + ret + ")");
        }
        return ret;
    }

    static String describe(int errorCode) {
        byte[] buffer = new byte[256];
        if (av_strerror(errorCode, buffer, buffer.length) < 0) {
            return "unknown FFmpeg error";
        }
        int end = 0;
        while (end < buffer.length && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, 0, end, StandardCharsets.UTF_8);
    }
}
