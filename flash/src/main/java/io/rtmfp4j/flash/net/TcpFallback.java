package io.rtmfp4j.flash.net;

import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.runtime.UdpEndpoint;
import io.rtmfp4j.runtime.tunnel.TunnelClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's way to its server when UDP does not get there (docs/nat.md, "TCP fallback"):
 * under {@link Transport#AUTO}, if no answer has come over UDP by the deadline, a WebSocket tunnel
 * to the server opens and carries the server's datagrams from then on (the handshake's next
 * retransmission already goes through it); under {@link Transport#TCP}, from the start. The
 * listeners hear {@code NetConnection.Connect.TcpFallback} when it happens on its own. Loop
 * thread only.
 */
final class TcpFallback {
    private static final Logger log = LoggerFactory.getLogger(NetConnection.class);

    private final NetConnection nc;
    private final UdpEndpoint udp;
    private final Transport transport;
    private final URI tunnelUri;
    private final Duration after;
    private TunnelClient tunnel;
    private boolean started;

    /**
     * @param udp       the connection's own endpoint; null when it lives on a host that cannot tunnel
     * @param tunnelUri where the server's tunnel listener is, or null for {@code ws://} the server's
     *                  address and port, path {@code /rtmfp}
     */
    TcpFallback(NetConnection nc, UdpEndpoint udp, Transport transport, URI tunnelUri, Duration after) {
        this.nc = nc;
        this.udp = udp;
        this.transport = udp == null ? Transport.UDP : transport;
        this.tunnelUri = tunnelUri;
        this.after = after;
    }

    /** Whether the server is (to be) reached through the tunnel. */
    boolean tunnelled() {
        return started;
    }

    /** The connection starts opening its server session to {@code candidates}. */
    void connecting(RtmfpUri url, List<InetSocketAddress> candidates) {
        switch (transport) {
            case UDP -> {
            }
            case TCP -> start(url, candidates, false);
            case AUTO -> nc.host().schedule(after.toNanos() / 1000, e -> {
                if (!answered(candidates) && !nc.isConnected()) {
                    start(url, candidates, true);
                }
            });
        }
    }

    /** Whether the server answered over UDP: a session to one of its addresses got past the first step. */
    private boolean answered(List<InetSocketAddress> candidates) {
        for (Session s : nc.endpoint().sessions()) {
            if (s.destination() != null && candidates.contains(s.destination())) {
                return true;
            }
        }
        return false;
    }

    private void start(RtmfpUri url, List<InetSocketAddress> candidates, boolean fallback) {
        if (started) {
            return;
        }
        started = true;
        InetSocketAddress server = candidates.get(0);
        URI uri;
        try {
            uri = tunnelUri != null ? tunnelUri
                    : new URI("ws", null, server.getAddress().getHostAddress(), url.port(), "/rtmfp", null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("an address and a port always make a URI", e);
        }
        if (fallback) {
            nc.emit(NetStatus.of(Status.LEVEL_STATUS, Status.CONNECT_TCP_FALLBACK,
                    "no answer over UDP from " + PeerAddresses.format(server) + " within " + after.toMillis() / 1000.0
                            + " s; connecting through " + uri));
        }
        log.debug("opening a TCP tunnel to {} for {}", uri, server);
        TunnelClient.open(udp, uri, server.getAddress()).whenComplete((t, error) -> nc.host().execute(e -> {
            if (error != null) {
                // A fallback that failed leaves the connection on UDP, as before, not tunnelled; UDP
                // may yet work (a server slow to answer), and if not, the connect fails and says so.
                if (fallback) {
                    log.debug("the TCP tunnel to {} failed: {}", uri, error.getMessage());
                } else {
                    log.info("the TCP tunnel to {} failed: {}", uri, error.getMessage());
                }
                started = !fallback;
                return;
            }
            tunnel = t;
        }));
    }

    /**
     * Closes the tunnel, if one is open, once this turn of the loop is over: the close requests of
     * the sessions the connection is closing go out at its end, through the tunnel (to the server,
     * and through the relay to peers). Closed at once, it lost them, and the server and the peers
     * waited for the sessions to time out.
     */
    void close() {
        if (tunnel != null) {
            TunnelClient t = tunnel;
            tunnel = null;
            nc.host().execute(e -> t.close());
        }
    }
}
