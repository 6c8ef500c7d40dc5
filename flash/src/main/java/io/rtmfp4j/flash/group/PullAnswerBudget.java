package io.rtmfp4j.flash.group;

/**
 * How much a relay uploads answering its neighbors' pull requests (netgroup spec §8.5): at most
 * {@link #COPIES} of the stream's rate, running ahead by {@link #BURST_MICROS} of it at most (a
 * token bucket). A relay's uplink carries its pushes first (two copies of the stream at most,
 * {@link GroupMedia#RELAY_PUSH_SLICES}); pull answers beyond that delay the pushes to its
 * children, whose holes then become pulls in turn. In a group of a thousand that loop ran until
 * pulls were half of what viewers got (docs/benchmarks.md, "Why a thousand viewers fall short").
 * A pull left unanswered is asked of another holder after its timeout. Loop thread only.
 */
final class PullAnswerBudget {
    /** Copies of the stream a relay uploads answering pulls at most, beside the two it pushes. */
    static final double COPIES = 1.0;
    /** How far ahead of that rate answers may run. */
    static final long BURST_MICROS = 250_000;
    /** The most saved up whatever the stream's rate: a few fragments, so that a slow stream's answers still go whole. */
    static final long MIN_BURST_BYTES = 16_384;

    private double credit;
    private long creditAt;

    /**
     * Whether an answer of {@code bytes} may go now, the stream coming at
     * {@code streamBytesPerSecond}; if so, its bytes are spent. A relay that receives nothing
     * answers nothing.
     */
    boolean take(int bytes, double streamBytesPerSecond, long nowMicros) {
        double perSecond = streamBytesPerSecond * COPIES;
        double burst = Math.max(MIN_BURST_BYTES, perSecond * BURST_MICROS / 1e6);
        credit = Math.min(burst, credit + perSecond * (nowMicros - creditAt) / 1e6);
        creditAt = nowMicros;
        if (credit < bytes) {
            return false;
        }
        credit -= bytes;
        return true;
    }
}
