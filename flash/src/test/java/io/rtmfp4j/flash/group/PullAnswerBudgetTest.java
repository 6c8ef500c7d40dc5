package io.rtmfp4j.flash.group;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PullAnswerBudgetTest {
    static final int PIECE = 959;
    /** The answers allowed: one copy of a 1 Mbit/s stream, in bytes per second. */
    static final double RATE = 125_000;
    static final double BURST = RATE * PullAnswerBudget.BURST_MICROS / 1e6;

    /** Answers of one piece asked every {@code everyMicros} from {@code fromMicros} for {@code seconds}: the bytes let through. */
    private static long asked(PullAnswerBudget budget, double rate, long fromMicros, long everyMicros, int seconds) {
        long sent = 0;
        for (long t = fromMicros; t < fromMicros + seconds * 1_000_000L; t += everyMicros) {
            if (budget.take(PIECE, rate, t)) {
                sent += PIECE;
            }
        }
        return sent;
    }

    @Test
    void aRelayAskedEightTimesWhatItMayAnswerAnswersItsRateAndAQuarterSecondAhead() {
        long sent = asked(new PullAnswerBudget(), RATE, 5_000_000, 1_000, 10);
        assertThat(sent).isBetween((long) (10 * RATE), (long) (10 * RATE + BURST) + PIECE);
    }

    @Test
    void aRelayAskedLessThanItMayAnswerAnswersEveryPull() {
        long sent = asked(new PullAnswerBudget(), RATE, 5_000_000, 10_000, 10);
        assertThat(sent).isEqualTo(1000L * PIECE);
    }

    @Test
    void anIdleRelaySavesNoMoreThanAQuarterSecond() {
        PullAnswerBudget budget = new PullAnswerBudget();
        assertThat(asked(budget, RATE, 0, 1_000, 1)).isPositive();
        long atOnce = 0;
        while (budget.take(PIECE, RATE, 60_000_000)) {
            atOnce += PIECE;
        }
        assertThat(atOnce).isBetween((long) BURST - PIECE, (long) BURST);
    }

    @Test
    void aRelayAllowedNothingAnswersNothing() {
        assertThat(asked(new PullAnswerBudget(), 0, 5_000_000, 1_000, 10)).isZero();
    }

    @Test
    void aSlowRateStillLetsAFewFragmentsGoAtOnce() {
        PullAnswerBudget budget = new PullAnswerBudget();
        double slow = 2_500;
        long atOnce = 0;
        while (budget.take(PIECE, slow, 60_000_000)) {
            atOnce += PIECE;
        }
        assertThat(atOnce).isBetween(PullAnswerBudget.MIN_BURST_BYTES - PIECE, PullAnswerBudget.MIN_BURST_BYTES);
    }
}
