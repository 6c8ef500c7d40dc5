package io.rtmfp4j.core.session;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of an endpoint. Written only by the endpoint's loop thread; readable from any thread
 * (for status pages and metrics) without stopping the loop.
 */
public final class EndpointStats {
    private final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);
    private final AtomicLongArray counters = new AtomicLongArray(Counter.values().length);

    /** Things that happen as a matter of course. */
    public enum Counter {
        DATAGRAMS_RECEIVED,
        DATAGRAMS_SENT,
        BYTES_RECEIVED,
        BYTES_SENT,
        SESSIONS_OPENED,
        SESSIONS_CLOSED,
        OPEN_FAILURES,
        FOREIGN_HELLOS,
        FORWARDED_HELLOS_RECEIVED,
        COOKIE_CHANGES_SENT,
        RIKEYING_RESENT,
        FLOWS_REJECTED,
        MESSAGES_DELIVERED,
        BYTES_DELIVERED,
        MESSAGES_ABANDONED,
        DATA_RETRANSMISSIONS,
        DATA_BYTES_LOST,
        ADDRESS_CHANGES,
        /** Closing sessions closed abruptly because more than the configured number were closing. */
        CLOSING_SESSIONS_EVICTED,
        /**
         * IHellos and IIKeyings sent again because no answer came in time: a responder that drops
         * startup packets (a handshake rate limit, say) shows here first.
         */
        STARTUP_RETRANSMISSIONS
    }

    private volatile int liveSessions;
    private volatile int closingSessions;

    void setSessions(int live, int closing) {
        liveSessions = live;
        closingSessions = closing;
    }

    /** Sessions opening or open: what the session cap counts. */
    public int liveSessions() {
        return liveSessions;
    }

    /** Sessions that ended for the application and are finishing their close exchange (RFC 7016 §3.5.5). */
    public int closingSessions() {
        return closingSessions;
    }

    void drop(DropReason reason) {
        drops.incrementAndGet(reason.ordinal());
    }

    void count(Counter counter) {
        counters.incrementAndGet(counter.ordinal());
    }

    void add(Counter counter, long n) {
        counters.addAndGet(counter.ordinal(), n);
    }

    public long drops(DropReason reason) {
        return drops.get(reason.ordinal());
    }

    public long totalDrops() {
        long sum = 0;
        for (int i = 0; i < drops.length(); i++) {
            sum += drops.get(i);
        }
        return sum;
    }

    public long get(Counter counter) {
        return counters.get(counter.ordinal());
    }

    public Map<DropReason, Long> dropsByReason() {
        Map<DropReason, Long> out = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            out.put(r, drops(r));
        }
        return out;
    }
}
