package io.rtmfp4j.server.relay;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of the relay. Written on the server's loop, readable from any thread (status page,
 * metrics).
 */
public final class RelayStats {
    /** Why a client's request for a relay was refused. */
    public enum Refusal { DISABLED, UNKNOWN_PEER, SELF, CLIENT_LIMIT, SERVER_LIMIT, NO_PORT }

    /** Why a datagram that reached a relay port was not forwarded. */
    public enum Drop {
        /** Not from the address bound to that end, and not a binding request with its token. */
        STRANGER,
        /** A binding request with a token that is not the port's. */
        BAD_TOKEN,
        /** The other end has not bound yet. */
        PEER_UNBOUND,
        /** Over the sender's bytes per second. */
        RATE_LIMITED,
        /** The socket towards the other end had no room. */
        CONGESTED,
        /** For a port no relay holds (any more). */
        NO_RELAY
    }

    /** Why a relay ended. */
    public enum End { CLIENT_LEFT, IDLE, LIFETIME, NOT_BOUND, SHUTDOWN }

    private final AtomicLongArray refusals = new AtomicLongArray(Refusal.values().length);
    private final AtomicLongArray drops = new AtomicLongArray(Drop.values().length);
    private final AtomicLongArray ends = new AtomicLongArray(End.values().length);
    private final AtomicLongArray counters = new AtomicLongArray(4);
    private volatile int active;

    private static final int MADE = 0;
    private static final int BOUND = 1;
    private static final int DATAGRAMS = 2;
    private static final int BYTES = 3;

    void refused(Refusal r) {
        refusals.incrementAndGet(r.ordinal());
    }

    void dropped(Drop d) {
        drops.incrementAndGet(d.ordinal());
    }

    void ended(End e) {
        ends.incrementAndGet(e.ordinal());
    }

    void countMade() {
        counters.incrementAndGet(MADE);
    }

    void countBound() {
        counters.incrementAndGet(BOUND);
    }

    void forwarded(int bytes) {
        counters.incrementAndGet(DATAGRAMS);
        counters.addAndGet(BYTES, bytes);
    }

    void setActive(int n) {
        active = n;
    }

    /** Relays open now. */
    public int active() {
        return active;
    }

    /** Relays made since the start. */
    public long made() {
        return counters.get(MADE);
    }

    /** Relays whose two ends both bound. */
    public long bound() {
        return counters.get(BOUND);
    }

    public long datagramsRelayed() {
        return counters.get(DATAGRAMS);
    }

    public long bytesRelayed() {
        return counters.get(BYTES);
    }

    public long refusals(Refusal r) {
        return refusals.get(r.ordinal());
    }

    public long drops(Drop d) {
        return drops.get(d.ordinal());
    }

    public long ends(End e) {
        return ends.get(e.ordinal());
    }

    /** Refusals by reason, for the status page. */
    public Map<Refusal, Long> refusals() {
        Map<Refusal, Long> out = new EnumMap<>(Refusal.class);
        for (Refusal r : Refusal.values()) {
            out.put(r, refusals(r));
        }
        return out;
    }

    public Map<Drop, Long> drops() {
        Map<Drop, Long> out = new EnumMap<>(Drop.class);
        for (Drop d : Drop.values()) {
            out.put(d, drops(d));
        }
        return out;
    }

    public Map<End, Long> ends() {
        Map<End, Long> out = new EnumMap<>(End.class);
        for (End e : End.values()) {
            out.put(e, ends(e));
        }
        return out;
    }
}
