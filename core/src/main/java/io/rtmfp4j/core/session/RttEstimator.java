package io.rtmfp4j.core.session;

/**
 * Smoothed round-trip time and retransmission timeouts (RFC 7016 §3.5.2.2), in microseconds.
 * Samples come from timestamp echoes; before the first sample the conservative initial values apply.
 */
public final class RttEstimator {
    static final long INITIAL_MRTO = 250_000;
    static final long INITIAL_ERTO = 3_000_000;
    static final long MINIMUM_ERTO = 250_000;
    static final long MAXIMUM_ERTO = 10_000_000;
    /** The RFC's extra allowance for the far end's delayed acknowledgement. */
    static final long DELAYED_ACK_ALLOWANCE = 200_000;

    private long srtt = -1;
    private long rttvar;
    private long mrto = INITIAL_MRTO;
    private long erto = INITIAL_ERTO;

    public void sample(long rtt) {
        if (srtt < 0) {
            srtt = rtt;
            rttvar = rtt / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - rtt)) / 4;
            srtt = (7 * srtt + rtt) / 8;
        }
        mrto = srtt + 4 * rttvar + DELAYED_ACK_ALLOWANCE;
        erto = Math.max(mrto, MINIMUM_ERTO);
    }

    /** After a timeout: ERTO grows by √2, capped at 10 s but never below MRTO. */
    public void backOff() {
        erto = Math.max(Math.min((long) (erto * 1.414214), MAXIMUM_ERTO), mrto);
    }

    public boolean hasSample() {
        return srtt >= 0;
    }

    /** Smoothed RTT, or -1 before the first sample. */
    public long srtt() {
        return srtt;
    }

    public long rttvar() {
        return rttvar;
    }

    public long mrto() {
        return mrto;
    }

    public long erto() {
        return erto;
    }
}
