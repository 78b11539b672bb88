package io.avisstream.avis.message;

import java.util.List;

/**
 * AVISeg class names in label order (label = dataset id - 1; aviseg-data-and-metrics.md §1.3): the dataset's
 * vocabulary, and the class names of a model whose manifest lists none.
 */
public final class AvisClasses {
    public static final List<String> NAMES = List.of("person", "violin", "guitar", "cello", "flute", "piano",
            "ukulele", "accordion", "guzheng", "clarinet", "cat", "car", "saxophone", "dog", "lawn_mover", "tuba",
            "banjo", "pipa", "bassoon", "airplane", "tree_harvester", "trumpet", "lion", "bass", "erhu", "horse");

    private AvisClasses() {
    }

    /** The AVISeg names for a 26-class model, {@code class_<id>} for any other class count. */
    public static List<String> namesFor(int numClasses) {
        if (numClasses == NAMES.size()) {
            return NAMES;
        }
        return java.util.stream.IntStream.range(0, numClasses).mapToObj(id -> "class_" + id).toList();
    }

    public static String name(int classId) {
        return classId >= 0 && classId < NAMES.size() ? NAMES.get(classId) : "class_" + classId;
    }
}
