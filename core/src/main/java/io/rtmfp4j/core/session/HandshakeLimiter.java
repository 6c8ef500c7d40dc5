package io.rtmfp4j.core.session;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-source-address token buckets for startup packets. Answering an IHello costs a cookie and a
 * datagram, an IIKeying a Diffie-Hellman computation and a session, an introduction a Redirect and
 * a forwarded hello: one host flooding them must not crowd out everyone else.
 *
 * <p>Keyed by IP address, not port, since a flooder picks ports freely. The table is bounded: the
 * least recently seen address is forgotten first, so a spray of spoofed sources costs memory
 * bounded by {@link #MAX_ADDRESSES} and can at worst reset buckets of addresses idle the longest.
 * A bucket that has had time to fill up again says nothing a new one would not, so it goes too:
 * the table holds the addresses of the last few seconds, not one entry per client a server has
 * ever seen.
 */
final class HandshakeLimiter {
    static final int MAX_ADDRESSES = 65_536;
    private static final long MICROS_PER_SECOND = 1_000_000;

    private final long rate;
    private final long burst;
    /** Microseconds an empty bucket takes to fill up. */
    private final long refill;
    private final Map<InetAddress, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    /** Tokens are counted in millionths so that refills every microsecond stay exact. */
    private static final class Bucket {
        long tokens;
        long updated;
    }

    HandshakeLimiter(int ratePerSecond, int burst) {
        this.rate = ratePerSecond;
        this.burst = burst * MICROS_PER_SECOND;
        this.refill = this.burst / Math.max(1, rate) + 1;
    }

    /** Takes one token for a startup packet from {@code address}; false when its bucket is empty. */
    boolean tryAcquire(InetAddress address, long nowMicros) {
        forgetFullBuckets(nowMicros);
        Bucket b = buckets.get(address);
        if (b == null) {
            b = new Bucket();
            b.tokens = burst;
            b.updated = nowMicros;
            buckets.put(address, b);
        } else if (nowMicros > b.updated) {
            // rate tokens per second = rate millionths of a token per microsecond.
            long elapsed = Math.min(nowMicros - b.updated, refill);
            b.tokens = Math.min(burst, b.tokens + elapsed * rate);
            b.updated = nowMicros;
        }
        if (b.tokens < MICROS_PER_SECOND) {
            return false;
        }
        b.tokens -= MICROS_PER_SECOND;
        return true;
    }

    /**
     * Drops up to two of the least recently used buckets if they are full by now: two per packet
     * empties the table faster than one address a packet can add to it.
     */
    private void forgetFullBuckets(long nowMicros) {
        Iterator<Bucket> eldest = buckets.values().iterator();
        for (int i = 0; i < 2 && eldest.hasNext(); i++) {
            Bucket b = eldest.next();
            if (nowMicros - b.updated < refill) {
                return;
            }
            eldest.remove();
        }
    }

    int trackedAddresses() {
        return buckets.size();
    }
}
