package io.avisstream.avis.engine;

import java.util.Arrays;

/** A float32 tensor in Java memory, C order: what crosses the {@link GraphSession} boundary. */
public record HostTensor(long[] shape, float[] data) {

    public HostTensor {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (data.length != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " floats, got "
                    + data.length);
        }
    }

    public static HostTensor of(float[] data, long... shape) {
        return new HostTensor(shape, data);
    }

    public int dim(int axis) {
        return Math.toIntExact(shape[axis]);
    }

    @Override
    public String toString() {
        return "HostTensor" + Arrays.toString(shape);
    }
}
