package io.rtmfp4j.server;

import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.server.relay.Relay;
import io.rtmfp4j.server.relay.RelayNetwork;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/** Relay ports as hosts of a simulated network, beside the server's address ({@link SimRendezvous#enableRelay}). */
final class SimRelayNetwork implements RelayNetwork {
    private final SimNetwork net;
    private final InetSocketAddress server;
    private int nextPort = 40000;
    Relay relay;

    SimRelayNetwork(SimNetwork net, InetSocketAddress server) {
        this.net = net;
        this.server = server;
    }

    InetSocketAddress address(int port) {
        return new InetSocketAddress(server.getAddress(), port);
    }

    @Override
    public CompletableFuture<Integer> open(InetSocketAddress client) {
        int port = nextPort++;
        net.attach(address(port), p -> relay.receive(port, p.from(), p.data(), 0, p.data().length, net.now()));
        return CompletableFuture.completedFuture(port);
    }

    @Override
    public boolean send(int port, InetSocketAddress to, byte[] data, int off, int len) {
        net.inject(address(port), to, Arrays.copyOfRange(data, off, off + len));
        return true;
    }

    @Override
    public void close(int port) {
        net.detach(address(port));
    }
}
