package io.avisstream.avis.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code evaluate} command without the Quarkus wiring: reads the inputs, evaluates, prints the table and
 * writes the files. Exit codes: 0 done, 65 malformed input (one line naming the file and the entry),
 * 66 an input that cannot be read, 73 an output that cannot be written. Usage errors throw
 * {@link IllegalArgumentException} (64 through the entry point).
 */
public final class EvaluateRun {
    public static final int EX_DATAERR = 65;
    public static final int EX_NOINPUT = 66;
    public static final int EX_CANTCREAT = 73;

    private EvaluateRun() {
    }

    /**
     * @param out the table and the detail
     * @param error the one line of a failure
     */
    public static int run(EvaluateOptions options, PrintStream out, Consumer<String> error) {
        try {
            return evaluate(options, out, error);
        } catch (EvalDataException e) {
            error.accept(e.getMessage());
            return EX_DATAERR;
        } catch (InputFiles.UnreadableException e) {
            error.accept(e.getMessage());
            return EX_NOINPUT;
        } catch (OutputException e) {
            error.accept(e.getMessage());
            return EX_CANTCREAT;
        } catch (RuntimeException e) {
            // an input shape no check anticipated: still one line, never a stack trace
            error.accept(options.gt() + " / " + options.results().or(options::masks).orElseThrow()
                    + ": cannot evaluate these inputs (" + e + ")");
            return EX_DATAERR;
        }
    }

    private static int evaluate(EvaluateOptions o, PrintStream out, Consumer<String> error) {
        String gtFile = o.gt().toString();
        GroundTruth gt = GroundTruthReader.read(gtFile, InputFiles.json(o.gt()));
        List<Prediction> predictions;
        String predictionsFile;
        Map<String, int[]> serviceCounts = null;
        if (o.results().isPresent()) {
            predictionsFile = o.results().get().toString();
            predictions = ResultsReader.read(predictionsFile, InputFiles.json(o.results().get()), gt);
        } else {
            predictionsFile = o.masks().orElseThrow().toString();
            Map<String, String> videoMap = o.videoMap().map(EvaluateRun::videoMap).orElse(Map.of());
            MasksResults.Conversion c = MasksResults.convert(predictionsFile, InputFiles.lines(o.masks().get()), gt,
                    videoMap, o.allInstances());
            out.printf("masks: %d records, %d skipped (not inferred, outside the video, repeated frame or unknown"
                    + " stream), tracks: %d%n", c.records(), c.skippedRecords(), c.predictions().size());
            if (!c.unknownStreams().isEmpty()) {
                out.println("warning: " + predictionsFile + ": streams without a GT video (skipped): " + c.unknownStreams());
            }
            predictions = c.predictions();
            serviceCounts = c.soundingCounts();
            o.resultsOut().ifPresent(p -> writeFile(p, MetricsReport.write(ResultsWriter.toJson(gt, predictions))));
        }
        Evaluator.Evaluation e = Evaluator.evaluate(gt, predictions, predictionsFile);
        out.printf("GT %s: videos %d, categories %d; predictions %s: %d%n", gtFile, gt.videos().size(),
                gt.categories().size(), predictionsFile, predictions.size());
        out.print(MetricsReport.table(e.metrics()));
        if (o.detail() || o.detailOut().isPresent()) {
            Map<String, Object> detail = MetricsReport.detail(gt, e);
            if (o.detail()) {
                out.print(MetricsReport.detailTable(detail));
            }
            o.detailOut().ifPresent(p -> writeFile(p, MetricsReport.write(detail)));
        }
        if (o.counts().isPresent() || serviceCounts != null) {
            Map<String, int[]> csv = o.countCsvDir().map(EvaluateRun::csvCounts).orElse(null);
            SoundAccuracy s = o.counts().isPresent()
                    ? SoundAccuracy.compute(o.counts().get().toString(), InputFiles.json(o.counts().get()), gt, csv)
                    : SoundAccuracy.compute(predictionsFile, serviceCounts, gt, csv);
            out.printf("sound accuracy%s: %s (frames %d, videos %d)%n",
                    o.counts().isPresent() ? "" : " (sounding instances per inferred frame)", s.accuracy(), s.frames(),
                    s.videos());
            out.printf("sound accuracy per class (0, 1, >=2): [%s, %s, %s]%n", s.perClass()[0], s.perClass()[1],
                    s.perClass()[2]);
        }
        o.out().ifPresent(p -> writeFile(p, MetricsReport.json(e.metrics())));
        return 0;
    }

    private static Map<String, String> videoMap(Path file) {
        JsonNode map = InputFiles.json(file);
        if (!map.isObject()) {
            throw EvalDataException.at(file.toString(), "top level", "expected {\"<streamId>\": \"<video name>\"}");
        }
        Map<String, String> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw EvalDataException.at(file.toString(), e.getKey(), "expected a video name");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static Map<String, int[]> csvCounts(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputFiles.UnreadableException(dir + ": not a directory");
        }
        Map<String, int[]> out = new HashMap<>();
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList()) {
                String name = p.getFileName().toString();
                out.put(name.substring(0, name.length() - 4), SoundAccuracy.csv(p.toString(), InputFiles.lines(p)));
            }
        } catch (IOException e) {
            throw new InputFiles.UnreadableException(dir + ": cannot list (" + e.getMessage() + ")");
        }
        return out;
    }

    private static void writeFile(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new OutputException(file + ": cannot write (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static final class OutputException extends RuntimeException {
        OutputException(String message) {
            super(message);
        }
    }
}
