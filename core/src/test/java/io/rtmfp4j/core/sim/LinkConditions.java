package io.rtmfp4j.core.sim;

/**
 * How a simulated one-way link treats datagrams. Times in microseconds; probabilities 0..1.
 *
 * @param delay      base one-way delay
 * @param jitter     extra delay, uniform in [0, jitter]; datagrams may overtake each other
 * @param loss       probability a datagram is lost
 * @param duplicate  probability a datagram is delivered twice
 */
public record LinkConditions(long delay, long jitter, double loss, double duplicate) {
    public static final LinkConditions PERFECT = new LinkConditions(10_000, 0, 0, 0);

    public LinkConditions {
        if (delay < 0 || jitter < 0 || loss < 0 || loss > 1 || duplicate < 0 || duplicate > 1) {
            throw new IllegalArgumentException("invalid link conditions");
        }
    }

    public LinkConditions withLoss(double p) {
        return new LinkConditions(delay, jitter, p, duplicate);
    }

    public LinkConditions withJitter(long j) {
        return new LinkConditions(delay, j, loss, duplicate);
    }

    public LinkConditions withDuplicate(double p) {
        return new LinkConditions(delay, jitter, loss, p);
    }
}
