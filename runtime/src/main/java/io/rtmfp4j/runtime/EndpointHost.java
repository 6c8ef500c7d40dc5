package io.rtmfp4j.runtime;

import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.Endpoint;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where a sans-IO {@link Endpoint} lives: the one thread that may touch it, its clock and its
 * local addresses. {@link UdpEndpoint} is the real one; tests host endpoints on a simulated
 * network. Code above the core (the Flash client API, say) is written against this, so the same
 * code runs on sockets and in deterministic simulation.
 */
public interface EndpointHost extends AutoCloseable {
    /** Runs {@code action} on the endpoint's thread, then sends its output; returns at once. */
    void execute(Consumer<Endpoint> action);

    /** Runs {@code action} on the endpoint's thread after {@code delayMicros} of this host's clock. */
    void schedule(long delayMicros, Consumer<Endpoint> action);

    /** Microseconds on the host's monotonic clock, the one the endpoint runs on. */
    long now();

    /** The endpoint's identity; immutable, so readable from any thread. */
    PeerIdentity identity();

    /** The bound local addresses, with the ports actually chosen. */
    List<InetSocketAddress> localAddresses();

    /** Releases the endpoint, its sessions and whatever the host holds. */
    @Override
    void close();
}
