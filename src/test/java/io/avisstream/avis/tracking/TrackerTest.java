package io.avisstream.avis.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.Detection;
import io.avisstream.avis.media.FrameDetections;

class TrackerTest {
    private static final float[] RED = { 1, 0, 0 };
    private static final float[] GREEN = { 0, 1, 0 };
    private static final float[] BLUE = { 0, 0, 1 };

    private final Tracker tracker = new Tracker(0.5, 2);

    @Test
    void shouldKeepTrackIdsWhenDetectionsSwapOrder() {
        // Given two objects in frame 1
        TrackerState s0 = TrackerState.initial();
        Tracker.Step first = tracker.step(s0, frame(1, det(0, 0.9f, RED), det(1, 0.8f, GREEN)));

        // When frame 2 lists them the other way round (and with swapped scores)
        Tracker.Step second = tracker.step(first.state(), frame(2, det(0, 0.9f, GREEN), det(1, 0.8f, RED)));

        // Then each colour keeps its id
        assertThat(ids(first)).containsExactly(1L, 2L);
        assertThat(second.instances()).extracting(i -> i.trackId() + ":" + i.detection().similarity()[0])
                .containsExactly("2:0.0", "1:1.0");
        assertThat(second.state().nextTrackId()).isEqualTo(3);
    }

    @Test
    void shouldOpenANewTrackWhenSimilarityIsBelowTheMinimum() {
        // Given a red track
        Tracker.Step first = tracker.step(TrackerState.initial(), frame(1, det(0, 0.9f, RED)));

        // When the only detection is orthogonal (cosine 0 < 0.5)
        Tracker.Step second = tracker.step(first.state(), frame(2, det(0, 0.9f, BLUE)));

        // Then it gets a new id and the red track stays alive, unseen
        assertThat(ids(second)).containsExactly(2L);
        assertThat(second.state().tracks()).extracting(Track::id).containsExactly(1L, 2L);
    }

    @Test
    void shouldRetireTracksUnseenForMoreThanMaxAgeAndNeverReuseIds() {
        // Given a red track seen in frame 1 only
        TrackerState s = tracker.step(TrackerState.initial(), frame(1, det(0, 0.9f, RED))).state();

        // When 3 empty frames pass (maxAge 2) and red comes back
        for (long seq = 2; seq <= 4; seq++) {
            s = tracker.step(s, frame(seq)).state();
        }
        Tracker.Step back = tracker.step(s, frame(5, det(0, 0.9f, RED)));

        // Then the old track retired and red gets a fresh id
        assertThat(s.tracks()).isEmpty();
        assertThat(ids(back)).containsExactly(2L);
    }

    @Test
    void shouldCountInferredFrames() {
        TrackerState s = TrackerState.initial();
        for (long seq = 1; seq <= 5; seq++) {
            s = tracker.step(s, frame(seq)).state();
        }
        assertThat(s.frameIndex()).isEqualTo(5);
    }

    @Test
    void shouldMarkOnlyTheMostProbableCountOfDetectionsAsSounding() {
        // Given P(N=0)=0.1, P(N=1)=0.7, P(N>=2)=0.2 and two detections
        FrameDetections out = new FrameDetections("s", 1, List.of(det(0, 0.6f, RED), det(1, 0.9f, GREEN)),
                new float[] { 0.1f, 0.7f, 0.2f });

        // When
        Tracker.Step step = tracker.step(TrackerState.initial(), out);

        // Then only the best-scoring detection is sounding
        assertThat(step.instances()).extracting(LinkedInstance::sounding).containsExactly(true, false);
        assertThat(step.instances().get(0).detection().score()).isEqualTo(0.9f);
        assertThat(SoundingRule.soundingCount(new float[] { 0.1f, 0.2f, 0.7f }, 5)).isEqualTo(5);
        assertThat(SoundingRule.soundingCount(null, 3)).isEqualTo(3);
    }

    @Test
    void shouldFlagSoundingWhatTheFrameDecoderHearsNowWhateverTheVideoScoreAndCount() {
        // Given the best-scoring detection is no longer heard in this frame (0.2) and a weaker one is (0.8),
        // while the count head still says two sources
        FrameDetections out = new FrameDetections("s", 1, List.of(heard(0, 0.9f, RED, 0.2f), heard(1, 0.6f, GREEN, 0.8f),
                heard(2, 0.5f, BLUE, 0.5f)), new float[] { 0.1f, 0.1f, 0.8f, 0f });

        // When the rule is heard (the default), then count
        Tracker.Step byHearing = tracker.step(TrackerState.initial(), out);
        Tracker.Step byCount = new Tracker(0.5, 2, 0.8, new SoundingRule(SoundingRule.Kind.COUNT, 0.5))
                .step(TrackerState.initial(), out);

        // Then hearing flags the two heard at >= 0.5, whatever their rank; count flags the two best scores
        assertThat(byHearing.instances()).extracting(LinkedInstance::sounding).containsExactly(false, true, true);
        assertThat(byCount.instances()).extracting(LinkedInstance::sounding).containsExactly(true, true, false);
        assertThat(byHearing.state().tracks()).extracting(Track::sounding).containsExactly(false, true, true);
    }

    @Test
    void shouldFlagAtMostTheCountMostStronglyHeardFirst() {
        // Given three heard detections (0.6, 0.9, 0.7) and a count of one, then of "Kmax or more"
        List<Detection> three = List.of(heard(0, 0.9f, RED, 0.6f), heard(1, 0.8f, GREEN, 0.9f),
                heard(2, 0.7f, BLUE, 0.7f));
        FrameDetections one = new FrameDetections("s", 1, three, new float[] { 0.1f, 0.8f, 0.1f });
        FrameDetections open = new FrameDetections("s", 1, three, new float[] { 0.1f, 0.1f, 0.8f });

        // Then one: the most strongly heard only; the open last class: every heard one
        assertThat(tracker.step(TrackerState.initial(), one).instances()).extracting(LinkedInstance::sounding)
                .containsExactly(false, true, false);
        assertThat(tracker.step(TrackerState.initial(), open).instances()).extracting(LinkedInstance::sounding)
                .containsExactly(true, true, true);
        assertThat(SoundingRule.DEFAULT.flags(new float[] { 0.7f, 0.7f, 0.2f }, new float[] { 0.1f, 0.8f, 0.1f }))
                .as("equal hearing: the better score first").containsExactly(true, false, false);
    }

    @Test
    void shouldFallBackToTheCountWhenTheEngineGivesNoHearing() {
        // Given detections without frame-level hearing (NaN) and a count of one
        FrameDetections out = new FrameDetections("s", 1, List.of(det(0, 0.9f, RED), det(1, 0.6f, GREEN)),
                new float[] { 0.1f, 0.8f, 0.1f });

        // Then the heard rule flags as the count rule does
        assertThat(tracker.step(TrackerState.initial(), out).instances()).extracting(LinkedInstance::sounding)
                .containsExactly(true, false);
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new SoundingRule(SoundingRule.Kind.HEARD, 1.5));
    }

    @Test
    void shouldNeverLinkOrPublishADetectionWithAnEmptyMask() {
        // Given the best-scoring detection has an empty mask, and the count head says one object sounds
        Detection empty = new Detection(0, 0, 0.95f, RED, new BinaryMask(16, 1, new byte[16]));
        FrameDetections out = new FrameDetections("s", 1, List.of(empty, det(1, 0.6f, GREEN)),
                new float[] { 0.1f, 0.8f, 0.1f });

        // When
        Tracker.Step step = tracker.step(TrackerState.initial(), out);

        // Then it is gone, takes no id and no sounding slot: the real object is track 1 and sounding
        assertThat(step.instances()).extracting(i -> i.trackId() + ":" + i.sounding() + ":" + i.detection().queryIndex())
                .containsExactly("1:true:1");
        assertThat(step.state().tracks()).hasSize(1);
    }

    @Test
    void shouldDropADuplicateOfABetterDetectionAboveTheIouThreshold() {
        // Given two detections with the same 10-pixel mask but one (9/11 IoU ~ 0.82 with it) and a third apart
        byte[] a = new byte[40];
        byte[] b = new byte[40];
        byte[] c = new byte[40];
        for (int i = 0; i < 10; i++) {
            a[i] = 1;
            b[i + 1] = 1;
            c[30 + i % 10] = 1;
        }
        FrameDetections out = new FrameDetections("s", 1, List.of(
                new Detection(0, 0, 0.7f, RED, new BinaryMask(40, 1, a)),
                new Detection(1, 0, 0.9f, GREEN, new BinaryMask(40, 1, b)),
                new Detection(2, 0, 0.5f, BLUE, new BinaryMask(40, 1, c))), new float[0]);

        // When duplicates above IoU 0.8 are dropped, and when only above 0.9
        Tracker.Step strict = new Tracker(0.5, 2, 0.8).step(TrackerState.initial(), out);
        Tracker.Step loose = new Tracker(0.5, 2, 0.9).step(TrackerState.initial(), out);

        // Then the worse of the overlapping pair goes at 0.8 (IoU 0.818) and stays at 0.9
        assertThat(DetectionHygiene.iou(out.detections().get(0).mask(), out.detections().get(1).mask()))
                .isCloseTo(9 / 11.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(strict.instances()).extracting(i -> i.detection().queryIndex()).containsExactly(1, 2);
        assertThat(strict.state().nextTrackId()).isEqualTo(3);
        assertThat(loose.instances()).extracting(i -> i.detection().queryIndex()).containsExactly(1, 0, 2);
    }

    @Test
    void shouldRejectADuplicateIouOutsideZeroToOne() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new Tracker(0.5, 2, 0));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new Tracker(0.5, 2, 1.5));
    }

    private static List<Long> ids(Tracker.Step step) {
        return step.instances().stream().map(LinkedInstance::trackId).toList();
    }

    private static FrameDetections frame(long seq, Detection... detections) {
        return new FrameDetections("s", seq, List.of(detections), new float[0]);
    }

    /** As {@link #det}, with the frame decoder's hearing of it. */
    private static Detection heard(int query, float score, float[] embedding, float heard) {
        Detection d = det(query, score, embedding);
        return new Detection(d.queryIndex(), d.classId(), d.score(), d.similarity(), d.mask(), new float[0], heard);
    }

    /** A detection whose mask is the one pixel {@code query} of a 16x1 frame: distinct queries never overlap. */
    private static Detection det(int query, float score, float[] embedding) {
        byte[] mask = new byte[16];
        mask[query] = 1;
        return new Detection(query, 0, score, embedding, new BinaryMask(16, 1, mask));
    }
}
