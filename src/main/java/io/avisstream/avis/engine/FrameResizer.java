package io.avisstream.avis.engine;

import io.avisstream.avis.media.VideoFrame;

/**
 * Test-time resize of spec §2.1: short side 360, long side at most 1333, sizes rounded with {@code int(x + 0.5)},
 * resampled like PIL's {@code Image.resize(..., BILINEAR)} on the uint8 RGB image (what detectron2's
 * {@code ResizeTransform} calls).
 *
 * <p>PIL's bilinear filter is a triangle of support 1 stretched by the scale when downscaling (so it
 * antialiases), evaluated separably: a horizontal pass into an 8-bit intermediate image, then a vertical pass.
 * Weights are normalised in double and converted to 22-bit fixed point, and each pass rounds and clips to
 * 0..255. Reproducing those steps gives the same bytes as PIL, which the parity test checks.
 */
public final class FrameResizer {

    /** PIL's fixed-point precision for 8-bit images: 32 - 8 - 2 bits. */
    private static final int PRECISION_BITS = 22;
    private static final int SIZE_DIVISIBILITY = 32;

    private final int shortSide;
    private final int maxLongSide;

    public FrameResizer(int shortSide, int maxLongSide) {
        if (shortSide <= 0 || maxLongSide < shortSide) {
            throw new IllegalArgumentException("need 0 < shortSide <= maxLongSide, got " + shortSide + ", " + maxLongSide);
        }
        this.shortSide = shortSide;
        this.maxLongSide = maxLongSide;
    }

    /** The official test-time sizes: short side 360, long side at most 1333. */
    public static FrameResizer official() {
        return new FrameResizer(360, 1333);
    }

    /** Sizes of a frame through resize and padding, as detectron2's {@code ResizeShortestEdge.get_output_shape}. */
    public FrameGeometry geometry(int width, int height) {
        double scale = (double) shortSide / Math.min(height, width);
        double newHeight;
        double newWidth;
        if (height < width) {
            newHeight = shortSide;
            newWidth = scale * width;
        } else {
            newHeight = scale * height;
            newWidth = shortSide;
        }
        double longSide = Math.max(newHeight, newWidth);
        if (longSide > maxLongSide) {
            double shrink = maxLongSide / longSide;
            newHeight = newHeight * shrink;
            newWidth = newWidth * shrink;
        }
        int resizedWidth = (int) (newWidth + 0.5);
        int resizedHeight = (int) (newHeight + 0.5);
        return new FrameGeometry(width, height, resizedWidth, resizedHeight, padded(resizedWidth), padded(resizedHeight));
    }

    private static int padded(int size) {
        return (size + SIZE_DIVISIBILITY - 1) / SIZE_DIVISIBILITY * SIZE_DIVISIBILITY;
    }

    /**
     * Resizes packed RGB24 and writes planar float CHW (values 0..255) into {@code chw} at {@code offset}:
     * the layout the frame graph's {@code image} input takes.
     */
    public void resizeToChw(VideoFrame frame, FrameGeometry geometry, float[] chw, int offset) {
        byte[] resized = resizeRgb(frame.rgb(), frame.width(), frame.height(), geometry.resizedWidth(),
                geometry.resizedHeight());
        int plane = geometry.resizedWidth() * geometry.resizedHeight();
        for (int p = 0; p < plane; p++) {
            chw[offset + p] = resized[3 * p] & 0xFF;
            chw[offset + plane + p] = resized[3 * p + 1] & 0xFF;
            chw[offset + 2 * plane + p] = resized[3 * p + 2] & 0xFF;
        }
    }

    /** PIL-equivalent bilinear resize of packed RGB24 (3 channels, row-major). */
    public static byte[] resizeRgb(byte[] rgb, int width, int height, int outWidth, int outHeight) {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("rgb24 " + width + "x" + height + " needs " + (width * height * 3) + " bytes");
        }
        byte[] horizontal = rgb;
        if (outWidth != width) {
            Coefficients cx = Coefficients.of(width, outWidth);
            horizontal = new byte[outWidth * height * 3];
            for (int y = 0; y < height; y++) {
                int rowIn = y * width * 3;
                int rowOut = y * outWidth * 3;
                for (int x = 0; x < outWidth; x++) {
                    int first = cx.first[x];
                    int taps = cx.count[x];
                    int base = x * cx.size;
                    for (int c = 0; c < 3; c++) {
                        int acc = 1 << (PRECISION_BITS - 1);
                        for (int t = 0; t < taps; t++) {
                            acc += (rgb[rowIn + (first + t) * 3 + c] & 0xFF) * cx.weights[base + t];
                        }
                        horizontal[rowOut + x * 3 + c] = clip8(acc);
                    }
                }
            }
        }
        if (outHeight == height) {
            return horizontal == rgb ? rgb.clone() : horizontal;
        }
        Coefficients cy = Coefficients.of(height, outHeight);
        byte[] out = new byte[outWidth * outHeight * 3];
        int stride = outWidth * 3;
        for (int y = 0; y < outHeight; y++) {
            int first = cy.first[y];
            int taps = cy.count[y];
            int base = y * cy.size;
            int rowOut = y * stride;
            for (int i = 0; i < stride; i++) {
                int acc = 1 << (PRECISION_BITS - 1);
                for (int t = 0; t < taps; t++) {
                    acc += (horizontal[(first + t) * stride + i] & 0xFF) * cy.weights[base + t];
                }
                out[rowOut + i] = clip8(acc);
            }
        }
        return out;
    }

    private static byte clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Per output pixel: first input pixel, tap count and fixed-point weights (PIL's precompute_coeffs). */
    private record Coefficients(int size, int[] first, int[] count, int[] weights) {

        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = 1.0 * filterScale;
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] first = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * size];
            double[] k = new double[size];
            double inverse = 1.0 / filterScale;
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) {
                    xmin = 0;
                }
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) {
                    xmax = inSize;
                }
                xmax -= xmin;
                double total = 0.0;
                for (int x = 0; x < xmax; x++) {
                    double w = triangle((x + xmin - center + 0.5) * inverse);
                    k[x] = w;
                    total += w;
                }
                for (int x = 0; x < xmax; x++) {
                    double w = total != 0.0 ? k[x] / total : k[x];
                    weights[xx * size + x] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS))
                            : (int) (0.5 + w * (1 << PRECISION_BITS));
                }
                first[xx] = xmin;
                count[xx] = xmax;
            }
            return new Coefficients(size, first, count, weights);
        }

        private static double triangle(double x) {
            double a = Math.abs(x);
            return a < 1.0 ? 1.0 - a : 0.0;
        }
    }
}
