package io.rtmfp4j.server;

import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.ForeignHello;
import io.rtmfp4j.core.session.ForeignHelloHandler;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.server.cluster.NodeLink;
import io.rtmfp4j.server.directory.PeerDirectory;
import io.rtmfp4j.runtime.tunnel.TunnelAddresses;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Introduces peers to each other (RFC 7016 §3.5.1.4–5, spec §3.5): an IHello for a connected
 * peer's ID gets the initiator a Redirect to the target's addresses, observed first, and the target
 * the IHello forwarded through its session with us, so both send towards each other at once and
 * their NATs open.
 *
 * <p>In a cluster, a target connected to another node can only be reached through that node, where
 * its NAT mapping is open: the directory names the node, which forwards the IHello and answers with
 * the target's addresses as it knows them; the Redirect then goes from here, where the initiator
 * sent its IHello. Loop thread only.
 */
final class Introducer implements ForeignHelloHandler {
    private final Endpoint endpoint;
    private final Clients clients;
    private final ServerStats stats;
    private final PeerDirectory directory;
    private final NodeLink link;
    private final LoopExecutor loop;

    Introducer(Endpoint endpoint, Clients clients, ServerStats stats, PeerDirectory directory, NodeLink link,
            LoopExecutor loop) {
        this.endpoint = endpoint;
        this.clients = clients;
        this.stats = stats;
        this.directory = directory;
        this.link = link;
        this.loop = loop;
    }

    @Override
    public boolean onForeignHello(ForeignHello hello, long nowMicros) {
        byte[] fingerprint = hello.epd().fingerprint().orElse(null);
        if (fingerprint == null) {
            return false;
        }
        String peerId = Hex.encode(fingerprint);
        Client target = clients.connected(peerId);
        if (target != null) {
            // The Redirect goes first so the initiator's IHellos open its NAT before the target's RHello arrives.
            endpoint.sendRedirect(hello, destinations(target), nowMicros);
            forward(target, hello.rawEpd(), hello.tag(), hello.source(), nowMicros);
            stats.introductions.incrementAndGet();
            return true;
        }
        if (link == null) {
            stats.introductionsUnknownPeer.incrementAndGet();
            return false;
        }
        loop.whenDone(directory.find(peerId), (found, error) -> {
            if (error != null || found.isEmpty() || found.get().node().equals(link.self())) {
                stats.introductionsUnknownPeer.incrementAndGet();
                return;
            }
            loop.whenDone(link.forwardHello(found.get().node(), peerId, hello.rawEpd(), hello.tag(), hello.source()),
                    (addresses, failed) -> {
                        if (failed != null || addresses.isEmpty()) {
                            stats.introductionsUnknownPeer.incrementAndGet();
                            return;
                        }
                        // The other node has forwarded the IHello already: the target's RHello may arrive at the
                        // initiator before this Redirect, which the initiator then no longer needs.
                        endpoint.sendRedirect(hello, addresses, endpoint.now());
                        stats.introductions.incrementAndGet();
                        stats.introductionsRemote.incrementAndGet();
                    });
        });
        return true;
    }

    /**
     * Another node's request: forwards its initiator's IHello to a client connected here.
     *
     * @return the client's addresses, observed first; empty if it is not connected here
     */
    List<Address> forwardFromNode(String peerId, byte[] rawEpd, byte[] tag, InetSocketAddress initiator) {
        Client target = clients.connected(peerId);
        if (target == null) {
            return List.of();
        }
        forward(target, rawEpd, tag, initiator, endpoint.now());
        stats.introductionsForNodes.incrementAndGet();
        return destinations(target);
    }

    private static void forward(Client target, byte[] rawEpd, byte[] tag, InetSocketAddress initiator, long now) {
        // An RHello between a tunnelled client and any peer would have to cross UDP, which it has not.
        if (TunnelAddresses.isTunnel(initiator) || TunnelAddresses.isTunnel(target.session.destination())) {
            return;
        }
        target.session.forwardHello(rawEpd, new Address(initiator, Address.Origin.OBSERVED), tag, now);
    }

    /** Where the target can be reached: its address as we observe it, then those it reported. */
    private static List<Address> destinations(Client target) {
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
        return destinations;
    }
}
