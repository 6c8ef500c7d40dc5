package io.rtmfp4j.core.sim;

import java.util.ArrayDeque;

/**
 * A FIFO queue in front of a serializer of fixed rate: a link's transmit queue or a host's
 * uplink. Computed eagerly: a datagram's departure time is known when it enters, so the network
 * needs no event per departure.
 *
 * <p>Departures are computed from the start of the current busy period rather than by adding
 * each datagram's rounded serialization time, so rounding never accumulates: n datagrams of s
 * bytes sent back to back at r bytes/s leave exactly ceil(n·s·10⁶/r) µs after the first entered.
 */
final class TransmitQueue {
    static final long FULL = -1;

    /** Departure time and size of each datagram not yet fully sent, oldest first. */
    private final ArrayDeque<long[]> pending = new ArrayDeque<>();
    private long queuedBytes;
    /** When the last datagram accepted leaves; the queue is idle from then on. */
    private long busyUntil = Long.MIN_VALUE;
    /** Start, rate and bytes so far of the current busy period. */
    private long periodStart;
    private long periodRate;
    private long periodBytes;

    /**
     * Enqueues a datagram of {@code size} bytes at time {@code at}, which callers keep
     * nondecreasing.
     *
     * @param rate  bytes per second; 0 serializes instantly (but still after anything queued)
     * @param limit bytes the queue may hold, counting the datagram being serialized; 0 for no limit
     * @return when its last byte leaves, or {@link #FULL} if it was dropped
     */
    long enqueue(long at, int size, long rate, int limit) {
        while (!pending.isEmpty() && pending.peekFirst()[0] <= at) {
            queuedBytes -= pending.pollFirst()[1];
        }
        if (rate > 0 && limit > 0 && queuedBytes + size > limit) {
            return FULL;
        }
        long departure;
        if (rate == 0) {
            departure = Math.max(at, busyUntil);
        } else {
            if (at >= busyUntil || rate != periodRate) {
                // Idle (or the rate changed): a new busy period starts when the serializer is free.
                periodStart = Math.max(at, busyUntil);
                periodRate = rate;
                periodBytes = 0;
            }
            periodBytes += size;
            departure = periodStart + ceilDiv(Math.multiplyExact(periodBytes, 1_000_000L), rate);
        }
        busyUntil = departure;
        if (departure > at) {
            pending.addLast(new long[] {departure, size});
            queuedBytes += size;
        }
        return departure;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
