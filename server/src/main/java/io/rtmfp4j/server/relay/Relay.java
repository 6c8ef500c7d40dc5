package io.rtmfp4j.server.relay;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The relay of the rendezvous server, TURN-like (docs/nat.md, "The relay"): for two connected
 * clients that cannot reach each other directly, it opens a port for each, and forwards the
 * datagrams one sends to its port out of the other's port to the other. The RTMFP session inside
 * stays end to end between the peers, encrypted with keys the relay never has; the relay only
 * moves datagrams.
 *
 * <p>It is no open reflector: only a connected client can ask for a relay, and only towards
 * another connected client; each port forwards only what comes from the address bound to it,
 * and binding takes a 16-byte secret that the server sent its client over the client's
 * encrypted control flow. Per client it limits relays at once and bytes per second; every relay
 * has a lifetime, an idle timeout and a time to bind both ends.
 *
 * <p>Sans-IO: sockets are a {@link RelayNetwork}, time comes with every call, and it all runs on
 * the server's loop thread.
 */
public final class Relay {
    /** A binding request is exactly this long: the token. RTMFP packets are never under 20 bytes. */
    public static final int TOKEN_LENGTH = 16;
    /** Ticks a relay in use lives on after one of its clients left (see {@link #release}). */
    static final int LEAVING_TICKS = 2;

    /** What the relay tells the rest of the server; called on the loop. */
    public interface Events {
        /** Both ends of {@code relay} have bound: datagrams flow between them. */
        void ready(RelayAllocation relay);

        /** {@code relay} ended (a client left, a limit was reached); its ports are closed. */
        default void ended(RelayAllocation relay, RelayStats.End why) {
        }
    }

    private final RelaySettings settings;
    private final RelayNetwork network;
    private final SecureRandom random;
    private final Events events;
    private final RelayStats stats = new RelayStats();
    private final Map<Integer, RelayAllocation.End> byPort = new HashMap<>();
    private final Map<Pair, RelayAllocation> byPair = new HashMap<>();
    /** Relays each client is in, made or being made. */
    private final Map<String, Integer> perClient = new HashMap<>();
    private final Map<String, ByteRate> rates = new HashMap<>();
    private int opening;
    private boolean closed;

    /** Two peer IDs in either order. */
    private record Pair(String low, String high) {
        static Pair of(String a, String b) {
            return a.compareTo(b) <= 0 ? new Pair(a, b) : new Pair(b, a);
        }
    }

    public Relay(RelaySettings settings, RelayNetwork network, SecureRandom random, Events events) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.network = Objects.requireNonNull(network, "network");
        this.random = Objects.requireNonNull(random, "random");
        this.events = Objects.requireNonNull(events, "events");
    }

    public RelayStats stats() {
        return stats;
    }

    public RelaySettings settings() {
        return settings;
    }

    /** The relay between these two peers, made or being made, if any. */
    public Optional<RelayAllocation> find(String a, String b) {
        return Optional.ofNullable(byPair.get(Pair.of(a, b)));
    }

    /**
     * Makes a relay from {@code requester} to {@code target}, both connected clients at the given
     * addresses, or says why not. Completes on the loop once both ports are open.
     *
     * @return the relay, or failed with a {@link RelayRefusedException}
     */
    public CompletableFuture<RelayAllocation> allocate(String requester, InetSocketAddress requesterAddress,
            String target, InetSocketAddress targetAddress, long now) {
        RelayStats.Refusal refusal = refusal(requester, target);
        if (refusal != null) {
            stats.refused(refusal);
            return CompletableFuture.failedFuture(new RelayRefusedException(refusal));
        }
        opening++;
        count(requester, 1);
        count(target, 1);
        CompletableFuture<Integer> first = network.open(requesterAddress);
        CompletableFuture<Integer> second = network.open(targetAddress);
        return first.handle((p, e) -> e == null ? p : null)
                .thenCombine(second.handle((p, e) -> e == null ? p : null), (p1, p2) -> {
                    opening--;
                    if (p1 == null || p2 == null || closed || perClient.getOrDefault(requester, 0) == 0
                            || perClient.getOrDefault(target, 0) == 0) {
                        // A port would not open, or a client left (or the relay stopped) meanwhile.
                        closeQuietly(p1);
                        closeQuietly(p2);
                        uncount(requester);
                        uncount(target);
                        RelayStats.Refusal why = p1 == null || p2 == null ? RelayStats.Refusal.NO_PORT
                                : RelayStats.Refusal.UNKNOWN_PEER;
                        stats.refused(why);
                        throw new RelayRefusedException(why);
                    }
                    RelayAllocation a = new RelayAllocation(new RelayAllocation.End(requester, p1, token()),
                            new RelayAllocation.End(target, p2, token()), now);
                    byPort.put(p1, a.requester());
                    byPort.put(p2, a.target());
                    byPair.put(Pair.of(requester, target), a);
                    stats.countMade();
                    stats.setActive(byPair.size());
                    return a;
                });
    }

    private RelayStats.Refusal refusal(String requester, String target) {
        if (!settings.enabled() || closed) {
            return RelayStats.Refusal.DISABLED;
        }
        if (requester.equals(target)) {
            return RelayStats.Refusal.SELF;
        }
        if (byPair.size() + opening >= settings.maxRelays()) {
            return RelayStats.Refusal.SERVER_LIMIT;
        }
        if (perClient.getOrDefault(requester, 0) >= settings.maxPerClient()
                || perClient.getOrDefault(target, 0) >= settings.maxPerClient()) {
            return RelayStats.Refusal.CLIENT_LIMIT;
        }
        return null;
    }

    private byte[] token() {
        byte[] t = new byte[TOKEN_LENGTH];
        random.nextBytes(t);
        return t;
    }

    private void count(String peerId, int n) {
        perClient.merge(peerId, n, Integer::sum);
    }

    private void uncount(String peerId) {
        Integer left = perClient.computeIfPresent(peerId, (k, v) -> v > 1 ? v - 1 : null);
        if (left == null) {
            rates.remove(peerId);
        }
    }

    private void closeQuietly(Integer port) {
        if (port != null) {
            network.close(port);
        }
    }

    /**
     * A datagram arrived on relay port {@code port}: a binding request (the port's token), or a
     * datagram from the address bound there, forwarded to the other end. Anything else is dropped.
     */
    public void receive(int port, InetSocketAddress from, byte[] data, int off, int len, long now) {
        RelayAllocation.End end = byPort.get(port);
        if (end == null) {
            stats.dropped(RelayStats.Drop.NO_RELAY);
            return;
        }
        if (len == TOKEN_LENGTH) {
            bind(end, from, data, off);
            return;
        }
        if (!from.equals(end.bound())) {
            stats.dropped(RelayStats.Drop.STRANGER);
            return;
        }
        RelayAllocation.End other = end.other();
        if (other.bound() == null) {
            stats.dropped(RelayStats.Drop.PEER_UNBOUND);
            return;
        }
        if (!rates.computeIfAbsent(end.peerId(), k -> new ByteRate(settings.bytesPerSecond(), now)).take(len, now)) {
            stats.dropped(RelayStats.Drop.RATE_LIMITED);
            return;
        }
        if (!network.send(other.port(), other.bound(), data, off, len)) {
            stats.dropped(RelayStats.Drop.CONGESTED);
            return;
        }
        end.allocation().lastForwardAt = now;
        stats.forwarded(len);
    }

    private void bind(RelayAllocation.End end, InetSocketAddress from, byte[] data, int off) {
        byte[] presented = new byte[TOKEN_LENGTH];
        System.arraycopy(data, off, presented, 0, TOKEN_LENGTH);
        if (!MessageDigest.isEqual(presented, end.tokenRef())) {
            stats.dropped(RelayStats.Drop.BAD_TOKEN);
            return;
        }
        // A second binding moves the end: the peer's NAT may have given it a new mapping.
        end.bind(from);
        RelayAllocation a = end.allocation();
        if (!a.ready && end.other().bound() != null) {
            a.ready = true;
            stats.countBound();
            events.ready(a);
        }
    }

    /**
     * A client left: every relay it is in ends, and one being made for it is dropped when its ports
     * open. A relay in use ends a tick or two later: a client that leaves closes its peer sessions
     * as it closes its server session, and that close, relayed, may come in just after the server
     * heard it leave; without it the peer would wait for its session to time out.
     */
    public void release(String peerId) {
        for (RelayAllocation a : List.copyOf(byPair.values())) {
            if (a.endOf(peerId) != null) {
                if (a.ready && a.leftBy == null) {
                    a.leftBy = peerId;
                } else {
                    end(a, RelayStats.End.CLIENT_LEFT);
                }
            }
        }
        perClient.remove(peerId);
        rates.remove(peerId);
    }

    /** Ends relays past their lifetime, idle ones and those not bound in time; call about once a second. */
    public void onTick(long now) {
        long life = settings.lifetime().toNanos() / 1000;
        long idle = settings.idleTimeout().toNanos() / 1000;
        long bind = settings.bindTimeout().toNanos() / 1000;
        for (RelayAllocation a : List.copyOf(byPair.values())) {
            if (a.leftBy != null && ++a.ticksSinceLeft >= LEAVING_TICKS) {
                end(a, RelayStats.End.CLIENT_LEFT);
                rates.remove(a.leftBy);
            } else if (now - a.createdAt() >= life) {
                end(a, RelayStats.End.LIFETIME);
            } else if (!a.ready && now - a.createdAt() >= bind) {
                end(a, RelayStats.End.NOT_BOUND);
            } else if (a.ready && now - a.lastForwardAt >= idle) {
                end(a, RelayStats.End.IDLE);
            }
        }
    }

    /** Ends every relay and refuses new ones. */
    public void shutdown() {
        closed = true;
        for (RelayAllocation a : List.copyOf(byPair.values())) {
            end(a, RelayStats.End.SHUTDOWN);
        }
    }

    private void end(RelayAllocation a, RelayStats.End why) {
        if (byPair.remove(Pair.of(a.requester().peerId(), a.target().peerId()), a)) {
            for (RelayAllocation.End e : List.of(a.requester(), a.target())) {
                byPort.remove(e.port());
                network.close(e.port());
                uncount(e.peerId());
            }
            stats.ended(why);
            stats.setActive(byPair.size());
            events.ended(a, why);
        }
    }

    /** A client's bytes per second through its relays: a token bucket holding a second's worth. */
    private static final class ByteRate {
        private final long rate;
        private double tokens;
        private long last;

        ByteRate(long rate, long now) {
            this.rate = rate;
            this.tokens = rate;
            this.last = now;
        }

        boolean take(int bytes, long now) {
            if (now > last) {
                tokens = Math.min(rate, tokens + (now - last) * (rate / 1e6));
                last = now;
            }
            if (tokens < bytes) {
                return false;
            }
            tokens -= bytes;
            return true;
        }
    }
}
