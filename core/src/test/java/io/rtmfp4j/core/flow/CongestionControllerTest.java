package io.rtmfp4j.core.flow;

import static io.rtmfp4j.core.flow.CongestionController.CWND_INIT;
import static io.rtmfp4j.core.flow.CongestionController.CWND_TIMEDOUT;
import static io.rtmfp4j.core.flow.CongestionController.MSS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The window arithmetic of RFC 7016 Appendix A as the spec (§5.8) describes it. */
class CongestionControllerTest {

    @Test
    void slowStartGrowsByWhatWasAcknowledgedUpToOneSegmentPerAck() {
        CongestionController cc = new CongestionController();
        long cwnd = cc.cwnd();
        cc.onAcknowledgement(1000, 0, false, false, cwnd, cwnd - 1000, false, true);
        assertThat(cc.cwnd()).isEqualTo(cwnd + 1000);
        cwnd = cc.cwnd();
        cc.onAcknowledgement(5000, 0, false, false, cwnd, 0, false, true);
        assertThat(cc.cwnd()).isEqualTo(cwnd + MSS);
    }

    @Test
    void anUnusedWindowDoesNotGrow() {
        CongestionController cc = new CongestionController();
        cc.onAcknowledgement(1000, 0, false, false, 1000, 0, false, true);
        assertThat(cc.cwnd()).isEqualTo(CWND_INIT);
    }

    @Test
    void aLossHalvesASmallWindowAndACutBigWindowLosesAnEighth() {
        CongestionController small = grown(20_000);
        small.onAcknowledgement(0, 1000, true, true, 20_000, 19_000, false, true);
        assertThat(small.cwnd()).isEqualTo(10_000);
        assertThat(small.ssthresh()).isEqualTo(10_000);

        CongestionController big = grown(160_000);
        big.onAcknowledgement(0, 1000, true, true, 160_000, 159_000, false, true);
        assertThat(big.cwnd()).isEqualTo(140_000);
    }

    @Test
    void lossesInsideTheRecoveryRoundTripOnlyUseTheAllowance() {
        CongestionController cc = grown(20_000);
        cc.onAcknowledgement(0, 1000, true, true, 20_000, 19_000, false, true);
        long afterCut = cc.cwnd();
        cc.onAcknowledgement(2000, 1000, true, true, 19_000, 16_000, false, true);
        assertThat(cc.cwnd()).isEqualTo(afterCut);
    }

    @Test
    void congestionAvoidanceGrowsSlowly() {
        CongestionController cc = grown(20_000);
        cc.onAcknowledgement(0, 1000, true, true, 20_000, 0, false, true);
        long cwnd = cc.cwnd();
        // ssthresh = cwnd now: 96 bytes per cwnd/16 acknowledged.
        cc.onAcknowledgement(cwnd / 16 * 2, 0, false, false, cwnd, 0, false, true);
        assertThat(cc.cwnd()).isEqualTo(cwnd + 2 * 96);
    }

    @Test
    void timeoutRestartsFromTheTimedOutWindowOrTheInitialOneWhenIdle() {
        CongestionController cc = grown(50_000);
        cc.onTimeout(false);
        assertThat(cc.cwnd()).isEqualTo(CWND_TIMEDOUT);
        cc.onTimeout(true);
        assertThat(cc.cwnd()).isEqualTo(CWND_INIT);
    }

    private static CongestionController grown(long target) {
        CongestionController cc = new CongestionController();
        while (cc.cwnd() < target) {
            long step = Math.min(MSS, target - cc.cwnd());
            cc.onAcknowledgement(step, 0, false, false, cc.cwnd(), 0, false, true);
        }
        return cc;
    }
}
