package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.logging.Logger;

/**
 * Numeric comparison of a Java result with its Python reference, reported like Mask2Former's op check
 * (max absolute and max relative error). The pass criterion is {@code |a - e| <= tol * max(|e|, 1)}:
 * relative where values are large, absolute near zero (where a relative error means nothing).
 */
public record Parity(String name, int count, double maxAbs, double maxRel, double maxScaled) {

    private static final Logger LOG = Logger.getLogger(Parity.class);

    public static Parity of(String name, float[] expected, float[] actual) {
        assertThat(actual).as(name + " length").hasSameSizeAs(expected);
        double maxAbs = 0;
        double maxRel = 0;
        double maxScaled = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double diff = Math.abs((double) actual[i] - e);
            if (Double.isNaN(diff)) {
                diff = Double.POSITIVE_INFINITY;
            }
            maxAbs = Math.max(maxAbs, diff);
            if (Math.abs(e) > 1e-6) {
                maxRel = Math.max(maxRel, diff / Math.abs(e));
            }
            maxScaled = Math.max(maxScaled, diff / Math.max(Math.abs(e), 1.0));
        }
        Parity parity = new Parity(name, expected.length, maxAbs, maxRel, maxScaled);
        LOG.infof("parity %s: n=%d max_abs=%.3e max_rel=%.3e max_scaled=%.3e", name, parity.count, maxAbs, maxRel,
                maxScaled);
        return parity;
    }

    public Parity assertWithin(double tolerance) {
        assertThat(maxScaled).as("%s: max |a-e|/max(|e|,1) (max_abs=%.3e, max_rel=%.3e)", name, maxAbs, maxRel)
                .isLessThanOrEqualTo(tolerance);
        return this;
    }
}
