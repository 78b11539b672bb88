package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfTest {

    @Test
    void shouldConvertKnownBinary16Values() {
        assertThat(Half.fromFloat(1f)).isEqualTo((short) 0x3c00);
        assertThat(Half.fromFloat(-2f)).isEqualTo((short) 0xc000);
        assertThat(Half.fromFloat(65504f)).isEqualTo((short) 0x7bff);
        assertThat(Half.fromFloat(1e6f)).isEqualTo((short) 0x7c00);
        assertThat(Half.fromFloat(5.960464477539063e-8f)).isEqualTo((short) 0x0001);
        assertThat(Half.toFloat((short) 0x3555)).isEqualTo(0.33325195f);
        assertThat(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN)))).isTrue();
    }

    @Test
    void shouldRoundTripWithinHalfPrecision() {
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 10_000; i++) {
            float v = (float) (random.nextGaussian() * 10);
            float back = Half.toFloat(Half.fromFloat(v));
            assertThat(Math.abs(back - v)).isLessThanOrEqualTo(Math.abs(v) * 0x1p-11f + 1e-7f);
        }
    }

    @Test
    void shouldRoundTiesToEven() {
        // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1.0)
        assertThat(Half.fromFloat(1f + 0x1p-11f)).isEqualTo((short) 0x3c00);
        // 1 + 3*2^-11 lies halfway between 1+2^-10 (odd) and 1+2^-9 (even)
        assertThat(Half.fromFloat(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3c02);
    }
}
