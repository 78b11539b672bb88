package io.avisstream.avis.topology;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.FrameEncoding;
import io.avisstream.avis.message.FrameMessage;

/** Tiny synthetic frames and audio for the topology tests. */
final class TestStreams {
    static final int W = 32;
    static final int H = 24;
    /** 25 fps. */
    static final long FRAME_MICROS = 40_000;
    /** 100 ms chunks = 1600 samples. */
    static final long CHUNK_MICROS = 100_000;
    static final int CHUNK_SAMPLES = 1600;

    private TestStreams() {
    }

    /** A black 32x24 rgb24 frame with a coloured square whose position moves with seq. */
    static FrameMessage frame(String stream, long seq, int rgb) {
        byte[] data = new byte[W * H * 3];
        int x0 = (int) (seq % 20);
        for (int y = 4; y < 10; y++) {
            for (int x = x0; x < x0 + 6; x++) {
                int p = (y * W + x) * 3;
                data[p] = (byte) (rgb >> 16);
                data[p + 1] = (byte) (rgb >> 8);
                data[p + 2] = (byte) rgb;
            }
        }
        return new FrameMessage(stream, seq, seq * FRAME_MICROS, W, H, FrameEncoding.RGB24, data);
    }

    static FrameMessage frame(String stream, long seq) {
        return frame(stream, seq, 0xff0000);
    }

    /** Chunk i covers [i * 100 ms, (i + 1) * 100 ms); loud = a full-scale square wave, else silence. */
    static AudioChunkMessage chunk(String stream, int i, boolean loud) {
        short[] samples = new short[CHUNK_SAMPLES];
        if (loud) {
            for (int k = 0; k < samples.length; k++) {
                samples[k] = (short) ((k / 8) % 2 == 0 ? 8000 : -8000);
            }
        }
        return AudioChunkMessage.of(stream, i * CHUNK_MICROS, samples);
    }

    static byte[] jpeg(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0xff0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A real JPEG of {@code w}x{@code h} whose SOF0 header claims {@code claimedW}x{@code claimedH}. */
    static byte[] jpegClaiming(int w, int h, int claimedW, int claimedH) {
        return io.avisstream.avis.media.FrameImagesTest.withSofSize(jpeg(w, h), claimedW, claimedH);
    }
}
