import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs an exported ACVIS graph in ONNX Runtime on the reference inputs written by
 * {@code acvis.export} and compares every output with the PyTorch reference.
 *
 * <pre>
 * java -cp onnxruntime-1.23.2.jar engines/tools/OrtCheck.java [--tol 1e-4] graph.onnx refdir [refdir...]
 * </pre>
 *
 * A reference directory holds {@code inputs/<name>.npy} and {@code outputs/<name>.npy}. The error of
 * an element is {@code |ort - ref| / max(1, |ref|)}: absolute for small values, relative for large
 * ones. Prints max abs and max relative error per output; exits 1 when any error exceeds the
 * tolerance (default 1e-4), 2 on usage or I/O problems.
 */
public final class OrtCheck {

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** A little-endian C-order array loaded from a NumPy v1/v2 .npy file, held as doubles. */
    record Npy(String kind, int itemSize, long[] shape, double[] values) {
        long size() {
            return values.length;
        }
    }

    private OrtCheck() {
    }

    static Npy readNpy(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || bytes[1] != 'N') {
            throw new IOException(path + ": not a .npy file");
        }
        int major = bytes[6];
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int offset;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xffff;
            offset = 10;
        } else {
            headerLen = buf.getInt(8);
            offset = 12;
        }
        String header = new String(bytes, offset, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException(path + ": unreadable header " + header);
        }
        if (d.group(1).equals(">")) {
            throw new IOException(path + ": big-endian data not supported");
        }
        if (f.group(1).equals("True")) {
            throw new IOException(path + ": Fortran order not supported");
        }
        String kind = d.group(2);
        int itemSize = Integer.parseInt(d.group(3));
        long[] shape = Arrays.stream(s.group(1).split(","))
                .map(String::trim).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        double[] values = new double[Math.toIntExact(count)];
        buf.position(offset + headerLen);
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (kind + itemSize) {
                case "f4" -> buf.getFloat();
                case "f8" -> buf.getDouble();
                case "i8" -> buf.getLong();
                case "i4" -> buf.getInt();
                case "b1", "u1" -> buf.get() & 0xff;
                default -> throw new IOException(path + ": unsupported dtype " + kind + itemSize);
            };
        }
        return new Npy(kind, itemSize, shape, values);
    }

    static OnnxTensor toTensor(OrtEnvironment env, Npy npy) throws Exception {
        if (npy.kind().equals("f")) {
            FloatBuffer fb = FloatBuffer.allocate(npy.values().length);
            for (double v : npy.values()) {
                fb.put((float) v);
            }
            fb.flip();
            return OnnxTensor.createTensor(env, fb, npy.shape());
        }
        if (npy.kind().equals("i")) {
            LongBuffer lb = LongBuffer.allocate(npy.values().length);
            for (double v : npy.values()) {
                lb.put((long) v);
            }
            lb.flip();
            return OnnxTensor.createTensor(env, lb, npy.shape());
        }
        boolean[] flat = new boolean[npy.values().length];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = npy.values()[i] != 0;
        }
        return OnnxTensor.createTensor(env, ByteBuffer.wrap(toBytes(flat)), npy.shape(),
                ai.onnxruntime.OnnxJavaType.BOOL);
    }

    private static byte[] toBytes(boolean[] flat) {
        byte[] b = new byte[flat.length];
        for (int i = 0; i < flat.length; i++) {
            b[i] = (byte) (flat[i] ? 1 : 0);
        }
        return b;
    }

    static double[] values(OnnxTensor t) {
        switch (t.getInfo().type) {
            case FLOAT -> {
                FloatBuffer fb = t.getFloatBuffer();
                double[] out = new double[fb.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = fb.get(i);
                }
                return out;
            }
            case INT64 -> {
                LongBuffer lb = t.getLongBuffer();
                double[] out = new double[lb.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = lb.get(i);
                }
                return out;
            }
            case BOOL -> {
                ByteBuffer bb = t.getByteBuffer();
                double[] out = new double[bb.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = bb.get(i);
                }
                return out;
            }
            default -> throw new IllegalArgumentException("unsupported output type " + t.getInfo().type);
        }
    }

    private static Map<String, Npy> readDir(Path dir) throws IOException {
        Map<String, Npy> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".npy")) {
                    out.put(name.substring(0, name.length() - 4), readNpy(p));
                }
            }
        }
        return out;
    }

    /** Checks one reference directory; returns true when every output is within tolerance. */
    static boolean check(OrtEnvironment env, OrtSession session, Path refDir, double tol) throws Exception {
        Map<String, Npy> inputs = readDir(refDir.resolve("inputs"));
        Map<String, Npy> expected = readDir(refDir.resolve("outputs"));
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        boolean ok = true;
        try {
            for (var e : inputs.entrySet()) {
                feed.put(e.getKey(), toTensor(env, e.getValue()));
            }
            long start = System.nanoTime();
            try (OrtSession.Result result = session.run(feed)) {
                double ms = (System.nanoTime() - start) / 1e6;
                System.out.printf("%s  (run %.1f ms)%n", refDir, ms);
                for (var e : expected.entrySet()) {
                    Optional<OnnxValue> value = result.get(e.getKey());
                    if (value.isEmpty()) {
                        System.out.printf("  %-16s MISSING in graph outputs%n", e.getKey());
                        ok = false;
                        continue;
                    }
                    OnnxTensor t = (OnnxTensor) value.get();
                    long[] shape = t.getInfo().getShape();
                    if (!Arrays.equals(shape, e.getValue().shape())) {
                        System.out.printf("  %-16s SHAPE %s != reference %s%n", e.getKey(),
                                Arrays.toString(shape), Arrays.toString(e.getValue().shape()));
                        ok = false;
                        continue;
                    }
                    double[] got = values(t);
                    double[] ref = e.getValue().values();
                    double maxAbs = 0;
                    double maxErr = 0;
                    long over = 0;
                    boolean nan = false;
                    for (int i = 0; i < ref.length; i++) {
                        if (Double.isNaN(got[i]) != Double.isNaN(ref[i])) {
                            nan = true;
                            continue;
                        }
                        double abs = Math.abs(got[i] - ref[i]);
                        double err = abs / Math.max(1.0, Math.abs(ref[i]));
                        maxAbs = Math.max(maxAbs, abs);
                        maxErr = Math.max(maxErr, err);
                        if (err > tol) {
                            over++;
                        }
                    }
                    boolean pass = !nan && over == 0;
                    ok &= pass;
                    System.out.printf("  %-16s %-20s max_abs=%.3e max_rel=%.3e %s%n", e.getKey(),
                            Arrays.toString(shape), maxAbs, maxErr,
                            pass ? "OK" : (nan ? "NaN MISMATCH" : "FAIL (" + over + " over tol)"));
                }
            }
        } finally {
            for (OnnxTensor t : feed.values()) {
                t.close();
            }
        }
        return ok;
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        double tol = 1e-4;
        int threads = 2;
        while (!rest.isEmpty() && rest.get(0).startsWith("--")) {
            String flag = rest.remove(0);
            if (rest.isEmpty()) {
                usage();
            }
            switch (flag) {
                case "--tol" -> tol = Double.parseDouble(rest.remove(0));
                case "--threads" -> threads = Integer.parseInt(rest.remove(0));
                default -> usage();
            }
        }
        if (rest.size() < 2) {
            usage();
        }
        Path model = Path.of(rest.get(0));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        boolean ok = true;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            try (OrtSession session = env.createSession(model.toString(), opts)) {
                System.out.printf("%s  inputs=%s outputs=%s tol=%.1e%n", model, session.getInputNames(),
                        session.getOutputNames(), tol);
                for (String dir : rest.subList(1, rest.size())) {
                    ok &= check(env, session, Path.of(dir), tol);
                }
            }
        }
        System.out.println(ok ? "PASS" : "FAIL");
        System.exit(ok ? 0 : 1);
    }

    private static void usage() {
        System.err.println("usage: java -cp onnxruntime.jar OrtCheck.java [--tol 1e-4] [--threads 2] "
                + "graph.onnx refdir [refdir...]");
        System.exit(2);
    }
}
