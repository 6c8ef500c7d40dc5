package io.rtmfp4j.flash.net;

/**
 * When a connection reaches a peer through its server's relay (docs/nat.md) rather than
 * directly. The RTMFP session is the same either way, end to end encrypted between the peers;
 * the relay costs the server bandwidth and the peers a longer path.
 */
public enum RelayPolicy {
    /** Directly when possible; through the relay when no direct session opens in time (the default). */
    AUTO,
    /** Never through the relay: a peer behind NATs that do not let a direct session through stays out of reach. */
    NEVER,
    /** Always through the relay, without trying directly (a connection over a TCP tunnel has no other way). */
    ALWAYS
}
