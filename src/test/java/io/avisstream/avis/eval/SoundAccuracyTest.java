package io.avisstream.avis.eval;

import static io.avisstream.avis.eval.AvisCase.A;
import static io.avisstream.avis.eval.AvisCase.B;
import static io.avisstream.avis.eval.AvisCase.PERSON;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The count head's "sound accuracy" (spec §3.5) from a counts file, against the GT or the count CSVs. */
class SoundAccuracyTest {
    @TempDir
    Path dir;

    @Test
    void shouldCompareCountClassesCappedAtTwoAgainstTheGtCounts() throws Exception {
        // Given GT counts [2, 1, 0, 0] and predicted [3, 0, 0, 1]: classes [2,1,0,0] vs [2,0,0,1]
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 4)
                .gt(1, 1, PERSON, A, A, null, null).gt(2, 1, PERSON, B, null, null, null);
        GroundTruth gt = GroundTruthReader.read("gt", AvisCase.JSON.valueToTree(c.gtJson()));

        // When
        SoundAccuracy s = SoundAccuracy.compute("counts", AvisCase.JSON.readTree("{\"v\": [3, 0, 0, 1]}"), gt, null);

        // Then 2 of 4 correct; per GT class: 0 -> 1/2, 1 -> 0/1, 2 -> 1/1
        assertThat(s.accuracy()).isEqualTo(100 * 2 / (4 + 1e-6));
        assertThat(s.perClass()).containsExactly(0.5f, 0f, 1f);
        assertThat(s.frames()).isEqualTo(4);
    }

    @Test
    void shouldReadTheCountCsvsAndPrintTheAccuracyThroughTheCommand() throws Exception {
        // Given a CSV that disagrees with the GT annotation on purpose (the CSV wins when given)
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 2).gt(1, 1, PERSON, A, A)
                .pred(1, PERSON, 0.9, A, A);
        c.run(dir);
        Path csvDir = Files.createDirectories(dir.resolve("num_ins_CSVs"));
        Files.write(csvDir.resolve("v.csv"), List.of("instance_cnt", "1", "0"));
        Path counts = dir.resolve("counts.json");
        Files.writeString(counts, "{\"v\": [1, 1]}");

        // When
        AvisCase.Run run = AvisCase.Run.of("--gt", dir.resolve("gt.json").toString(), "--results",
                dir.resolve("results.json").toString(), "--counts", counts.toString(), "--count-csv-dir", csvDir.toString());

        // Then
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("sound accuracy: " + 100 * 1 / (2 + 1e-6), "(frames 2, videos 1)",
                "per class (0, 1, >=2): [0.0, 1.0, 0.0]");
    }

    @Test
    void shouldRejectACountsListOfTheWrongLength() throws Exception {
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 2).gt(1, 1, PERSON, A, A);
        c.run(dir);
        Path counts = dir.resolve("counts.json");
        Files.writeString(counts, "{\"v\": [1]}");

        AvisCase.Run run = AvisCase.Run.of("--gt", dir.resolve("gt.json").toString(), "--results",
                dir.resolve("results.json").toString(), "--counts", counts.toString());

        assertThat(run.exitCode()).isEqualTo(65);
        assertThat(run.errors()).singleElement().asString().contains("counts.json", "v", "2 counts");
    }
}
