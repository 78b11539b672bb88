package io.avisstream.avis.ingest;

import io.avisstream.avis.audio.LogMelFrontEnd;
import io.avisstream.avis.AvisCommand;
import io.avisstream.avis.message.AudioFormat;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * {@code mel --input MEDIA --out PATCHES.npy [--frames N] [--audio-encoding f32le|s16le]}: writes the (N, 96, 64)
 * float32 log-mel patches the service feeds the model for frames at t = 0, 1, 2, ... s of MEDIA ({@link ModelPatches}:
 * same decode, resampler, audio-topic encoding, window and patch rule as the service). N defaults to the file's
 * duration in seconds, rounded up; the encoding to what {@code ingest} sends by default (f32le).
 * Exit codes: 0 done, 64 usage, 66 unreadable input, 73 output not writable.
 */
@ApplicationScoped
public class MelCommand implements AvisCommand {

    static final String USAGE = "mel --input MEDIA --out PATCHES.npy [--frames N] [--audio-encoding f32le|s16le]";
    static final int EXIT_BAD_INPUT = 66;
    static final int EXIT_CANT_CREATE = 73;
    private static final Logger LOG = Logger.getLogger(MelCommand.class);

    record Options(Path input, Path out, Integer frames, AudioFormat.Encoding encoding) {
    }

    @Override
    public String name() {
        return "mel";
    }

    @Override
    public String description() {
        return "log-mel patches the model hears for frames at t = 0,1,2,... s: " + USAGE;
    }

    @Override
    public String usage() {
        return "usage: " + USAGE + "\nexit codes: 0 done, 64 usage, 66 unreadable input, 73 output not writable";
    }

    @Override
    public int run(String... args) {
        Options options = parse(args);
        if (!Files.isRegularFile(options.input()) || !Files.isReadable(options.input())) {
            LOG.errorf("mel: --input %s is not a readable file", options.input());
            return EXIT_BAD_INPUT;
        }
        ModelPatches patches;
        try {
            patches = ModelPatches.read(options.input(), options.encoding());
        } catch (MediaException e) {
            LOG.errorf("mel: cannot read %s: %s", options.input(), e.getMessage());
            return EXIT_BAD_INPUT;
        }
        int frames = options.frames() != null ? options.frames() : patches.defaultFrames();
        float[][] out = patches.patches(frames);
        try {
            writeNpy(options.out(), out);
        } catch (IOException e) {
            LOG.errorf("mel: cannot write %s (%s)", options.out(), e.getClass().getSimpleName());
            return EXIT_CANT_CREATE;
        }
        LOG.infof("mel: %d patches of %s (audio %s, sent as %s) -> %s", frames, options.input(),
                patches.info().hasAudio() ? patches.info().audioSampleRate() + " Hz x" + patches.info().audioChannels()
                        : "none", options.encoding().wire(), options.out());
        return 0;
    }

    /** Parses the arguments; a usage error is an {@link IllegalArgumentException} (one line, exit 64). */
    static Options parse(String... args) {
        Path input = null;
        Path out = null;
        Integer frames = null;
        AudioFormat.Encoding encoding = AudioFormat.PRODUCER_ENCODING;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.equals("--input") && !arg.equals("--out") && !arg.equals("--frames")
                    && !arg.equals("--audio-encoding")) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'; usage: " + USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value; usage: " + USAGE);
            }
            String value = args[++i];
            switch (arg) {
                case "--input" -> input = Path.of(value);
                case "--out" -> out = Path.of(value);
                case "--audio-encoding" -> encoding = AudioFormat.Encoding.ofWire(value, arg);
                default -> {
                    try {
                        frames = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        frames = -1;
                    }
                    if (frames < 0) {
                        throw new IllegalArgumentException("--frames must be a whole number >= 0, got '" + value + "'");
                    }
                }
            }
        }
        if (input == null || out == null) {
            throw new IllegalArgumentException("--input and --out are required; usage: " + USAGE);
        }
        return new Options(input, out, frames, encoding);
    }

    /** NumPy .npy v1.0, little-endian float32, C order, shape (N, 96, 64). */
    static void writeNpy(Path path, float[][] patches) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + patches.length + ", "
                + LogMelFrontEnd.PATCH_FRAMES + ", " + LogMelFrontEnd.MEL_BANDS + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length());
        ByteBuffer body = ByteBuffer.allocate(patches.length * LogMelFrontEnd.PATCH_LENGTH * 4)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (float[] patch : patches) {
            body.asFloatBuffer().put(patch);
            body.position(body.position() + patch.length * 4);
        }
        try (OutputStream os = Files.newOutputStream(path)) {
            os.write(head.array());
            os.write(header.getBytes(StandardCharsets.US_ASCII));
            os.write(body.array());
        }
    }
}
