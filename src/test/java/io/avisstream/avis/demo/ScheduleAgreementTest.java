package io.avisstream.avis.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.Json;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.RleMask;

/** Sounding flags against a schedule, on hand-made schedules and records. */
class ScheduleAgreementTest {

    /** Two objects on a 100x50 frame: A at (0,0,20,20) sounds at t=0 and 2, B at (50,10,20,20) sounds at t=1. */
    private static final String SCHEDULE = """
            {"length_s": 3, "width": 100, "height": 50, "objects": [
              {"object_id": 0, "category": "dog", "sounding": [1, 0, 1],
               "boxes": [[0, 0, 20, 20], [0, 0, 20, 20], [0, 0, 20, 20]]},
              {"object_id": 1, "category": "car", "sounding": [0, 1, 0],
               "boxes": [[50, 10, 20, 20], [50, 10, 20, 20], null]}]}""";

    private static ScheduleAgreement.Schedule schedule() throws Exception {
        return ScheduleAgreement.read(Json.MAPPER.readTree(SCHEDULE));
    }

    private static InstanceMessage instance(long track, boolean sounding, int x, int y, int w, int h) {
        return new InstanceMessage(track, 0, "dog", 0.9f, sounding, List.of(x, y, w, h), RleMask.of(50, 100, "0"));
    }

    private static MasksMessage record(int second, boolean inferred, InstanceMessage... instances) {
        return new MasksMessage("s", second, second * 1_000_000L, 100, 50, "complete", inferred, second, "test",
                List.of(instances));
    }

    @Test
    void shouldAgreeWhenExactlyTheScheduledObjectsAreFlagged() throws Exception {
        // Given: t=0 A sounding (B silent, published not sounding), t=1 B sounding, t=2 A sounding
        List<MasksMessage> masks = List.of(
                record(0, true, instance(1, true, 1, 1, 20, 20), instance(2, false, 50, 10, 20, 20)),
                record(1, true, instance(2, true, 51, 11, 19, 19)),
                record(2, true, instance(1, true, 0, 0, 20, 20)));

        // When
        ScheduleAgreement a = ScheduleAgreement.of(schedule(), masks);

        // Then
        assertThat(a.frames()).isEqualTo(3);
        assertThat(a.agreeing()).isEqualTo(3);
        assertThat(a.truePositives()).isEqualTo(3);
        assertThat(a.precision()).isEqualTo(1.0);
        assertThat(a.recall()).isEqualTo(1.0);
        assertThat(a.agreementPercent()).isEqualTo(100.0);
    }

    @Test
    void shouldCountASilentObjectFlaggedAndAMissedSourceAsDisagreement() throws Exception {
        // Given: t=0 the silent B flagged (false positive) and A not flagged (false negative);
        // t=1 a sounding instance that matches no object (false positive) plus B flagged (true positive)
        List<MasksMessage> masks = List.of(
                record(0, true, instance(1, false, 0, 0, 20, 20), instance(2, true, 50, 10, 20, 20)),
                record(1, true, instance(2, true, 50, 10, 20, 20), instance(3, true, 80, 40, 5, 5)));

        // When
        ScheduleAgreement a = ScheduleAgreement.of(schedule(), masks);

        // Then
        assertThat(a.frames()).isEqualTo(2);
        assertThat(a.agreeing()).isZero();
        assertThat(a.truePositives()).isEqualTo(1);
        assertThat(a.falsePositives()).isEqualTo(2);
        assertThat(a.falseNegatives()).isEqualTo(1);
        assertThat(a.precision()).isEqualTo(1 / 3.0);
        assertThat(a.recall()).isEqualTo(0.5);
        assertThat(a.describe()).contains("precision 0.33 (1/3)", "recall 0.50 (1/2)", "0/2 inferred frames (0.0 %)");
    }

    @Test
    void shouldMatchOneToOneSoATwinInstanceCannotClaimTheSameObjectTwice() throws Exception {
        // Given: at t=2 two sounding instances on A; only one can be A, the other is a false positive
        List<MasksMessage> masks = List.of(record(2, true, instance(1, true, 0, 0, 20, 20),
                instance(2, true, 1, 1, 19, 19)));

        // When
        ScheduleAgreement a = ScheduleAgreement.of(schedule(), masks);

        // Then
        assertThat(a.truePositives()).isEqualTo(1);
        assertThat(a.falsePositives()).isEqualTo(1);
        assertThat(a.agreeing()).isZero();
    }

    @Test
    void shouldIgnoreCopiedRecordsAndRecordsPastTheSchedule() throws Exception {
        // Given: a non-inferred copy and an inferred record at t=5 (schedule is 3 s long)
        List<MasksMessage> masks = List.of(record(0, false, instance(1, true, 50, 10, 20, 20)),
                record(5, true, instance(1, true, 50, 10, 20, 20)));

        // When
        ScheduleAgreement a = ScheduleAgreement.of(schedule(), masks);

        // Then
        assertThat(a.frames()).isZero();
        assertThat(a.describe()).contains("n/a");
    }

    @Test
    void shouldScaleMp4BoxesToTheRecordSizeAndPickTheFrameByTime() throws Exception {
        // Given: per-mp4-frame boxes at 200x100, 2 fps; the object moves right in mp4 frame 2 (t = 1 s)
        String json = """
                {"length_s": 2, "width": 100, "height": 50, "objects": [
                  {"object_id": 0, "category": "dog", "sounding": [1, 1], "boxes": [[0, 0, 1, 1], [0, 0, 1, 1]]}],
                 "mp4": {"fps": 2, "width": 200, "height": 100,
                         "boxes": [[[0, 0, 40, 40], [0, 0, 40, 40], [120, 20, 40, 40], [120, 20, 40, 40]]]}}""";
        ScheduleAgreement.Schedule s = ScheduleAgreement.read(Json.MAPPER.readTree(json));

        // When: records at 100x50 with the object at the scaled positions
        ScheduleAgreement a = ScheduleAgreement.of(s, List.of(record(0, true, instance(1, true, 0, 0, 20, 20)),
                record(1, true, instance(1, true, 60, 10, 20, 20))));

        // Then
        assertThat(a.agreeing()).isEqualTo(2);
        assertThat(a.truePositives()).isEqualTo(2);
    }

    @Test
    void shouldTakeTheScheduleOptionOutOfTheDemoArguments() {
        // When
        String[] rest = ScheduleAgreement.withoutScheduleOption("--input", "x.mp4", "--schedule", "s.json", "--jpeg");

        // Then
        assertThat(rest).containsExactly("--input", "x.mp4", "--jpeg");
        assertThat(ScheduleAgreement.scheduleOption("--schedule", "s.json")).contains(Path.of("s.json"));
        assertThat(ScheduleAgreement.scheduleOption("--input", "x.mp4")).isEmpty();
        assertThatThrownBy(() -> ScheduleAgreement.withoutScheduleOption("--schedule"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldPrintNoAgreementForAnotherClipWithoutSchedule() {
        // When
        Optional<String> other = ScheduleAgreement.demoLine(Optional.empty(), false, List.of());
        Optional<String> bundled = ScheduleAgreement.demoLine(Optional.empty(), true, new ArrayList<>(List.of(
                record(0, true))));

        // Then: another clip: no line; the bundled clip: its schedule from the class path
        assertThat(other).isEmpty();
        assertThat(bundled).hasValueSatisfying(l -> assertThat(l).contains("agreement", "/1 inferred frames"));
    }
}
