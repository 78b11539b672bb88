package io.avisstream.avis.eval;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Options of {@code evaluate}. Exactly one prediction source: an official results file ({@code --results}) or
 * the service's masks records ({@code --masks}, with {@code --video-map} and {@code --all-instances}).
 * A usage error throws {@link IllegalArgumentException} (exit 64 through the entry point).
 */
public record EvaluateOptions(Path gt, Optional<Path> results, Optional<Path> masks, Optional<Path> videoMap,
        boolean allInstances, Optional<Path> out, boolean detail, Optional<Path> detailOut, Optional<Path> resultsOut,
        Optional<Path> counts, Optional<Path> countCsvDir) {

    public static final String USAGE = "evaluate --gt GT.json (--results RESULTS.json | --masks MASKS.jsonl"
            + " [--video-map MAP.json] [--all-instances] [--results-out RESULTS.json]) [--out METRICS.json] [--detail]"
            + " [--detail-out DETAIL.json] [--counts COUNTS.json] [--count-csv-dir DIR]";

    public static EvaluateOptions parse(String... args) {
        Path gt = null;
        Path results = null;
        Path masks = null;
        Path videoMap = null;
        Path out = null;
        Path detailOut = null;
        Path resultsOut = null;
        Path counts = null;
        Path csvDir = null;
        boolean all = false;
        boolean detail = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--all-instances" -> all = true;
                case "--detail" -> detail = true;
                case "--gt", "--results", "--masks", "--video-map", "--out", "--detail-out", "--results-out", "--counts",
                        "--count-csv-dir" -> {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new IllegalArgumentException(a + " needs a path; usage: " + USAGE);
                    }
                    Path p = Path.of(args[++i]);
                    switch (a) {
                        case "--gt" -> gt = p;
                        case "--results" -> results = p;
                        case "--masks" -> masks = p;
                        case "--video-map" -> videoMap = p;
                        case "--out" -> out = p;
                        case "--detail-out" -> detailOut = p;
                        case "--results-out" -> resultsOut = p;
                        case "--counts" -> counts = p;
                        default -> csvDir = p;
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + a + "'; usage: " + USAGE);
            }
        }
        if (gt == null) {
            throw new IllegalArgumentException("--gt is required; usage: " + USAGE);
        }
        if ((results == null) == (masks == null)) {
            throw new IllegalArgumentException("give exactly one of --results or --masks; usage: " + USAGE);
        }
        if (masks == null && (videoMap != null || all || resultsOut != null)) {
            throw new IllegalArgumentException("--video-map, --all-instances and --results-out need --masks");
        }
        if (csvDir != null && counts == null && masks == null) {
            throw new IllegalArgumentException("--count-csv-dir needs --counts or --masks");
        }
        return new EvaluateOptions(gt, Optional.ofNullable(results), Optional.ofNullable(masks),
                Optional.ofNullable(videoMap), all, Optional.ofNullable(out), detail, Optional.ofNullable(detailOut),
                Optional.ofNullable(resultsOut), Optional.ofNullable(counts), Optional.ofNullable(csvDir));
    }
}
