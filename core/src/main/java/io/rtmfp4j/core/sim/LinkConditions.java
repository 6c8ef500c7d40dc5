package io.rtmfp4j.core.sim;

/**
 * How a simulated one-way link treats datagrams. Times in microseconds; probabilities 0..1.
 *
 * <p>A datagram first waits in the link's transmit queue and is serialized at {@code bandwidth}
 * (FIFO: a slow link delays everything behind it, and a full queue drops the newcomer, as a
 * drop-tail router does); then it propagates for {@code delay}, plus its jitter and, sometimes,
 * the reorder delay. Loss and duplication happen in transit, after the queue: a lost datagram
 * still used the sender's bandwidth.
 *
 * @param delay        base one-way propagation delay
 * @param jitter       extra delay, uniform in [0, jitter); datagrams may overtake each other
 * @param loss         probability a datagram is lost in transit
 * @param duplicate    probability a datagram is delivered twice (each copy has its own jitter)
 * @param reorder      probability a datagram is held back by {@code reorderDelay}, so datagrams
 *                     sent after it overtake it; unlike jitter this leaves the others in order,
 *                     which is how reordering looks on real paths (one packet takes a slow route)
 * @param reorderDelay extra delay of a held-back datagram; positive when {@code reorder > 0}
 * @param bandwidth    serialization rate in bytes per second; 0 means unlimited
 * @param queueLimit   bytes the transmit queue holds (including the datagram being serialized);
 *                     a datagram that does not fit is dropped; 0 means unlimited. Only matters
 *                     with a bandwidth: an unlimited link never queues
 */
public record LinkConditions(long delay, long jitter, double loss, double duplicate,
                             double reorder, long reorderDelay, long bandwidth, int queueLimit) {
    public static final LinkConditions PERFECT = new LinkConditions(10_000, 0, 0, 0);

    public LinkConditions {
        requireNonNegative("delay", delay);
        requireNonNegative("jitter", jitter);
        requireProbability("loss", loss);
        requireProbability("duplicate", duplicate);
        requireProbability("reorder", reorder);
        requireNonNegative("reorderDelay", reorderDelay);
        if (reorder > 0 && reorderDelay == 0) {
            throw new IllegalArgumentException("reorder " + reorder + " needs a positive reorderDelay");
        }
        requireNonNegative("bandwidth", bandwidth);
        requireNonNegative("queueLimit", queueLimit);
    }

    /** Delay, jitter, loss and duplication only: no reordering, unlimited bandwidth and queue. */
    public LinkConditions(long delay, long jitter, double loss, double duplicate) {
        this(delay, jitter, loss, duplicate, 0, 0, 0, 0);
    }

    public LinkConditions withDelay(long d) {
        return new LinkConditions(d, jitter, loss, duplicate, reorder, reorderDelay, bandwidth, queueLimit);
    }

    public LinkConditions withJitter(long j) {
        return new LinkConditions(delay, j, loss, duplicate, reorder, reorderDelay, bandwidth, queueLimit);
    }

    public LinkConditions withLoss(double p) {
        return new LinkConditions(delay, jitter, p, duplicate, reorder, reorderDelay, bandwidth, queueLimit);
    }

    public LinkConditions withDuplicate(double p) {
        return new LinkConditions(delay, jitter, loss, p, reorder, reorderDelay, bandwidth, queueLimit);
    }

    /** With probability {@code p} a datagram arrives {@code extraDelay} late; {@code (0, 0)} turns it off. */
    public LinkConditions withReorder(double p, long extraDelay) {
        return new LinkConditions(delay, jitter, loss, duplicate, p, extraDelay, bandwidth, queueLimit);
    }

    /** Serialization rate in bytes per second; 0 for unlimited. */
    public LinkConditions withBandwidth(long bytesPerSecond) {
        return new LinkConditions(delay, jitter, loss, duplicate, reorder, reorderDelay, bytesPerSecond, queueLimit);
    }

    /** Transmit queue size in bytes (drop-tail); 0 for unlimited. */
    public LinkConditions withQueueLimit(int bytes) {
        return new LinkConditions(delay, jitter, loss, duplicate, reorder, reorderDelay, bandwidth, bytes);
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }

    private static void requireProbability(String name, double p) {
        // Written so that NaN fails too.
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], was " + p);
        }
    }
}
