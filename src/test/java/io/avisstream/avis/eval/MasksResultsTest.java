package io.avisstream.avis.eval;

import static io.avisstream.avis.eval.AvisCase.A;
import static io.avisstream.avis.eval.AvisCase.B;
import static io.avisstream.avis.eval.AvisCase.PERSON;
import static io.avisstream.avis.eval.AvisCase.S;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.avisstream.avis.media.CocoRle;

/** Scoring the live service: avis.masks.v1 records become one prediction per (stream, trackId). */
class MasksResultsTest {
    @TempDir
    Path dir;

    private static String record(AvisCase c, String stream, long seq, long ptsMicros, boolean inferred,
            String... instances) {
        return "{\"streamId\":\"" + stream + "\",\"seq\":" + seq + ",\"ptsMicros\":" + ptsMicros
                + ",\"width\":1280,\"height\":720,\"audio\":\"complete\",\"inferred\":" + inferred + ",\"sourceSeq\":" + seq
                + ",\"engine\":\"test\",\"instances\":[" + String.join(",", instances) + "]}";
    }

    private static String instance(AvisCase c, long trackId, int classId, double score, boolean sounding,
            AvisCase.Rect r) {
        return "{\"trackId\":" + trackId + ",\"classId\":" + classId + ",\"className\":\"x\",\"score\":" + score
                + ",\"sounding\":" + sounding + ",\"bbox\":[0,0,1,1],\"mask\":{\"size\":[720,1280],\"counts\":\""
                + CocoRle.encode(c.mask(r)).replace("\\", "\\\\") + "\"}}";
    }

    @Test
    void shouldBuildOneTrackPerStreamAndTrackIdFromInferredSoundingInstances() {
        // Given GT person A on frames 0-2 of video "cam1"; the service saw it as track 7 (person, one frame as
        // violin with a lower score), a silent track 8 on S, a non-inferred copy, a second record on frame 1 farther
        // from 1 s (1.499 s: listed after the one at 1.0004 s) and one on frame 2 nearer (2.0 s, listed after 1.6 s),
        // another stream
        AvisCase c = AvisCase.at720p().categories(PERSON, 2).video(1, "cam1", 3).gt(1, 1, PERSON, A, A, A);
        GroundTruth gt = GroundTruthReader.read("gt", AvisCase.JSON.valueToTree(c.gtJson()));
        List<String> lines = new ArrayList<>(List.of(
                record(c, "cam1", 0, 0, true, instance(c, 7, 0, 0.9, true, A), instance(c, 8, 0, 0.99, false, S)),
                record(c, "cam1", 1, 1_000_000, false, instance(c, 7, 0, 0.1, true, B)),
                record(c, "cam1", 2, 1_000_400, true, instance(c, 7, 1, 0.5, true, A)),
                record(c, "cam1", 3, 1_499_000, true, instance(c, 7, 0, 0.9, true, B)),
                record(c, "cam1", 4, 1_600_000, true, instance(c, 7, 0, 0.2, true, B)),
                record(c, "cam1", 5, 2_000_000, true, instance(c, 7, 0, 0.6, true, A)),
                record(c, "other", 0, 0, true, instance(c, 1, 0, 0.9, true, A)),
                ""));

        // When
        MasksResults.Conversion conversion = MasksResults.convert("masks.jsonl", lines, gt, Map.of(), false);

        // Then
        assertThat(conversion.records()).isEqualTo(7);
        assertThat(conversion.skippedRecords()).isEqualTo(4); // not inferred, 1.499 s, 1.6 s, unknown stream
        assertThat(conversion.unknownStreams()).containsExactly("other");
        assertThat(conversion.soundingCounts()).containsOnlyKeys("cam1");
        assertThat(conversion.soundingCounts().get("cam1")).containsExactly(1, 1, 1);
        assertThat(conversion.predictions()).singleElement().satisfies(p -> {
            assertThat(p.videoId()).isEqualTo(1);
            assertThat(p.categoryId()).isEqualTo(1); // person: 0.9 + 0.6 > violin 0.5
            assertThat(p.score()).isEqualTo((0.9 + 0.5 + 0.6) / 3);
            assertThat(p.masks()).doesNotContainNull();
            assertThat(p.masks()[1].area()).isEqualTo(A.area());
            assertThat(p.masks()[2].area()).isEqualTo(A.area());
        });
    }

    @Test
    void shouldIncludeSilentInstancesWhenAskedAndMapStreamsThroughTheVideoMap() {
        // Given a stream "rtsp-1" mapped to video "cam1", with a sounding and a silent track
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "cam1", 1).gt(1, 1, PERSON, A);
        GroundTruth gt = GroundTruthReader.read("gt", AvisCase.JSON.valueToTree(c.gtJson()));
        List<String> lines = List.of(record(c, "rtsp-1", 0, 0, true, instance(c, 2, 0, 0.8, false, S),
                instance(c, 1, 0, 0.9, true, A)));

        // When
        MasksResults.Conversion all = MasksResults.convert("m", lines, gt, Map.of("rtsp-1", "cam1"), true);
        MasksResults.Conversion sounding = MasksResults.convert("m", lines, gt, Map.of("rtsp-1", "cam1"), false);

        // Then ordered by trackId
        assertThat(all.predictions()).extracting(Prediction::label).containsExactly("stream of video 'cam1' track 1",
                "stream of video 'cam1' track 2");
        assertThat(sounding.predictions()).hasSize(1);
    }

    @Test
    void shouldScoreMasksRecordsThroughTheCommandAndWriteTheConvertedResults() throws Exception {
        // Given a service that tracked the GT object perfectly
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "cam1", 2).gt(1, 1, PERSON, A, A);
        Path gt = dir.resolve("gt.json");
        Path masks = dir.resolve("masks.jsonl");
        Path out = dir.resolve("metrics.json");
        Path results = dir.resolve("results.json");
        AvisCase.JSON.writeValue(gt.toFile(), c.gtJson());
        Files.write(masks, List.of(record(c, "cam1", 0, 0, true, instance(c, 3, 0, 0.9, true, A)),
                record(c, "cam1", 1, 1_000_000, true, instance(c, 3, 0, 0.9, true, A))));

        // When
        AvisCase.Run run = AvisCase.Run.of("--gt", gt.toString(), "--masks", masks.toString(), "--out", out.toString(),
                "--results-out", results.toString());

        // Then
        assertThat(run.exitCode()).isZero();
        assertThat(run.get("HOTA")).isEqualTo(100.0);
        assertThat(run.get("FA")).isEqualTo(100.0);
        assertThat(run.stdout()).contains("masks: 2 records, 0 skipped", "tracks: 1",
                "sound accuracy (sounding instances per inferred frame): " + 100 * 2 / (2 + 1e-6));
        AvisCase.Run again = AvisCase.Run.of("--gt", gt.toString(), "--results", results.toString(), "--out",
                dir.resolve("again.json").toString());
        assertThat(again.metrics()).isEqualTo(run.metrics());
    }

    @Test
    void shouldNameTheLineOfAMalformedMasksRecord() throws Exception {
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "cam1", 1).gt(1, 1, PERSON, A);
        Path gt = dir.resolve("gt.json");
        Path masks = dir.resolve("masks.jsonl");
        AvisCase.JSON.writeValue(gt.toFile(), c.gtJson());
        Files.write(masks, List.of(record(c, "cam1", 0, 0, true), "{\"streamId\": 3}"));

        AvisCase.Run run = AvisCase.Run.of("--gt", gt.toString(), "--masks", masks.toString());

        assertThat(run.exitCode()).isEqualTo(65);
        assertThat(run.errors()).singleElement().asString().contains("masks.jsonl", "line 2");
    }
}
