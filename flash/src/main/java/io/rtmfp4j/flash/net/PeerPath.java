package io.rtmfp4j.flash.net;

import java.net.InetSocketAddress;

/**
 * How a connection reaches a peer it has a session with.
 *
 * @param peerId  the peer
 * @param address where the session's packets go: the peer's own address, or the server's relay port
 * @param relayed whether the packets go through the server's relay (still encrypted end to end)
 */
public record PeerPath(String peerId, InetSocketAddress address, boolean relayed) {
}
