package io.rtmfp4j.flash.group;

/**
 * How much a relay uploads answering its neighbors' pull requests (netgroup spec §8.5): at most
 * a rate its owner sets ({@link GroupMedia#RELAY_UPLOAD_SLICES}: what its pushes leave of three
 * copies of the stream), running ahead of it by {@link #BURST_MICROS} at most (a token bucket).
 * A relay's uplink carries its pushes first; pull answers beyond that delay the pushes to its
 * children, whose holes then become pulls in turn. In a group of a thousand that loop ran until
 * pulls were half of what viewers got (docs/benchmarks.md, "Why a thousand viewers fall short").
 * A pull left unanswered is asked of another holder after its timeout. Loop thread only.
 */
final class PullAnswerBudget {
    /** How far ahead of the rate answers may run. */
    static final long BURST_MICROS = 250_000;
    /** The most saved up whatever the rate: a few fragments, so that a slow stream's answers still go whole. */
    static final long MIN_BURST_BYTES = 16_384;

    private double credit;
    private long creditAt;

    /**
     * Whether an answer of {@code bytes} may go now, answers being allowed
     * {@code bytesPerSecond}; if so, its bytes are spent. At a rate of 0 nothing goes.
     */
    boolean take(int bytes, double bytesPerSecond, long nowMicros) {
        double burst = Math.max(MIN_BURST_BYTES, bytesPerSecond * BURST_MICROS / 1e6);
        credit = Math.min(burst, credit + bytesPerSecond * (nowMicros - creditAt) / 1e6);
        creditAt = nowMicros;
        if (credit < bytes) {
            return false;
        }
        credit -= bytes;
        return true;
    }
}
