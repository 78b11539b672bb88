package io.avisstream.avis.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Minimal reader of NumPy v1/v2 {@code .npy} files (little-endian, C order): the reference vectors' format. */
public record Npy(String dtype, long[] shape, ByteBuffer data) {

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    public static Npy read(Path path) {
        try {
            return parse(Files.readAllBytes(path), path.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    public static Npy resource(String name) {
        try (InputStream in = Npy.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return parse(in.readAllBytes(), name);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    private static Npy parse(byte[] bytes, String source) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || bytes[0] != (byte) 0x93 || bytes[1] != 'N') {
            throw new IllegalStateException(source + " is not a .npy file");
        }
        int major = bytes[6];
        int headerLength = major == 1 ? Short.toUnsignedInt(buffer.getShort(8)) : buffer.getInt(8);
        int headerStart = major == 1 ? 10 : 12;
        String header = new String(bytes, headerStart, headerLength, StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeText = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeText.find()) {
            throw new IllegalStateException(source + ": unreadable header " + header);
        }
        if (fortran.group(1).equals("True")) {
            throw new IllegalStateException(source + ": Fortran order is not supported");
        }
        long[] shape = Arrays.stream(shapeText.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        ByteBuffer data = ByteBuffer.wrap(bytes, headerStart + headerLength, bytes.length - headerStart - headerLength)
                .slice().order(ByteOrder.LITTLE_ENDIAN);
        return new Npy(descr.group(1), shape, data);
    }

    public long size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public float[] floats() {
        int n = Math.toIntExact(size());
        float[] out = new float[n];
        switch (dtype) {
            case "<f4" -> data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            case "<f8" -> {
                double[] d = doubles();
                for (int i = 0; i < n; i++) {
                    out[i] = (float) d[i];
                }
            }
            default -> throw new IllegalStateException("not a float array: " + dtype);
        }
        return out;
    }

    public double[] doubles() {
        int n = Math.toIntExact(size());
        double[] out = new double[n];
        if (dtype.equals("<f8")) {
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
        } else {
            float[] f = floats();
            for (int i = 0; i < n; i++) {
                out[i] = f[i];
            }
        }
        return out;
    }

    public long[] longs() {
        int n = Math.toIntExact(size());
        long[] out = new long[n];
        switch (dtype) {
            case "<i8" -> data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
            case "<i4" -> {
                int[] ints = new int[n];
                data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(ints);
                for (int i = 0; i < n; i++) {
                    out[i] = ints[i];
                }
            }
            default -> throw new IllegalStateException("not an integer array: " + dtype);
        }
        return out;
    }

    public short[] shorts() {
        if (!dtype.equals("<i2")) {
            throw new IllegalStateException("not int16: " + dtype);
        }
        short[] out = new short[Math.toIntExact(size())];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
        return out;
    }

    /** uint8 and bool arrays, one byte per element. */
    public byte[] bytes() {
        if (!dtype.equals("|u1") && !dtype.equals("|b1")) {
            throw new IllegalStateException("not a byte array: " + dtype);
        }
        byte[] out = new byte[Math.toIntExact(size())];
        data.duplicate().get(out);
        return out;
    }
}
