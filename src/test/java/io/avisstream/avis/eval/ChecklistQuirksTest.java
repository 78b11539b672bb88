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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** One test per item of the spec's §6 checklist: the behaviours most likely to be "fixed" by mistake. */
class ChecklistQuirksTest {
    private static final AvisCase.Rect P0 = new AvisCase.Rect(100, 300, 200, 362);
    private static final AvisCase.Rect P1 = new AvisCase.Rect(100, 300, 200, 392);

    @TempDir
    Path dir;

    @Test
    void shouldAverageHotaOverEveryListedCategoryCountingEmptyOnesAsZeroWithLocAOne() {
        // Given (1) a perfect person track; guitar and cat listed but absent everywhere
        AvisCase c = AvisCase.at720p().categories(PERSON, GUITAR, 11).video(1, "v", 2)
                .gt(1, 1, PERSON, A, A)
                .pred(1, PERSON, 0.9, A, A);

        // When
        AvisCase.Run run = c.run(dir);

        // Then one class of three is perfect; the empty ones have LocA 1
        assertThat(run.get("HOTA")).isEqualTo(33.33);
        assertThat(run.get("DetA")).isEqualTo(33.33);
        assertThat(run.get("LocA")).isEqualTo(100.0);
        assertThat(run.get("AP_all")).isEqualTo(100.0);
    }

    @Test
    void shouldAverageMapOnlyOverClassesWithGtEvenWhenOthersHaveFalsePositives() {
        // Given (2) a perfect person, and guitar false positives with no guitar GT
        AvisCase c = AvisCase.at720p().categories(PERSON, GUITAR).video(1, "v", 2)
                .gt(1, 1, PERSON, A, A)
                .pred(1, PERSON, 0.5, A, A)
                .pred(1, GUITAR, 0.9, B, B)
                .pred(1, GUITAR, 0.8, S, S);

        // Then
        assertThat(c.run(dir).get("AP_all")).isEqualTo(100.0);
    }

    @Test
    void shouldApplyQuirkQ1OnlyToTheFirstPredictionOfTheAlphabeticallyFirstVideo() {
        // Given (3, 11) video "zeta" listed first in both files with a perfect guitar, then the c08a setup in "alpha":
        // in sorted order alpha's P0 gets global id 0, so it does not lock SQ
        AvisCase sorted = AvisCase.at720p().categories(PERSON, GUITAR)
                .video(1, "zeta", 1).video(2, "alpha", 1)
                .gt(1, 1, GUITAR, B)
                .gt(2, 2, PERSON, SQ)
                .gt(3, 2, PERSON, SQB)
                .pred(1, GUITAR, 0.95, B)
                .pred(2, PERSON, 0.9, P0)
                .pred(2, PERSON, 0.8, P1);

        // When
        Map<String, Object> person = personDetail(sorted.run(dir));

        // Then person AP is c08a's (45.15), not c08b's (30.3)
        assertThat(person.get("AP_all")).isEqualTo(45.15);
        assertThat(person.get("AR_all")).isEqualTo(60.0);
    }

    @Test
    void shouldLockTheGtWhenTheMatchingPredictionIsNotGlobalIdZero() {
        // Given (3) the c08a order, but an earlier prediction of a category that is not listed takes global id 0
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 1)
                .gt(1, 1, PERSON, SQ)
                .gt(2, 1, PERSON, SQB)
                .pred(1, 99, 0.1, B)
                .pred(1, PERSON, 0.9, P0)
                .pred(1, PERSON, 0.8, P1);

        // Then P0 locks SQ: c08b's numbers
        AvisCase.Run run = c.run(dir);
        assertThat(run.get("AP_all")).isEqualTo(30.3);
        assertThat(run.get("AR_all")).isEqualTo(45.0);
    }

    @Test
    void shouldMatchAGtWhoseAnnotationIdIsZero() {
        // Given annotation id 0 (only the prediction's global id 0 is special, quirk Q1)
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 2)
                .gt(0, 1, PERSON, A, A)
                .pred(1, PERSON, 0.9, A, A);

        // Then
        AvisCase.Run run = c.run(dir);
        assertThat(run.get("AP_all")).isEqualTo(100.0);
        assertThat(run.get("HOTA")).isEqualTo(100.0);
        assertThat(run.get("FA")).isEqualTo(100.0);
    }

    @Test
    void shouldGiveATieInTrackIouToTheLaterGt() {
        // Given (4) d1 half on g1 (frame 0) and half on g2 (frame 1): IoU 1/2 with both; id 0 taken by an unlisted class
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 2)
                .gt(1, 1, PERSON, A, null)
                .gt(2, 1, PERSON, null, B)
                .pred(1, 99, 0.1, S, S)
                .pred(1, PERSON, 0.9, A, B)
                .pred(1, PERSON, 0.8, A, null)
                .pred(1, PERSON, 0.7, null, B);

        // When
        AvisCase.Run run = c.run(dir);

        // Then at tau 0.5 d1 takes g2, d2 matches g1, d3 is the FP: TP TP FP -> AP 1; tau > 0.5: FP TP TP -> 2/3
        // (had the earlier GT won, tau 0.5 would be TP FP TP -> AP 0.835 and AP_all 68.35)
        assertThat(run.get("AP_all")).isEqualTo(70.0);
    }

    @Test
    void shouldKeepFileOrderBetweenEqualScores() {
        // Given (4) a false positive and a true positive with the same score, in both orders
        AvisCase fpFirst = AvisCase.at720p().categories(PERSON).video(1, "v", 2)
                .gt(1, 1, PERSON, A, A)
                .pred(1, PERSON, 0.9, S, S)
                .pred(1, PERSON, 0.9, A, A);
        AvisCase tpFirst = AvisCase.at720p().categories(PERSON).video(1, "v", 2)
                .gt(1, 1, PERSON, A, A)
                .pred(1, PERSON, 0.9, A, A)
                .pred(1, PERSON, 0.9, S, S);

        // Then
        assertThat(fpFirst.run(dir).get("AP_all")).isEqualTo(50.0);
        assertThat(tpFirst.run(dir).get("AP_all")).isEqualTo(100.0);
    }

    @Test
    void shouldTakeGtAreasFromTheAreasFieldWithRangesInclusiveAtBothEnds() throws Exception {
        // Given (5) a medium mask (20000 px) whose areas field says 16384: both small and medium
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 2)
                .gt(1, 1, PERSON, A, A)
                .pred(1, PERSON, 0.9, A, A);
        Map<String, Object> gt = c.gtJson();
        @SuppressWarnings("unchecked")
        Map<String, Object> ann = ((List<Map<String, Object>>) gt.get("annotations")).get(0);
        ann.put("areas", List.of(16384, 16384));
        AvisCase.Run run = runWith(gt, c.resultsJson());

        // Then
        assertThat(run.get("AP_s")).isEqualTo(100.0);
        assertThat(run.get("AP_m")).isEqualTo(100.0);
        assertThat(run.get("AP_l")).isEqualTo(-100.0);
    }

    @Test
    void shouldNotReachTheNinthThresholdWithATrackIouOfExactlyNineTenths() {
        // Given (6) a track IoU of exactly 0.9 (9000 / 10000 px)
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 1)
                .gt(1, 1, PERSON, SQ)
                .pred(1, PERSON, 0.9, new AvisCase.Rect(100, 300, 200, 390));

        // Then thresholds 0.5 .. 0.85 match (8 of 10): 0.9000000000000004 is above 0.9
        assertThat(c.run(dir).get("AP_all")).isEqualTo(80.0);
    }

    @Test
    void shouldCountResultEntriesBeyondTheVideoLengthInTheTrackIouOnly() {
        // Given a 2-frame video and a prediction with a third entry (the official track dict keeps every entry)
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 2)
                .gt(1, 1, PERSON, A, A)
                .pred(1, PERSON, 0.9, A, A, A);

        // When
        AvisCase.Run run = c.run(dir);

        // Then track IoU 2/3 matches tau 0.5 .. 0.65 (4 of 10); the per-frame metrics see two perfect frames
        assertThat(run.get("AP_all")).isEqualTo(40.0);
        assertThat(run.get("HOTA")).isEqualTo(100.0);
        assertThat(run.get("FA")).isEqualTo(100.0);
    }

    @Test
    void shouldTreatEmptyMasksAsNeutralInMapButAsDetsInHotaAndFsla() {
        // Given (7) the same matching track with empty RLE vs null on the silent frames
        AvisCase empty = AvisCase.at720p().categories(PERSON).video(1, "v", 4)
                .gt(1, 1, PERSON, A, A, null, null)
                .pred(1, PERSON, 0.9, A, A, EMPTY, EMPTY);
        AvisCase nulls = AvisCase.at720p().categories(PERSON).video(1, "v", 4)
                .gt(1, 1, PERSON, A, A, null, null)
                .pred(1, PERSON, 0.9, A, A, null, null);

        // When
        AvisCase.Run e = empty.run(dir);
        AvisCase.Run n = nulls.run(dir);

        // Then
        assertThat(e.get("AP_all")).isEqualTo(n.get("AP_all")).isEqualTo(100.0);
        assertThat(e.get("DetPr")).isEqualTo(50.0);
        assertThat(e.get("AssPr")).isEqualTo(50.0); // PRcnt counts the empty masks
        assertThat(n.get("AssPr")).isEqualTo(100.0);
        assertThat(e.get("FAn")).isEqualTo(0.0);
        assertThat(n.get("FAn")).isEqualTo(100.0);
    }

    @Test
    void shouldIncludeZeroAlignmentPairsInTheFslaAssignment() {
        // Given (8) c08: the assigned pair SQB-P0 has IoU 0, so the m-frame fails at every alpha
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 1)
                .gt(1, 1, PERSON, SQ)
                .gt(2, 1, PERSON, SQB)
                .pred(1, PERSON, 0.9, P1)
                .pred(1, PERSON, 0.8, new AvisCase.Rect(1000, 600, 1100, 700));

        // Then
        AvisCase.Run run = c.run(dir);
        assertThat(run.get("FAm")).isEqualTo(0.0);
        assertThat(run.get("FAm_all")).isEqualTo(1.0);
    }

    @Test
    void shouldUseThePredictionAtTheAssignmentSlotPositionInSingleSourceFrames() {
        // Given (8) GT A; predictions [empty track, perfect track]: the slot whose column is 0 is slot 0, and P_t[0]
        // is the empty track
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 2)
                .gt(1, 1, PERSON, A, A)
                .pred(1, PERSON, 0.2, EMPTY, EMPTY)
                .pred(1, PERSON, 0.9, A, A);

        // Then
        assertThat(c.run(dir).get("FA")).isEqualTo(0.0);
    }

    @Test
    void shouldRecogniseOnlyTheLiteralPPTl0StringAsAnEmptyPrediction() throws Exception {
        // Given (8) the perfect track plus an empty track written as the non-canonical runs [921600, 0, 0]
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 1)
                .gt(1, 1, PERSON, A)
                .pred(1, PERSON, 0.9, A)
                .pred(1, PERSON, 0.5, EMPTY);
        assertThat(c.run(dir).get("FA")).isEqualTo(100.0);
        List<Map<String, Object>> results = c.resultsJson();
        results.get(1).put("segmentations",
                List.of(Map.of("size", List.of(720, 1280), "counts", io.avisstream.avis.media.CocoRle.compress(
                        new long[] { 921600, 0, 0 }))));

        // Then the padded string is not "PPTl0": 2 non-empty predictions for 1 GT
        assertThat(runWith(c.gtJson(), results).get("FA")).isEqualTo(0.0);
    }

    @Test
    void shouldTruncateTheMeanFrameCountsOverAlpha() {
        // Given (8) c09: one s-frame passing at 9 of 19 alphas
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 1)
                .gt(1, 1, PERSON, SQ)
                .pred(1, PERSON, 0.9, new AvisCase.Rect(100, 300, 200, 350));

        // Then mean 9/19 = 0.47 truncates to 0
        AvisCase.Run run = c.run(dir);
        assertThat(run.get("FAs_count")).isZero();
        assertThat(run.get("FAs")).isEqualTo(47.37);
    }

    @Test
    void shouldBreakAssignmentTiesLikeScipy() {
        // Given (9) c07b: every alignment is 1/3; the identity gives FA 50, the swap would give 0
        AvisCase c = AvisCase.at720p().categories(PERSON, GUITAR).video(1, "v", 2)
                .gt(1, 1, PERSON, A, A)
                .gt(2, 1, GUITAR, B, B)
                .pred(1, PERSON, 0.9, A, B)
                .pred(1, GUITAR, 0.8, B, A);

        // Then
        assertThat(c.run(dir).get("FA")).isEqualTo(50.0);
    }

    @Test
    void shouldWriteNanAsAStringAndRoundHalfToEven() {
        // Given (10) no multi-source frames at all
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 1)
                .gt(1, 1, PERSON, A)
                .pred(1, PERSON, 0.9, A);

        // When
        AvisCase.Run run = c.run(dir);

        // Then
        JsonNode faM = run.metrics().get("FAm");
        assertThat(faM.isTextual()).isTrue();
        assertThat(faM.asText()).isEqualTo("NaN");
        assertThat(run.metrics().get("AP_all").isDouble()).isTrue();
        assertThat(run.metrics().get("FAm_all").isIntegralNumber()).isTrue();
    }

    @Test
    void shouldWriteExactlyTheOfficialKeysInOrder() {
        // Given
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 1).gt(1, 1, PERSON, A);

        // When
        List<String> keys = new java.util.ArrayList<>();
        c.run(dir).metrics().fieldNames().forEachRemaining(keys::add);

        // Then
        assertThat(keys).containsExactly("AP_all", "AP_s", "AP_m", "AP_l", "AR_all", "HOTA", "DetA", "DetRe", "DetPr",
                "AssA", "AssRe", "AssPr", "LocA", "FA", "FAn", "FAs", "FAm", "FAn_count", "FAn_all", "FAs_count", "FAs_all",
                "FAm_count", "FAm_all");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> personDetail(AvisCase.Run written) {
        assertThat(written.exitCode()).isZero();
        try {
            Path detail = dir.resolve("detail.json");
            AvisCase.Run run = AvisCase.Run.of("--gt", dir.resolve("gt.json").toString(), "--results",
                    dir.resolve("results.json").toString(), "--detail-out", detail.toString());
            assertThat(run.exitCode()).isZero();
            Map<String, Object> all = AvisCase.JSON.readValue(detail.toFile(), Map.class);
            return ((List<Map<String, Object>>) all.get("classes")).stream()
                    .filter(m -> m.get("name").equals("person")).findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private AvisCase.Run runWith(Map<String, Object> gt, List<Map<String, Object>> results) throws Exception {
        Path g = dir.resolve("gt-edited.json");
        Path r = dir.resolve("results-edited.json");
        Path out = dir.resolve("metrics-edited.json");
        Files.deleteIfExists(out);
        AvisCase.JSON.writeValue(g.toFile(), gt);
        AvisCase.JSON.writeValue(r.toFile(), results);
        return AvisCase.Run.of("--gt", g.toString(), "--results", r.toString(), "--out", out.toString());
    }
}
