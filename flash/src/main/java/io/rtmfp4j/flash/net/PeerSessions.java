package io.rtmfp4j.flash.net;

import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.ConnectListener;
import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.session.SessionRole;
import io.rtmfp4j.core.session.SessionState;
import io.rtmfp4j.core.wire.Hex;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A connection's sessions with peers: opened through the server's introduction (RFC 7016
 * §3.5.1.5), and kept alive at the period the server announces for peer sessions (spec §6.4),
 * whichever side opened them. Loop thread only.
 */
final class PeerSessions implements EndpointListener {
    private final NetConnection nc;
    private final ServerChannel server;
    private final PeerRelays relays;
    private Duration keepalive;

    PeerSessions(NetConnection nc, ServerChannel server, PeerRelays relays) {
        this.nc = nc;
        this.server = server;
        this.relays = relays;
    }

    /**
     * Opens (or joins, or reuses) the session to {@code peerId}: the server is asked to introduce
     * us, and any {@code known} addresses of the peer are tried at once; the peer's answer may come
     * from any of its addresses. When the relay policy says so, the server's relay joins in later
     * (or, under {@link RelayPolicy#ALWAYS}, is the only way tried).
     */
    void open(String peerId, Collection<InetSocketAddress> known, ConnectListener listener) {
        List<InetSocketAddress> candidates = new ArrayList<>();
        if (relays.policy() != RelayPolicy.ALWAYS) {
            candidates.addAll(server.candidates());
            for (InetSocketAddress a : known) {
                if (!candidates.contains(a)) {
                    candidates.add(a);
                }
            }
        }
        nc.endpoint().connect(EndpointDiscriminator.forPeer(Hex.decode(peerId)), candidates, nc.host().now(),
                new ConnectListener() {
                    @Override
                    public void onOpen(Session session) {
                        applyKeepalive(session);
                        listener.onOpen(session);
                    }

                    @Override
                    public void onFailure(CloseReason reason) {
                        listener.onFailure(reason);
                    }
                });
        relays.opening(peerId);
    }

    void setKeepalive(Duration period) {
        keepalive = period;
        for (Session s : nc.endpoint().sessions()) {
            applyKeepalive(s);
        }
    }

    @Override
    public void onSessionOpen(Session session) {
        if (session.role() == SessionRole.RESPONDER) {
            applyKeepalive(session);
        }
    }

    private void applyKeepalive(Session s) {
        if (!server.isServer(s) && keepalive != null && s.state() == SessionState.OPEN) {
            s.setKeepalive(keepalive);
        }
    }

    /** Closes every session of the endpoint: Flash closes peer sessions with the server connection. */
    void closeAll() {
        Endpoint endpoint = nc.endpoint();
        if (endpoint == null) {
            return;
        }
        long now = nc.host().now();
        for (Session s : List.copyOf(endpoint.sessions())) {
            s.close(now);
        }
    }
}
