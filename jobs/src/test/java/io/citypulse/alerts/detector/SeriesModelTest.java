package io.citypulse.alerts.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The baseline's learning and expectations, worked by hand. */
class SeriesModelTest {

    static final DetectorSettings S = DetectorSettings.DEFAULTS;
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @Test
    void slotsAreTheHourOfTheWeekAndTheHourOfTheDayByKindOfDay() {
        long mondayTen =
                ZonedDateTime.of(2026, 10, 5, 10, 0, 0, 0, ZONE).toInstant().toEpochMilli();
        long sundayTen =
                ZonedDateTime.of(2026, 10, 11, 10, 0, 0, 0, ZONE).toInstant().toEpochMilli();
        assertThat(Seasons.weekSlot(mondayTen, ZONE)).isEqualTo(10);
        assertThat(Seasons.daySlot(mondayTen, ZONE)).isEqualTo(10);
        assertThat(Seasons.weekSlot(sundayTen, ZONE)).isEqualTo(6 * 24 + 10);
        assertThat(Seasons.daySlot(sundayTen, ZONE)).isEqualTo(24 + 10);
    }

    @Test
    void firstSamplesAreAveragedThenForgottenExponentially() {
        SeriesModel m = new SeriesModel();
        m.learn(1, 10, Double.NaN, 3, 3, -1, S);
        m.learn(2, 20, Double.NaN, 3, 3, -1, S);
        // Plain average of the first two: 15 (weights 1, then 1/2 >= dayAlpha).
        assertThat(m.dayMean[3]).isCloseTo(15f, within(1e-5f));
        assertThat(m.weekMean[3]).isCloseTo(15f, within(1e-5f));
        for (int i = 0; i < 50; i++) {
            m.learn(3 + i, 30, Double.NaN, 3, 3, -1, S);
        }
        // Long after: the slot has followed the new level.
        assertThat(m.dayMean[3]).isCloseTo(30f, within(0.01f));
    }

    @Test
    void aSurgeIsLearnedOnlyUpToTwoStandardDeviationsAboveItsPrediction() {
        SeriesModel m = new SeriesModel();
        for (int i = 0; i < 3; i++) {
            m.learn(i, 100, Double.NaN, 5, 5, -1, S); // slot mean 100 after three samples
        }
        // Predicted 100, 1/r = prior 0.02 (the learned sums are still empty): sd = sqrt(100 +
        // 100^2 * 0.02) = sqrt(300) = 17.32; the hour of 1000 counts as 100 + 2 * 17.32 =
        // 134.64. The day slot has 3 samples, so its weight is max(1/4, 0.15) = 0.25:
        // 100 + 0.25 * 34.64 = 108.66 (a plain mean would be 325).
        m.learn(4, 1000, 100, 5, 5, -1, S);
        assertThat(m.dayMean[5])
                .isCloseTo((float) (100 + 0.25 * 2 * Math.sqrt(300)), within(1e-3f));
    }

    @Test
    void expectationBlendsTheWeekSlotWithTheDaySlot() {
        SeriesModel m = new SeriesModel();
        m.hoursLearned = S.warmupHours();
        m.dayMean[10] = 20;
        m.dayN[10] = 5;
        m.weekMean[10] = 30;
        m.weekN[10] = 2;
        // (2 * 30 + dayWeight 2 * 20) / (2 + 2) = 25
        assertThat(m.expected(10, 10, Double.NaN, false, S)).isCloseTo(25, within(1e-9));
        // Without history of that hour of the week: the day slot alone.
        assertThat(m.expected(11 + 24, 10, Double.NaN, false, S)).isCloseTo(20, within(1e-9));
    }

    @Test
    void aTopSeriesIsNotTestedBeforeItsWarmUp() {
        SeriesModel m = new SeriesModel();
        m.dayMean[10] = 20;
        m.dayN[10] = 1;
        m.hoursLearned = S.warmupHours() - 1;
        assertThat(m.expected(10, 10, Double.NaN, false, S)).isNaN();
    }

    @Test
    void aNewChildBorrowsItsParentsRhythmThroughItsShare() {
        SeriesModel child = new SeriesModel();
        // Seen 10 of its parent's 200 events: share 0.05; no slot of its own yet.
        child.shareNum = 10;
        child.shareDen = 200;
        assertThat(child.expected(10, 10, 80, true, S)).isCloseTo(4, within(1e-9));
        // With 4 days of its own at that hour (mean 8) against the prior's 4 pseudo-samples:
        // (4 * 8 + 4 * 4) / 8 = 6.
        child.hoursLearned = S.warmupHours();
        child.dayMean[10] = 8;
        child.dayN[10] = 4;
        assertThat(child.expected(10, 10, 80, true, S)).isCloseTo(6, within(1e-9));
    }

    @Test
    void aSlotThatSawNothingIsFlooredAtATenthOfTheUsualHour() {
        SeriesModel m = new SeriesModel();
        m.hoursLearned = S.warmupHours();
        for (int h = 0; h < 24; h++) {
            m.dayMean[h] = h == 3 ? 0 : 2;
            m.dayN[h] = 1;
        }
        // level = (23 * 2 + 0) / 24 = 1.9167; floor 0.19167.
        assertThat(m.expected(3, 3, Double.NaN, false, S)).isCloseTo(0.1 * 46 / 24, within(1e-9));
    }

    @Test
    void dispersionStaysAtThePriorForPoissonLikeHoursAndGrowsForNoisyOnes() {
        SeriesModel calm = new SeriesModel();
        SeriesModel noisy = new SeriesModel();
        for (int i = 0; i < 3; i++) {
            calm.learn(i, 50, Double.NaN, 1, 1, -1, S);
            noisy.learn(i, 50, Double.NaN, 1, 1, -1, S);
        }
        for (int i = 0; i < 200; i++) {
            calm.learn(10 + i, 50 + (i % 2 == 0 ? 7 : -7), 50, 1, 1, -1, S); // variance 49 ~ 50
            noisy.learn(10 + i, 50 + (i % 2 == 0 ? 25 : -25), 50, 1, 1, -1, S); // variance 625
        }
        assertThat(calm.inverseDispersion(S)).isLessThan(S.dispersionPrior());
        // (625 - 50 - estimation) / 2500 is about 0.22
        assertThat(noisy.inverseDispersion(S)).isBetween(0.15, 0.3);
    }
}
