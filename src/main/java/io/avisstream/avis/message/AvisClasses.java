package io.avisstream.avis.message;

import java.util.List;

/** AVISeg class names in label order (label = dataset id - 1; aviseg-data-and-metrics.md §1.3). */
public final class AvisClasses {
    public static final List<String> NAMES = List.of("person", "violin", "guitar", "cello", "flute", "piano",
            "ukulele", "accordion", "guzheng", "clarinet", "cat", "car", "saxophone", "dog", "lawn_mover", "tuba",
            "banjo", "pipa", "bassoon", "airplane", "tree_harvester", "trumpet", "lion", "bass", "erhu", "horse");

    private AvisClasses() {
    }

    public static String name(int classId) {
        return classId >= 0 && classId < NAMES.size() ? NAMES.get(classId) : "class_" + classId;
    }
}
