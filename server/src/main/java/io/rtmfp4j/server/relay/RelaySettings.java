package io.rtmfp4j.server.relay;

import java.time.Duration;

/**
 * Limits of the relay (docs/nat.md, "The relay"). A relay forwards whatever two clients send, so
 * everything it spends is bounded per client and in all.
 *
 * @param enabled        whether clients may ask for relays at all
 * @param maxRelays      relays (pairs of peers) at once, in all
 * @param maxPerClient   relays one client may take part in at once
 * @param bytesPerSecond what one client may send through its relays, in bytes per second (a second's worth may come at once)
 * @param lifetime       a relay is closed this long after it was made, whatever its traffic
 * @param idleTimeout    a relay nobody sent anything through for this long is closed
 * @param bindTimeout    a relay whose two ends have not both bound by then is closed
 * @param firstPort      relay ports are taken from {@code firstPort..lastPort}; 0 for any free port
 * @param lastPort       the last relay port, or 0
 */
public record RelaySettings(boolean enabled, int maxRelays, int maxPerClient, long bytesPerSecond, Duration lifetime,
        Duration idleTimeout, Duration bindTimeout, int firstPort, int lastPort) {

    /**
     * On, for up to 1000 pairs, 8 per client, 2 MB/s (16 Mbit/s) per client, an hour each; a
     * minute without traffic ends one (peer sessions keep alive every 10 s), 30 s to bind.
     */
    public static final RelaySettings DEFAULTS = new RelaySettings(true, 1000, 8, 2_000_000, Duration.ofHours(1),
            Duration.ofMinutes(1), Duration.ofSeconds(30), 0, 0);

    /** No relay: clients that ask are told so. */
    public static final RelaySettings OFF = new RelaySettings(false, 0, 0, 0, Duration.ofHours(1),
            Duration.ofMinutes(1), Duration.ofSeconds(30), 0, 0);

    public RelaySettings {
        if (enabled && (maxRelays < 1 || maxPerClient < 1 || bytesPerSecond < 1)) {
            throw new IllegalArgumentException("relay limits must be positive");
        }
        if (lifetime.isNegative() || lifetime.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()
                || bindTimeout.isNegative() || bindTimeout.isZero()) {
            throw new IllegalArgumentException("relay durations must be positive");
        }
        if (firstPort < 0 || lastPort > 65535 || (firstPort == 0) != (lastPort == 0) || lastPort < firstPort) {
            throw new IllegalArgumentException("relay ports must be a range within 1..65535, or 0 for any");
        }
    }

    public RelaySettings withLimits(int relays, int perClient, long rate) {
        return new RelaySettings(enabled, relays, perClient, rate, lifetime, idleTimeout, bindTimeout, firstPort,
                lastPort);
    }

    public RelaySettings withTimes(Duration life, Duration idle) {
        return new RelaySettings(enabled, maxRelays, maxPerClient, bytesPerSecond, life, idle, bindTimeout, firstPort,
                lastPort);
    }

    public RelaySettings withPorts(int first, int last) {
        return new RelaySettings(enabled, maxRelays, maxPerClient, bytesPerSecond, lifetime, idleTimeout, bindTimeout,
                first, last);
    }
}
