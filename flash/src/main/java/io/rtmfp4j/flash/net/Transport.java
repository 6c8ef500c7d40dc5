package io.rtmfp4j.flash.net;

/**
 * How a connection reaches its server (docs/nat.md, "TCP fallback"). Over TCP the server's
 * datagrams travel in a WebSocket tunnel, and peers are reached through the server's relay,
 * since nothing else gets through where UDP is blocked.
 */
public enum Transport {
    /** UDP, and a TCP tunnel when the server has not answered over UDP in time (the default). */
    AUTO,
    /** UDP only. */
    UDP,
    /** The TCP tunnel from the start. */
    TCP
}
