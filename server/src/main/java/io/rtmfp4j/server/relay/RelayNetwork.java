package io.rtmfp4j.server.relay;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * The sockets of a {@link Relay}: real UDP ports beside the server's ({@link UdpRelayNetwork}) or
 * a simulated network's. Called on the server's loop; completions come back on it, and what
 * arrives on a port goes to {@link Relay#receive} there.
 */
public interface RelayNetwork {
    /**
     * Opens a relay port that {@code client} can reach (of its address family): completes with
     * the port number, or exceptionally when none is free.
     */
    CompletableFuture<Integer> open(InetSocketAddress client);

    /** Sends a datagram from relay port {@code port}; false if it had to be dropped for want of room. */
    boolean send(int port, InetSocketAddress to, byte[] data, int off, int len);

    /** Closes a port {@link #open} gave. */
    void close(int port);
}
