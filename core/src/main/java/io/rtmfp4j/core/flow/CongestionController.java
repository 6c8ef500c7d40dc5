package io.rtmfp4j.core.flow;

/**
 * The session congestion window of RFC 7016 Appendix A, with the constants and refinements of
 * the reference implementation (spec §5.8): slow start and congestion avoidance whose pace
 * depends on time criticality, a loss allowance that softens the first cut of a big window,
 * and a recovery round trip during which further losses only trim the window.
 *
 * <p>Sizes are bytes. The caller says what each acknowledgement-bearing packet meant; this class
 * only keeps the arithmetic, so it can be tested and benchmarked alone.
 */
public final class CongestionController {
    /** Largest user-data fragment the sender emits (rtmfp-cpp SENDER_MSS). */
    public static final int MSS = 1161;
    public static final long CWND_INIT = 3L * MSS;
    public static final long CWND_TIMEDOUT = 2L * MSS;
    /** Above this many bytes in flight a bulk (non time-critical) sender cuts by 1/8 instead of 1/2. */
    static final long BIG_WINDOW = 67_200;
    private static final long UNBOUNDED = Long.MAX_VALUE;

    private long cwnd = CWND_INIT;
    private long ssthresh = UNBOUNDED;
    private long recoveryRemaining;
    private long lossAllowance;
    private long ackedAccumulator;

    public long cwnd() {
        return cwnd;
    }

    /** Slow start threshold; {@link Long#MAX_VALUE} until the first loss. */
    public long ssthresh() {
        return ssthresh;
    }

    /** Whether new data may leave with {@code outstanding} bytes in flight. */
    public boolean allows(long outstanding) {
        return cwnd > outstanding;
    }

    /**
     * One received packet that carried at least one acknowledgement.
     *
     * @param acked       bytes newly acknowledged by this packet
     * @param lost        bytes declared lost by negative acknowledgement in this packet
     * @param anyLoss     a loss (not of an abandoned fragment) or a fresh ECN congestion report
     * @param anyNak      some data fragment got a negative acknowledgement
     * @param pre         bytes outstanding before this packet was processed
     * @param outstanding bytes outstanding after it
     * @param tcSent      this session sent time-critical data within the last 800 ms
     * @param fastGrow    neither side of this session is under time-critical pressure
     */
    public void onAcknowledgement(long acked, long lost, boolean anyLoss, boolean anyNak, long pre, long outstanding,
            boolean tcSent, boolean fastGrow) {
        if (recoveryRemaining > acked + lost) {
            // Still inside the round trip that followed the last cut: only new losses count.
            recoveryRemaining -= acked + lost;
            if (lost > 0) {
                long cost = lost + (lost + 1) / 2;
                if (cost <= lossAllowance) {
                    lossAllowance -= cost;
                } else {
                    cost = Math.min(ssthresh, cost - lossAllowance);
                    lossAllowance = 0;
                    ssthresh = Math.max(ssthresh - cost, CWND_INIT);
                    cwnd = ssthresh;
                    recoveryRemaining += cost;
                }
            }
            return;
        }
        recoveryRemaining = 0;
        if (anyLoss) {
            long preCut = Math.min(cwnd, pre);
            long allowance = tcSent || (pre > BIG_WINDOW && fastGrow) ? preCut / 8 : preCut / 2;
            lossAllowance = Math.min(preCut, Math.max(allowance, lost + (lost + 1) / 2));
            ssthresh = Math.max(preCut - lossAllowance, CWND_INIT);
            cwnd = ssthresh;
            ackedAccumulator = 0;
            recoveryRemaining = outstanding;
        } else if (!anyNak && pre > cwnd * 63 / 64) {
            grow(acked, tcSent, fastGrow);
        } else if (!anyNak && cwnd > pre + 6L * MSS) {
            // An unused window decays slowly rather than staying open forever.
            cwnd--;
        }
    }

    private void grow(long acked, boolean tcSent, boolean fastGrow) {
        long increase;
        if (fastGrow) {
            increase = cwnd < ssthresh ? acked : accumulate(acked, 9600, 96);
        } else if (tcSent && cwnd < ssthresh) {
            increase = (acked + 3) / 4;
        } else {
            increase = accumulate(acked, 4800, tcSent ? 48 : 24);
        }
        cwnd = Math.max(cwnd + Math.min(increase, MSS), CWND_INIT);
    }

    /** Congestion avoidance: {@code step} bytes of growth per {@code cwnd/16} (bounded) bytes acknowledged. */
    private long accumulate(long acked, long maxThreshold, long step) {
        long threshold = Math.min(Math.max(cwnd / 16, 64), maxThreshold);
        ackedAccumulator += acked;
        long increase = 0;
        while (ackedAccumulator >= threshold) {
            ackedAccumulator -= threshold;
            increase += step;
        }
        return increase;
    }

    /**
     * The session's retransmission timer fired (spec §5.6). An idle session restarts from the
     * initial window; one with data outstanding treats it all as lost and restarts smaller.
     */
    public void onTimeout(boolean idle) {
        if (ssthresh != UNBOUNDED) {
            ssthresh = Math.max(ssthresh, cwnd * 3 / 4);
        }
        cwnd = idle ? CWND_INIT : CWND_TIMEDOUT;
        recoveryRemaining = 0;
    }

    @Override
    public String toString() {
        return "cwnd=" + cwnd + " ssthresh=" + (ssthresh == UNBOUNDED ? "inf" : ssthresh);
    }
}
