package io.rtmfp4j.runtime.sim;

import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.runtime.EndpointHost;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hosts an endpoint on a {@link SimNetwork}: actions run as network events at the current
 * virtual time, so code written against {@link EndpointHost} (the Flash client API) runs in
 * deterministic simulation exactly as it runs on a runtime's loop.
 */
public final class SimHost implements EndpointHost {
    private final SimNetwork net;
    private final Endpoint endpoint;
    private final InetSocketAddress address;

    public SimHost(SimNetwork net, Endpoint endpoint, InetSocketAddress address) {
        this.net = net;
        this.endpoint = endpoint;
        this.address = address;
        net.attach(address, endpoint);
    }

    @Override
    public void execute(Consumer<Endpoint> action) {
        schedule(0, action);
    }

    @Override
    public void schedule(long delayMicros, Consumer<Endpoint> action) {
        net.schedule(net.now() + delayMicros, address, () -> {
            endpoint.advanceClock(net.now());
            action.accept(endpoint);
        });
    }

    @Override
    public long now() {
        return net.now();
    }

    @Override
    public PeerIdentity identity() {
        return endpoint.identity();
    }

    @Override
    public List<InetSocketAddress> localAddresses() {
        return List.of(address);
    }

    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        net.detach(address);
    }
}
