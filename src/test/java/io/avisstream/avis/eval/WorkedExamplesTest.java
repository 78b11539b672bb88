package io.avisstream.avis.eval;

import static io.avisstream.avis.eval.AvisCase.A;
import static io.avisstream.avis.eval.AvisCase.B;
import static io.avisstream.avis.eval.AvisCase.EMPTY;
import static io.avisstream.avis.eval.AvisCase.GUITAR;
import static io.avisstream.avis.eval.AvisCase.PERSON;
import static io.avisstream.avis.eval.AvisCase.S;
import static io.avisstream.avis.eval.AvisCase.SQ;
import static io.avisstream.avis.eval.AvisCase.SQB;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every number of the worked examples of aviseg-data-and-metrics.md §5 (the official code's own outputs), each
 * case built from its description and run through the whole command (files in, --out JSON back).
 * Case c13 is not here: the spec does not give its inputs.
 */
class WorkedExamplesTest {
    private static final String COLUMNS = "AP_all AP_s AP_m AR_all HOTA DetA AssA LocA FA FAn FAs FAm";

    @TempDir
    Path dir;

    /** Asserts the §5 table row (AP_l is -100 in all these cases) plus any extra key=value. */
    private void assertRow(AvisCase.Run run, String row, String... extra) {
        assertThat(run.errors()).isEmpty();
        assertThat(run.exitCode()).isZero();
        Map<String, Double> expected = new LinkedHashMap<>();
        String[] keys = COLUMNS.split(" ");
        String[] values = row.trim().split("\\s+");
        assertThat(values).hasSameSizeAs(keys);
        for (int i = 0; i < keys.length; i++) {
            expected.put(keys[i], Double.parseDouble(values[i]));
        }
        expected.put("AP_l", -100.0);
        for (String e : extra) {
            String[] kv = e.split("=");
            expected.put(kv[0], Double.parseDouble(kv[1]));
        }
        SoftAssertions soft = new SoftAssertions();
        expected.forEach((k, v) -> soft.assertThat(run.get(k)).as(k).isEqualTo(v));
        soft.assertAll();
    }

    @Test
    void shouldAverageHotaOverAllTwentySixListedCategoriesWhenOnlyOneOccurs() {
        // Given c01_perfect_all26: a perfect single person track, all 26 categories listed
        AvisCase c = AvisCase.at720p().allCategories().video(1, "v", 3)
                .gt(1, 1, PERSON, A, A, A)
                .pred(1, PERSON, 0.9, A, A, A);

        // Then
        assertRow(c.run(dir), "100.0 -100.0 100.0 100.0 3.85 3.85 3.85 100.0 100.0 NaN 100.0 NaN");
    }

    @Test
    void shouldScoreAPerfectTrackOneHundredWhenOnlyItsCategoryIsListed() {
        // Given c02_perfect_one_category
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 3)
                .gt(1, 1, PERSON, A, A, A)
                .pred(1, PERSON, 0.9, A, A, A);

        // Then
        assertRow(c.run(dir), "100.0 -100.0 100.0 100.0 100.0 100.0 100.0 100.0 100.0 NaN 100.0 NaN",
                "DetRe=100.0", "DetPr=100.0", "AssRe=100.0", "AssPr=100.0", "FAs_count=3", "FAs_all=3", "FAn_all=0",
                "FAm_all=0");
    }

    @Test
    void shouldCountSilentFramesAsCorrectWhenThereAreNoPredictions() {
        // Given c03_no_predictions_silent_frames: GT A on frames 0-1 of 4, no predictions
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 4)
                .gt(1, 1, PERSON, A, A, null, null);

        // Then
        assertRow(c.run(dir), "0.0 -100.0 0.0 0.0 0.0 0.0 0.0 100.0 50.0 100.0 0.0 NaN",
                "FAn_count=2", "FAn_all=2", "FAs_count=0", "FAs_all=2");
    }

    @Test
    void shouldIgnoreAFalsePositiveInMapWhenItsClassHasNoGt() {
        // Given c04_fp_on_silent_object_other_class: a guitar on the silent object S
        AvisCase c = AvisCase.at720p().categories(PERSON, GUITAR).video(1, "v", 3)
                .gt(1, 1, PERSON, A, A, A)
                .pred(1, PERSON, 0.9, A, A, A)
                .pred(1, GUITAR, 0.95, S, S, S);

        // Then
        assertRow(c.run(dir), "100.0 -100.0 100.0 100.0 50.0 50.0 50.0 100.0 0.0 NaN 0.0 NaN");
    }

    @Test
    void shouldHalveApWhenAHigherScoredFalsePositiveOfTheSameClassComesFirst() {
        // Given c05_fp_on_silent_object_same_class
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 3)
                .gt(1, 1, PERSON, A, A, A)
                .pred(1, PERSON, 0.95, S, S, S)
                .pred(1, PERSON, 0.9, A, A, A);

        // Then
        assertRow(c.run(dir), "50.0 -100.0 50.0 100.0 70.71 50.0 100.0 100.0 0.0 NaN 0.0 NaN",
                "DetRe=100.0", "DetPr=50.0");
    }

    @Test
    void shouldFailEverySingleSourceFrameWhenTheEmptyTrackIsListedFirst() {
        // Given c06a_empty_track_first
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 3)
                .gt(1, 1, PERSON, A, A, A)
                .pred(1, PERSON, 0.5, EMPTY, EMPTY, EMPTY)
                .pred(1, PERSON, 0.9, A, A, A);

        // Then
        assertRow(c.run(dir), "100.0 -100.0 100.0 100.0 70.71 50.0 100.0 100.0 0.0 NaN 0.0 NaN");
    }

    @Test
    void shouldPassEverySingleSourceFrameWhenThePerfectTrackIsListedFirst() {
        // Given c06b_empty_track_second
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 3)
                .gt(1, 1, PERSON, A, A, A)
                .pred(1, PERSON, 0.9, A, A, A)
                .pred(1, PERSON, 0.5, EMPTY, EMPTY, EMPTY);

        // Then
        assertRow(c.run(dir), "100.0 -100.0 100.0 100.0 70.71 50.0 100.0 100.0 100.0 NaN 100.0 NaN");
    }

    @Test
    void shouldPenaliseAssociationButNotDetectionWhenIdentitiesSwitch() {
        // Given c07a_identity_switch
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 4)
                .gt(1, 1, PERSON, A, A, A, A)
                .gt(2, 1, PERSON, B, B, B, B)
                .pred(1, PERSON, 0.9, A, A, B, B)
                .pred(1, PERSON, 0.8, B, B, A, A);

        // Then
        assertRow(c.run(dir), "0.0 -100.0 0.0 0.0 57.74 100.0 33.33 100.0 50.0 NaN NaN 50.0",
                "AssRe=50.0", "AssPr=50.0", "FAm_count=2", "FAm_all=4");
    }

    @Test
    void shouldResolveAnAssignmentTieToTheIdentity() {
        // Given c07b_assignment_tie: all alignments 1/3
        AvisCase c = AvisCase.at720p().categories(PERSON, GUITAR).video(1, "v", 2)
                .gt(1, 1, PERSON, A, A)
                .gt(2, 1, GUITAR, B, B)
                .pred(1, PERSON, 0.9, A, B)
                .pred(1, GUITAR, 0.8, B, A);

        // Then
        assertRow(c.run(dir), "0.0 -100.0 0.0 0.0 33.33 33.33 33.33 100.0 50.0 NaN NaN 50.0");
    }

    @Test
    void shouldLetTheGtMatchedByGlobalIdZeroBeMatchedAgainWhenP0IsListedFirst() {
        // Given c08a_p0_listed_first (quirk Q1)
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 1)
                .gt(1, 1, PERSON, SQ)
                .gt(2, 1, PERSON, SQB)
                .pred(1, PERSON, 0.9, new AvisCase.Rect(100, 300, 200, 362))
                .pred(1, PERSON, 0.8, new AvisCase.Rect(100, 300, 200, 392));

        // Then
        assertRow(c.run(dir), "45.15 45.15 -100.0 60.0 54.7 31.58 94.74 92.42 0.0 NaN NaN 0.0");
    }

    @Test
    void shouldLockTheGtWhenP1HasGlobalIdZero() {
        // Given c08b_p1_listed_first
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 1)
                .gt(1, 1, PERSON, SQ)
                .gt(2, 1, PERSON, SQB)
                .pred(1, PERSON, 0.8, new AvisCase.Rect(100, 300, 200, 392))
                .pred(1, PERSON, 0.9, new AvisCase.Rect(100, 300, 200, 362));

        // Then
        assertRow(c.run(dir), "30.3 30.3 -100.0 45.0 54.7 31.58 94.74 92.42 0.0 NaN NaN 0.0");
    }

    @Test
    void shouldMatchIouOneHalfOnlyAtTheFirstThresholdAndNotInFsla() {
        // Given c09_iou_exactly_half
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 1)
                .gt(1, 1, PERSON, SQ)
                .pred(1, PERSON, 0.9, new AvisCase.Rect(100, 300, 200, 350));

        // Then
        assertRow(c.run(dir), "10.0 10.0 -100.0 10.0 52.63 52.63 52.63 73.68 47.37 NaN 47.37 NaN",
                "FAs_count=0", "FAs_all=1");
    }

    @Test
    void shouldCountEmptyMasksOnSilentFramesAsFalsePositives() {
        // Given c10a_empty_rle_on_silent_frames
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 4)
                .gt(1, 1, PERSON, A, A, null, null)
                .pred(1, PERSON, 0.9, A, A, EMPTY, EMPTY);

        // Then
        assertRow(c.run(dir), "100.0 -100.0 100.0 100.0 50.0 50.0 50.0 100.0 50.0 0.0 100.0 NaN",
                "AssRe=100.0", "AssPr=50.0");
    }

    @Test
    void shouldTreatNullOnSilentFramesAsNoPrediction() {
        // Given c10b_null_on_silent_frames
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 4)
                .gt(1, 1, PERSON, A, A, null, null)
                .pred(1, PERSON, 0.9, A, A, null, null);

        // Then
        assertRow(c.run(dir), "100.0 -100.0 100.0 100.0 100.0 100.0 100.0 100.0 100.0 100.0 100.0 NaN");
    }

    @Test
    void shouldRecogniseTheEmptyTrackOnlyAt720p() {
        // Given c11a_720x1280
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 2)
                .gt(1, 1, PERSON, SQ, SQ)
                .pred(1, PERSON, 0.9, SQ, SQ)
                .pred(1, PERSON, 0.5, EMPTY, EMPTY);

        // Then
        assertRow(c.run(dir), "100.0 100.0 -100.0 100.0 70.71 50.0 100.0 100.0 100.0 NaN 100.0 NaN");
    }

    @Test
    void shouldNotRecogniseTheEmptyTrackAt360p() {
        // Given c11b_360x640
        AvisCase c = AvisCase.at(360, 640).categories(PERSON).video(1, "v", 2)
                .gt(1, 1, PERSON, SQ, SQ)
                .pred(1, PERSON, 0.9, SQ, SQ)
                .pred(1, PERSON, 0.5, EMPTY, EMPTY);

        // Then
        assertRow(c.run(dir), "100.0 100.0 -100.0 100.0 70.71 50.0 100.0 100.0 0.0 NaN 0.0 NaN");
    }

    @Test
    void shouldReadGtGivenAsUncompressedRle() {
        // Given c12_gt_uncompressed_rle
        AvisCase c = AvisCase.at720p().gtAsUncompressedRle().categories(PERSON).video(1, "v", 3)
                .gt(1, 1, PERSON, A, A, A)
                .pred(1, PERSON, 0.9, A, A, A);

        // Then
        assertRow(c.run(dir), "100.0 -100.0 100.0 100.0 100.0 100.0 100.0 100.0 100.0 NaN 100.0 NaN");
    }
}
