package io.avisstream.avis.demo;

/** Drawing primitives over a packed RGB24 buffer; everything is clipped to the image. */
final class RgbCanvas {

    private final int width;
    private final int height;
    private final byte[] rgb;

    RgbCanvas(int width, int height, byte[] rgb) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    void set(int x, int y, int colour) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return;
        }
        int i = (y * width + x) * 3;
        rgb[i] = (byte) (colour >>> 16);
        rgb[i + 1] = (byte) (colour >>> 8);
        rgb[i + 2] = (byte) colour;
    }

    /** {@code pixel = (1 - alpha) * pixel + alpha * colour}. */
    void blend(int x, int y, int colour, double alpha) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return;
        }
        int i = (y * width + x) * 3;
        rgb[i] = mix(rgb[i], colour >>> 16, alpha);
        rgb[i + 1] = mix(rgb[i + 1], colour >>> 8, alpha);
        rgb[i + 2] = mix(rgb[i + 2], colour, alpha);
    }

    private static byte mix(byte current, int target, double alpha) {
        double value = (1 - alpha) * (current & 0xff) + alpha * (target & 0xff);
        return (byte) Math.round(value);
    }

    void fillRect(int x, int y, int w, int h, int colour, double alpha) {
        int x0 = Math.max(0, x);
        int y0 = Math.max(0, y);
        int x1 = Math.min(width, x + w);
        int y1 = Math.min(height, y + h);
        for (int yy = y0; yy < y1; yy++) {
            for (int xx = x0; xx < x1; xx++) {
                if (alpha >= 1.0) {
                    set(xx, yy, colour);
                } else {
                    blend(xx, yy, colour, alpha);
                }
            }
        }
    }

    /** Rectangle outline {@code thickness} pixels wide, drawn inside the box. */
    void strokeRect(int x, int y, int w, int h, int thickness, int colour) {
        if (w <= 0 || h <= 0) {
            return;
        }
        int t = Math.min(thickness, Math.min((w + 1) / 2, (h + 1) / 2));
        fillRect(x, y, w, t, colour, 1.0);
        fillRect(x, y + h - t, w, t, colour, 1.0);
        fillRect(x, y, t, h, colour, 1.0);
        fillRect(x + w - t, y, t, h, colour, 1.0);
    }

    /** Draws {@code text} with its top-left corner at (x, y), each font pixel a {@code scale x scale} square. */
    void text(String text, int x, int y, int scale, int colour) {
        for (int c = 0; c < text.length(); c++) {
            int left = x + c * BitmapFont.ADVANCE * scale;
            for (int gy = 0; gy < BitmapFont.GLYPH_HEIGHT; gy++) {
                for (int gx = 0; gx < BitmapFont.GLYPH_WIDTH; gx++) {
                    if (BitmapFont.pixel(text.charAt(c), gx, gy)) {
                        fillRect(left + gx * scale, y + gy * scale, scale, scale, colour, 1.0);
                    }
                }
            }
        }
    }
}
