package io.avisstream.avis.demo;

/**
 * One vivid colour per track id. Hues step by the golden ratio, so consecutive ids (the common case: tracks open
 * one after another) land far apart on the colour wheel, and the colour of an id never depends on which other
 * tracks exist.
 */
final class TrackColours {

    private static final double GOLDEN = 0.6180339887498949;

    private TrackColours() {
    }

    /** Packed {@code 0xRRGGBB}. */
    static int of(long trackId) {
        double hue = (0.11 + Math.abs(trackId) * GOLDEN) % 1.0;
        return hsvToRgb(hue, 0.80, 1.0);
    }

    static int hsvToRgb(double hue, double saturation, double value) {
        double h = hue * 6.0;
        int sector = (int) Math.floor(h) % 6;
        double f = h - Math.floor(h);
        double p = value * (1 - saturation);
        double q = value * (1 - saturation * f);
        double t = value * (1 - saturation * (1 - f));
        double r;
        double g;
        double b;
        switch (sector) {
            case 0 -> { r = value; g = t; b = p; }
            case 1 -> { r = q; g = value; b = p; }
            case 2 -> { r = p; g = value; b = t; }
            case 3 -> { r = p; g = q; b = value; }
            case 4 -> { r = t; g = p; b = value; }
            default -> { r = value; g = p; b = q; }
        }
        return (to8(r) << 16) | (to8(g) << 8) | to8(b);
    }

    private static int to8(double channel) {
        return (int) Math.round(Math.max(0, Math.min(1, channel)) * 255);
    }
}
