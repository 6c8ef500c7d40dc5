package io.rtmfp4j.server;

import io.rtmfp4j.flash.net.PeerAddresses;
import java.time.Duration;

/**
 * Settings of the rendezvous logic.
 *
 * @param serverKeepalive     keepalive period the server asks clients to use towards it (Set Keepalive, spec §6.4)
 * @param peerKeepalive       keepalive period it asks clients to use on their peer-to-peer sessions
 * @param connectTimeout      a session that has not connected successfully by then is closed
 * @param maxStreamsPerClient createStream beyond this many live streams fails
 * @param maxPeerAddresses    setPeerInfo addresses kept per client (more are ignored)
 * @param maxGroupsPerClient  server channels one client may hold open
 */
public record RendezvousSettings(Duration serverKeepalive, Duration peerKeepalive, Duration connectTimeout,
        int maxStreamsPerClient, int maxPeerAddresses, int maxGroupsPerClient) {

    /** Cirrus-era keepalives (15 s / 10 s, as Cumulus and MonaServer send); 30 s to connect. */
    public static final RendezvousSettings DEFAULTS = new RendezvousSettings(Duration.ofSeconds(15),
            Duration.ofSeconds(10), Duration.ofSeconds(30), 256, 16, 64);

    public RendezvousSettings {
        if (serverKeepalive.toMillis() < 5000 || peerKeepalive.toMillis() < 5000) {
            // Clients clamp below 5 s anyway (spec P23); saying less would only mislead.
            throw new IllegalArgumentException("keepalive periods must be at least 5 s");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
        if (maxStreamsPerClient < 1 || maxPeerAddresses < 0 || maxGroupsPerClient < 0) {
            throw new IllegalArgumentException("limits must not be negative (at least one stream)");
        }
    }
}
