package io.avisstream.avis.eval;

import static io.avisstream.avis.eval.AvisCase.A;
import static io.avisstream.avis.eval.AvisCase.B;
import static io.avisstream.avis.eval.AvisCase.PERSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed files give exit 65 and one line naming the file and the entry; unreadable files 66; usage 64 (an
 * IllegalArgumentException the entry point turns into one line). Inputs that crash the official code but have
 * an obvious meaning get a defined result.
 */
class MalformedInputTest {
    @TempDir
    Path dir;

    private AvisCase perfect() {
        return AvisCase.at720p().categories(PERSON).video(1, "v", 2).gt(1, 1, PERSON, A, A).pred(1, PERSON, 0.9, A, A);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> annotation(Map<String, Object> gt) {
        return ((List<Map<String, Object>>) gt.get("annotations")).get(0);
    }

    private AvisCase.Run run(Object gt, Object results) throws Exception {
        Path g = dir.resolve("GT.json");
        Path r = dir.resolve("RESULTS.json");
        if (gt instanceof String s) {
            Files.writeString(g, s);
        } else {
            AvisCase.JSON.writeValue(g.toFile(), gt);
        }
        if (results instanceof String s) {
            Files.writeString(r, s);
        } else {
            AvisCase.JSON.writeValue(r.toFile(), results);
        }
        return AvisCase.Run.of("--gt", g.toString(), "--results", r.toString(), "--out", dir.resolve("m.json").toString());
    }

    private static void assertDataError(AvisCase.Run run, String... fragments) {
        assertThat(run.exitCode()).isEqualTo(65);
        assertThat(run.errors()).hasSize(1);
        assertThat(run.errors().get(0)).doesNotContain("\n").contains(fragments);
    }

    @Test
    void shouldNameTheFileAndPositionWhenTheGtIsNotJson() throws Exception {
        AvisCase c = perfect();
        assertDataError(run("{\"videos\": [", c.resultsJson()), "GT.json", "line 1", "not valid JSON");
    }

    @Test
    void shouldNameTheAnnotationAndFrameOfAPolygonTooShort() throws Exception {
        AvisCase c = perfect();
        Map<String, Object> gt = c.gtJson();
        annotation(gt).put("segmentations", java.util.Arrays.asList(List.of(List.of(1, 2, 3)), null));
        assertDataError(run(gt, c.resultsJson()), "GT.json", "annotations[0].segmentations[0]");
    }

    @Test
    void shouldNameThePredictionWithFewerSegmentationsThanFrames() throws Exception {
        AvisCase c = perfect();
        c.resultsJson().get(0).put("segmentations", List.of(Map.of("size", List.of(720, 1280), "counts", "PPTl0")));
        assertDataError(run(c.gtJson(), c.resultsJson()), "RESULTS.json", "[0].segmentations", "1 entries", "2 frames");
    }

    @Test
    void shouldNameTheFrameOfAnUndecodableCountsString() throws Exception {
        AvisCase c = perfect();
        c.resultsJson().get(0).put("segmentations", List.of(Map.of("size", List.of(720, 1280), "counts", "PP~~"),
                Map.of("size", List.of(720, 1280), "counts", "PPTl0")));
        assertDataError(run(c.gtJson(), c.resultsJson()), "RESULTS.json", "[0].segmentations[0]", "bad RLE");
    }

    @Test
    void shouldRejectCountsThatDoNotCoverTheMask() throws Exception {
        AvisCase c = perfect();
        c.resultsJson().get(0).put("segmentations", List.of(Map.of("size", List.of(720, 1280), "counts", "PPTl0"),
                Map.of("size", List.of(720, 1280), "counts", "5")));
        assertDataError(run(c.gtJson(), c.resultsJson()), "[0].segmentations[1]", "runs cover 5 pixels");
    }

    @Test
    void shouldRejectDuplicateAnnotationIds() throws Exception {
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 2).gt(4, 1, PERSON, A, null)
                .gt(4, 1, PERSON, null, B);
        assertDataError(run(c.gtJson(), c.resultsJson()), "GT.json", "annotations[1]", "duplicate annotation id 4");
    }

    @Test
    void shouldRejectAResultsFileThatIsNotAList() throws Exception {
        assertDataError(run(perfect().gtJson(), "{\"video_id\": 1}"), "RESULTS.json", "top level");
    }

    @Test
    void shouldRejectAPredictionWithoutScore() throws Exception {
        AvisCase c = perfect();
        c.resultsJson().get(0).remove("score");
        assertDataError(run(c.gtJson(), c.resultsJson()), "RESULTS.json", "[0]", "score");
    }

    @Test
    void shouldNameThePredictionWhoseMaskSizeDiffersFromAnOverlappingGtMask() throws Exception {
        AvisCase c = perfect();
        c.resultsJson().get(0).put("segmentations", List.of(
                Map.of("size", List.of(360, 640), "counts", io.avisstream.avis.media.CocoRle.encode(
                        AvisCase.at(360, 640).mask(A))), Map.of("size", List.of(720, 1280), "counts", "PPTl0")));
        assertDataError(run(c.gtJson(), c.resultsJson()), "RESULTS.json", "[0].segmentations[0]", "360x640");
    }

    @Test
    void shouldExitSixtySixWhenAnInputCannotBeRead() {
        AvisCase.Run run = AvisCase.Run.of("--gt", dir.resolve("missing.json").toString(), "--results",
                dir.resolve("also-missing.json").toString());
        assertThat(run.exitCode()).isEqualTo(66);
        assertThat(run.errors()).singleElement().asString().contains("missing.json", "cannot read");
    }

    @Test
    void shouldThrowAUsageErrorForUnknownOrMissingOptions() {
        assertThatThrownBy(() -> EvaluateOptions.parse("--gt", "g.json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--results or --masks");
        assertThatThrownBy(() -> EvaluateOptions.parse("--gt", "g.json", "--results", "r.json", "--frobnicate"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option '--frobnicate'");
        assertThatThrownBy(() -> EvaluateOptions.parse("--gt")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--gt needs a path");
    }

    @Test
    void shouldReadABareRleDictInTheGtAsThatMask() throws Exception {
        // Given the GT frame as {"size", "counts"} (the official merge iterates the dict's keys and crashes)
        AvisCase c = perfect();
        Map<String, Object> gt = c.gtJson();
        long[] counts = io.avisstream.avis.media.CocoRle.counts(c.mask(A));
        Map<String, Object> bare = Map.of("size", List.of(720, 1280), "counts", java.util.Arrays.stream(counts).boxed().toList());
        annotation(gt).put("segmentations", List.of(bare, bare));

        // Then
        AvisCase.Run run = run(gt, c.resultsJson());
        assertThat(run.exitCode()).isZero();
        assertThat(run.get("HOTA")).isEqualTo(100.0);
    }

    @Test
    void shouldDecodeACompressedRleInTheGt() throws Exception {
        // Given GT frames as [{"size", "counts": "<string>"}] (the official frUncompressedRLE crashes on a string)
        AvisCase c = perfect();
        Map<String, Object> gt = c.gtJson();
        Map<String, Object> rle = Map.of("size", List.of(720, 1280), "counts",
                io.avisstream.avis.media.CocoRle.encode(c.mask(A)));
        annotation(gt).put("segmentations", List.of(List.of(rle), List.of(rle)));

        // Then
        AvisCase.Run run = run(gt, c.resultsJson());
        assertThat(run.exitCode()).isZero();
        assertThat(run.get("AP_all")).isEqualTo(100.0);
        assertThat(run.get("FA")).isEqualTo(100.0);
    }

    @Test
    void shouldFailTheFrameWhereTheOfficialCodeRaisesIndexErrorOnNullPredictions() throws Exception {
        // Given two GT tracks each sounding in one frame and predictions null elsewhere: on frame 1 the slot is 1 but
        // the frame has one prediction det (the official code raises IndexError)
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 2)
                .gt(1, 1, PERSON, A, null)
                .gt(2, 1, PERSON, null, B)
                .pred(1, PERSON, 0.9, A, null)
                .pred(1, PERSON, 0.8, null, B);

        // When
        AvisCase.Run run = c.run(dir);

        // Then frame 0 passes, frame 1 fails; mAP and HOTA are unaffected
        assertThat(run.exitCode()).isZero();
        assertThat(run.get("FA")).isEqualTo(50.0);
        assertThat(run.get("HOTA")).isEqualTo(100.0);
    }
}
