package io.rtmfp4j.runtime;

import java.net.InetSocketAddress;

/**
 * A way for datagrams other than the UDP sockets of a {@link UdpEndpoint}: a TCP connection that
 * carries them where UDP is blocked, say. It claims the destinations it carries; the endpoint
 * sends everything else from its sockets as before, so RTMFP above it does not know which way a
 * datagram went. Called on the endpoint's loop thread only.
 */
public interface DatagramTunnel {
    /** Whether datagrams to {@code destination} go through this tunnel rather than a socket. */
    boolean carries(InetSocketAddress destination);

    /**
     * Sends one datagram, or drops it when the tunnel cannot take it now, as a full socket
     * buffer would: RTMFP recovers from loss and backs off, and must not be held up.
     *
     * @param source the local address the datagram leaves from (its port tells the far end of the
     *               tunnel which of this host's sockets sent it)
     */
    void send(InetSocketAddress source, InetSocketAddress destination, byte[] datagram);
}
