package io.avisstream.avis.eval;

import static io.avisstream.avis.eval.AvisCase.PERSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Properties with closed forms, on generated inputs. */
class ClosedFormPropertiesTest {
    @TempDir
    Path dir;

    @Test
    void shouldScoreAPerfectPredictionOneHundredOnRandomIntermittentTracks() {
        Random random = new Random(7);
        for (int round = 0; round < 5; round++) {
            // Given random videos of random tracks (each class used at least once), predicted exactly, null where absent
            AvisCase c = AvisCase.at720p().categories(1, 2, 3);
            int annId = 1;
            for (int v = 1; v <= 3; v++) {
                int frames = 3 + random.nextInt(5);
                c.video(v, "video" + random.nextInt(1000) + "_" + v, frames);
                for (int k = 0; k < 4; k++) {
                    AvisCase.Rect[] track = new AvisCase.Rect[frames];
                    int x = random.nextInt(1000);
                    int y = random.nextInt(500);
                    for (int f = 0; f < frames; f++) {
                        boolean present = f == 0 || random.nextInt(3) > 0;
                        track[f] = present ? new AvisCase.Rect(x + f * 3, y, x + f * 3 + 20 + random.nextInt(200),
                                y + 20 + random.nextInt(200)) : null;
                    }
                    int category = k < 3 ? k + 1 : 1 + random.nextInt(3);
                    c.gt(annId++, v, category, track).pred(v, category, random.nextDouble(), track);
                }
            }

            // When
            AvisCase.Run run = c.run(dir);

            // Then
            assertThat(run.exitCode()).isZero();
            for (String key : new String[] { "AP_all", "AR_all", "HOTA", "DetA", "AssA", "DetRe", "DetPr", "AssRe",
                    "AssPr", "LocA" }) {
                assertThat(run.get(key)).as("%s in round %d", key, round).isEqualTo(100.0);
            }
        }
    }

    @Test
    void shouldScoreAPerfectPredictionOneHundredInFslaWhenTracksArePresentInEveryFrame() {
        // Given two continuous tracks of different classes
        AvisCase.Rect a = AvisCase.A;
        AvisCase.Rect b = AvisCase.B;
        AvisCase c = AvisCase.at720p().categories(1, 3).video(1, "v", 5)
                .gt(1, 1, 1, a, a, a, a, a).gt(2, 1, 3, b, b, b, b, b)
                .pred(1, 1, 0.9, a, a, a, a, a).pred(1, 3, 0.8, b, b, b, b, b);

        // Then
        AvisCase.Run run = c.run(dir);
        assertThat(run.get("FA")).isEqualTo(100.0);
        assertThat(run.get("FAm")).isEqualTo(100.0);
        assertThat(run.get("FAm_count")).isEqualTo(5.0);
    }

    @Test
    void shouldMatchTheClosedFormWhenThePredictionLagsOneFrameBehind() {
        // Given a 200 px wide object moving 40 px per frame over T = 10 frames, predicted one frame late
        int t = 10;
        AvisCase.Rect[] gt = new AvisCase.Rect[t];
        AvisCase.Rect[] pred = new AvisCase.Rect[t];
        for (int f = 0; f < t; f++) {
            gt[f] = new AvisCase.Rect(100 + 40 * f, 100, 300 + 40 * f, 200);
            pred[f] = f == 0 ? null : gt[f - 1];
        }
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", t).gt(1, 1, PERSON, gt)
                .pred(1, PERSON, 0.9, pred);

        // When
        AvisCase.Run run = c.run(dir);

        // Then per frame IoU is 160/240 = 2/3, passing 13 of the 19 alphas, with (T-1)/T detection and association
        double perAlpha = (t - 1) / (double) t;
        assertThat(run.get("HOTA")).isCloseTo(100 * 13 / 19.0 * perAlpha, within(0.006));
        assertThat(run.get("DetA")).isCloseTo(100 * 13 / 19.0 * perAlpha, within(0.006));
        assertThat(run.get("LocA")).isCloseTo(100 * (13 * 2 / 3.0 + 6) / 19, within(0.006));
        // track IoU 9*160 / (9*240 + 200) = 0.61: thresholds 0.5, 0.55, 0.6
        assertThat(run.get("AP_all")).isEqualTo(30.0);
        // frame 0 (no prediction) fails; frames 1..9 pass at 13 alphas
        assertThat(run.get("FA")).isCloseTo(100 * 9 * 13 / (10 * 19.0), within(0.006));
    }

    @Test
    void shouldCountFramesWithoutSoundAsCorrectAndHaveNoApWhenTheGtIsEmpty() {
        // Given a video whose only category never sounds, and no predictions
        AvisCase c = AvisCase.at720p().categories(PERSON).video(1, "v", 6);

        // When
        AvisCase.Run run = c.run(dir);

        // Then
        assertThat(run.get("AP_all")).isEqualTo(-100.0);
        assertThat(run.get("AR_all")).isEqualTo(-100.0);
        assertThat(run.get("HOTA")).isZero();
        assertThat(run.get("LocA")).isEqualTo(100.0);
        assertThat(run.get("FA")).isEqualTo(100.0);
        assertThat(run.get("FAn")).isEqualTo(100.0);
        assertThat(run.get("FAn_all")).isEqualTo(6.0);
        assertThat(run.get("FAs")).isNaN();
    }
}
