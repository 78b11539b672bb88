package io.avisstream.avis.ingest;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.avdevice.avdevice_register_all;

import java.nio.charset.StandardCharsets;

/** Small helpers shared by the FFmpeg reader and writer: error text and one-time library setup. */
final class Ffmpeg {

    private static volatile boolean initialised;

    /** Why capture devices are unavailable here (a missing native library), or null. */
    static volatile String devicesUnavailable;

    private Ffmpeg() {
    }

    /** Silences FFmpeg's own stderr logging (our code reports what matters) and registers capture devices. */
    static void init() {
        if (!initialised) {
            synchronized (Ffmpeg.class) {
                if (!initialised) {
                    // FFmpeg's own console messages are off: every failure reaches the user once, as one sentence
                    // of ours (sentence()), never as FFmpeg's raw text next to it.
                    av_log_set_level(AV_LOG_QUIET);
                    try {
                        avdevice_register_all();
                    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                        // Capture devices (V4L2) need X/xcb libraries that a slim image lacks; files and network
                        // sources do not. A device input then fails to open with one sentence.
                        devicesUnavailable = e.getMessage();
                    }
                    initialised = true;
                }
            }
        }
    }

    /** Returns {@code ret} when it is not an error, otherwise throws with FFmpeg's text for the code. */
    static int check(int ret, String what) {
        if (ret < 0) {
            throw new MediaException(sentence(what, ret, null));
        }
        return ret;
    }

    /**
     * One sentence for a failed call: what was attempted and why, in words ({@code cannot open udp://...: no data
     * within the timeout}); never FFmpeg's negative code.
     *
     * @param interruptReason why our interrupt callback ended the call ({@code stopped}, {@code no data}), or null
     */
    static String sentence(String what, int errorCode, String interruptReason) {
        if (interruptReason != null) {
            return what + ": " + (interruptReason.equals("stopped") ? "stopped" : "no data within the timeout");
        }
        String text = describe(errorCode);
        if (text.startsWith("Error number") || text.isBlank()) {
            text = "unknown FFmpeg error";
        }
        return what + ": " + Character.toLowerCase(text.charAt(0)) + text.substring(1);
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
