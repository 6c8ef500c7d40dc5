package io.rtmfp4j.core.session;

import java.time.Duration;

/**
 * How one message written to a {@link SendFlow} may be given up (RFC 7016 §3.6.2.3): deadlines
 * relative to the time of the write, best effort, or a parent message it depends on.
 *
 * @param startWithin  abandon the message if no fragment of it has left within this long; null for no limit
 * @param finishWithin abandon the message if it is not fully acknowledged within this long; null for no limit
 * @param retransmit   false makes every fragment best effort: a lost fragment abandons the message
 * @param parent       a message this one depends on; abandoning the parent abandons this one; may be null
 */
public record WriteOptions(Duration startWithin, Duration finishWithin, boolean retransmit, WriteReceipt parent) {
    /** Fully reliable: no deadline, retransmitted until acknowledged. */
    public static final WriteOptions RELIABLE = new WriteOptions(null, null, true, null);

    public WriteOptions {
        if (startWithin != null && startWithin.isNegative() || finishWithin != null && finishWithin.isNegative()) {
            throw new IllegalArgumentException("deadlines must not be negative");
        }
    }

    public static WriteOptions finishWithin(Duration d) {
        return new WriteOptions(null, d, true, null);
    }

    public static WriteOptions startWithin(Duration d) {
        return new WriteOptions(d, null, true, null);
    }

    public static WriteOptions bestEffort() {
        return new WriteOptions(null, null, false, null);
    }

    public WriteOptions withStartWithin(Duration d) {
        return new WriteOptions(d, finishWithin, retransmit, parent);
    }

    public WriteOptions withFinishWithin(Duration d) {
        return new WriteOptions(startWithin, d, retransmit, parent);
    }

    public WriteOptions withRetransmit(boolean r) {
        return new WriteOptions(startWithin, finishWithin, r, parent);
    }

    public WriteOptions withParent(WriteReceipt p) {
        return new WriteOptions(startWithin, finishWithin, retransmit, p);
    }

    boolean hasDeadline() {
        return startWithin != null || finishWithin != null;
    }

    static long deadline(Duration d, long now) {
        if (d == null) {
            return Long.MAX_VALUE;
        }
        long micros;
        try {
            micros = d.toNanos() / 1000;
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
        return micros >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + micros;
    }
}
