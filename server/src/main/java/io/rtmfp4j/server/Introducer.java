package io.rtmfp4j.server;

import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.ForeignHello;
import io.rtmfp4j.core.session.ForeignHelloHandler;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.runtime.tunnel.TunnelAddresses;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Introduces peers to each other (RFC 7016 §3.5.1.4–5, spec §3.5): an IHello for a connected
 * peer's ID gets the initiator a Redirect to the target's addresses, observed first, and the target
 * the IHello forwarded through its session with us, so both send towards each other at once and
 * their NATs open. Loop thread only.
 */
final class Introducer implements ForeignHelloHandler {
    private final Endpoint endpoint;
    private final Clients clients;
    private final ServerStats stats;

    Introducer(Endpoint endpoint, Clients clients, ServerStats stats) {
        this.endpoint = endpoint;
        this.clients = clients;
        this.stats = stats;
    }

    @Override
    public boolean onForeignHello(ForeignHello hello, long nowMicros) {
        byte[] fingerprint = hello.epd().fingerprint().orElse(null);
        if (fingerprint == null) {
            return false;
        }
        Client target = clients.connected(Hex.encode(fingerprint));
        if (target == null) {
            stats.introductionsUnknownPeer.incrementAndGet();
            return false;
        }
        List<Address> destinations = new ArrayList<>();
        InetSocketAddress observed = target.session.destination();
        // A client behind a TCP tunnel has no address a peer could send to; the relay is its way.
        if (!TunnelAddresses.isTunnel(observed)) {
            destinations.add(new Address(observed, Address.Origin.OBSERVED));
        }
        for (InetSocketAddress a : target.reported) {
            if (!a.equals(observed)) {
                destinations.add(new Address(a, Address.Origin.REPORTED));
            }
        }
        // The Redirect goes first so the initiator's IHellos open its NAT before the target's RHello arrives.
        endpoint.sendRedirect(hello, destinations, nowMicros);
        // An RHello between a tunnelled client and any peer would have to cross UDP, which it has not.
        if (!TunnelAddresses.isTunnel(hello.source()) && !TunnelAddresses.isTunnel(observed)) {
            target.session.forwardHello(hello.rawEpd(), new Address(hello.source(), Address.Origin.OBSERVED),
                    hello.tag(), nowMicros);
        }
        stats.introductions.incrementAndGet();
        return true;
    }
}
