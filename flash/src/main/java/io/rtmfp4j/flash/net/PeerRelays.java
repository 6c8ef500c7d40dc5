package io.rtmfp4j.flash.net;

import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.ConnectListener;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.session.SessionState;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.tc.Command;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's side of its server's relay (docs/nat.md, "The relay"). When a session to a peer
 * has not opened within the relay deadline, it asks the server for a relay ({@code relay}); the
 * peer hears of it ({@code onRelay}). Each side then binds its relay port by sending the token it
 * was given from its own socket, again until the server says both are bound
 * ({@code onRelayReady}); then the side that asked adds the relay port to the session's
 * candidates, and the session opens through it like any other. The relay only moves datagrams:
 * the session is the same end-to-end encrypted RTMFP session, so nothing above changes.
 * Loop thread only.
 */
final class PeerRelays {
    private static final Logger log = LoggerFactory.getLogger(NetConnection.class);
    /** How often a binding request is sent until the server says the relay is ready. */
    static final long BIND_INTERVAL_MICROS = 200_000;
    /** How long binding is tried before the relay is given up. */
    static final long BIND_FOR_MICROS = 15_000_000;

    private final NetConnection nc;
    private final ServerChannel server;
    private final RelayPolicy policy;
    private final Duration after;
    /** Whether the server is reached through a TCP tunnel: then the relay is the only way to a peer. */
    private final BooleanSupplier tunnelled;
    /** Relays by the peer they reach. */
    private final Map<String, PeerRelay> relays = new HashMap<>();

    /** One relay: where our end is, its token, and whether we asked for it. */
    private static final class PeerRelay {
        final InetSocketAddress address;
        final byte[] token;
        final boolean asked;
        final long since;
        boolean ready;

        PeerRelay(InetSocketAddress address, byte[] token, boolean asked, long since) {
            this.address = address;
            this.token = token;
            this.asked = asked;
            this.since = since;
        }
    }

    PeerRelays(NetConnection nc, ServerChannel server, RelayPolicy policy, Duration after, BooleanSupplier tunnelled) {
        this.nc = nc;
        this.server = server;
        this.policy = policy;
        this.after = after;
        this.tunnelled = tunnelled;
        server.setCallHandler(Command.ON_RELAY, args -> {
            offered(args);
            return null;
        });
        server.setCallHandler(Command.ON_RELAY_READY, args -> {
            ready(args);
            return null;
        });
    }

    /** The policy in force: ALWAYS over a TCP tunnel (unless NEVER), since no direct path exists then. */
    RelayPolicy policy() {
        return policy == RelayPolicy.AUTO && tunnelled.getAsBoolean() ? RelayPolicy.ALWAYS : policy;
    }

    /**
     * A session to {@code peerId} is being opened: under {@link RelayPolicy#AUTO}, a relay is
     * asked for if it has not opened by the deadline; under ALWAYS, at once.
     */
    void opening(String peerId) {
        RelayPolicy now = policy();
        if (now == RelayPolicy.NEVER) {
            return;
        }
        check(peerId, now == RelayPolicy.ALWAYS ? 0 : after.toNanos() / 1000);
    }

    /**
     * Asks for a relay to {@code peerId} in {@code delay} µs unless a session to it is open by then,
     * or the peer has answered (its RHello came: the session is keying, RFC 7016 §3.5.1): then the
     * path works, and only the keying is slow, as it is on a busy host; the check comes again later.
     */
    private void check(String peerId, long delay) {
        nc.host().schedule(delay, e -> {
            if (!nc.isOpenForStreams() || e.openSessionByFingerprint(Hex.decode(peerId)).isPresent()
                    || relays.containsKey(peerId)) {
                return;
            }
            boolean answered = e.sessions().stream().anyMatch(s -> s.state() == SessionState.KEYING_SENT
                    && s.farPeerId().filter(peerId::equalsIgnoreCase).isPresent());
            if (answered) {
                check(peerId, after.toNanos() / 1000);
            } else {
                ask(peerId);
            }
        });
    }

    private void ask(String peerId) {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        server.call(Command.RELAY, new Object[] {peerId}, answer);
        // The call's answer comes back through the connection's callback executor: back to the loop.
        answer.whenComplete((value, error) -> nc.host().execute(e -> {
            if (error != null) {
                // A peer that left, or the relay's limits: the session then fails to open, and says so.
                log.debug("the server made no relay to {}: {}", peerId, error.getMessage());
                return;
            }
            start(value, true);
        }));
    }

    private void offered(List<Object> args) {
        if (policy != RelayPolicy.NEVER && !args.isEmpty()) {
            start(args.get(0), false);
        }
    }

    /** Takes an end of a relay the server describes ({@code peerId}, {@code port}, {@code token}) and binds it. */
    private void start(Object description, boolean asked) {
        if (!(description instanceof Map<?, ?> m) || !(m.get("peerId") instanceof String peer)
                || !PeerIds.isPeerId(peer) || !(m.get("port") instanceof Number port)
                || !(m.get("token") instanceof String hex) || hex.length() != 32 || !server.isConnected()) {
            log.debug("ignored a relay the server described as {}", description);
            return;
        }
        byte[] token;
        try {
            token = Hex.decode(hex);
        } catch (IllegalArgumentException e) {
            return;
        }
        String peerId = PeerIds.normalize(peer);
        InetSocketAddress address = new InetSocketAddress(server.address().orElseThrow().getAddress(), port.intValue());
        PeerRelay existing = relays.get(peerId);
        if (existing != null && existing.address.equals(address)) {
            return;
        }
        PeerRelay r = new PeerRelay(address, token, asked, nc.host().now());
        relays.put(peerId, r);
        bind(peerId, r);
    }

    /** Sends the binding request, and again every {@link #BIND_INTERVAL_MICROS} until ready or given up. */
    private void bind(String peerId, PeerRelay r) {
        if (relays.get(peerId) != r || r.ready || !server.isConnected()) {
            return;
        }
        if (nc.host().now() - r.since > BIND_FOR_MICROS) {
            log.info("the relay to {} did not become ready; giving it up", peerId);
            relays.remove(peerId);
            return;
        }
        nc.endpoint().sendDatagram(r.address, r.token);
        nc.host().schedule(BIND_INTERVAL_MICROS, e -> bind(peerId, r));
    }

    private void ready(List<Object> args) {
        if (args.isEmpty() || !(args.get(0) instanceof Map<?, ?> m) || !(m.get("peerId") instanceof String peer)
                || !PeerIds.isPeerId(peer)) {
            return;
        }
        String peerId = PeerIds.normalize(peer);
        PeerRelay r = relays.get(peerId);
        if (r == null || r.ready) {
            return;
        }
        r.ready = true;
        if (r.asked) {
            // Joins the session being opened to the peer: the relay port is one more candidate address.
            nc.endpoint().connect(EndpointDiscriminator.forPeer(Hex.decode(peerId)), List.of(r.address),
                    nc.host().now(), new ConnectListener() {
                        @Override
                        public void onOpen(Session session) {
                        }

                        @Override
                        public void onFailure(CloseReason reason) {
                        }
                    });
        }
    }

    /** Whether {@code s} goes through a relay of ours. */
    boolean isRelayed(Session s) {
        InetSocketAddress to = s.destination();
        for (PeerRelay r : relays.values()) {
            if (r.address.equals(to)) {
                return true;
            }
        }
        return false;
    }

    /** How the open session to {@code peerId} goes, if there is one. */
    Optional<PeerPath> path(String peerId) {
        return nc.endpoint().openSessionByFingerprint(Hex.decode(peerId))
                .map(s -> new PeerPath(peerId, s.destination(), isRelayed(s)));
    }

    /** A session ended: a relay it went through is of no more use here (the server ends it when idle). */
    void sessionClosed(Session s) {
        relays.values().removeIf(r -> r.address.equals(s.destination()));
    }
}
