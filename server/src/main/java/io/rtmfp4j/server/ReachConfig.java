package io.rtmfp4j.server;

import io.rtmfp4j.server.conncheck.ConnectivityCheckConfig;
import io.rtmfp4j.server.relay.RelaySettings;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * How the server helps clients that introductions alone do not bring together (docs/nat.md):
 * the relay, the TCP tunnel for clients without UDP, the connectivity check.
 *
 * @param relay     the relay's settings ({@link RelaySettings#OFF} for none)
 * @param tunnel    the TCP address of the WebSocket tunnel listener, or null for none
 * @param conncheck where connectivity probes come from, or null for no check
 */
public record ReachConfig(RelaySettings relay, InetSocketAddress tunnel, ConnectivityCheckConfig conncheck) {
    /** The relay with its default limits; no tunnel, no connectivity check. */
    public static final ReachConfig DEFAULTS = new ReachConfig(RelaySettings.DEFAULTS, null, null);

    public ReachConfig {
        Objects.requireNonNull(relay, "relay");
    }

    public ReachConfig withRelay(RelaySettings r) {
        return new ReachConfig(r, tunnel, conncheck);
    }

    public ReachConfig withTunnel(InetSocketAddress t) {
        return new ReachConfig(relay, t, conncheck);
    }

    public ReachConfig withConnectivityCheck(ConnectivityCheckConfig c) {
        return new ReachConfig(relay, tunnel, c);
    }
}
