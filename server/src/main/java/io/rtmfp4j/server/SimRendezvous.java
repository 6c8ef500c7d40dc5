package io.rtmfp4j.server;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.RelayPolicy;
import io.rtmfp4j.runtime.sim.SimHost;
import io.rtmfp4j.server.auth.Authenticator;
import io.rtmfp4j.server.directory.InMemoryPeerDirectory;
import io.rtmfp4j.server.relay.Relay;
import io.rtmfp4j.server.relay.RelaySettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A rendezvous server and Flash-API clients on one simulated network: the server at
 * {@link #SERVER}, each client on its own host (10.1.0.1, 10.1.0.2, ...: room for a million),
 * everything on the network's virtual clock. The server's tests and the simulated benchmarks run
 * on it.
 */
public final class SimRendezvous {
    public static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 1935);
    public static final String URL = "rtmfp://10.0.0.1/live";
    public static final long SECOND = 1_000_000;

    public final SimNetwork net;
    public final Rendezvous rendezvous;
    private int hosts;

    public SimRendezvous(SimNetwork net, Authenticator auth) {
        this.net = net;
        EndpointConfig config = EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(),
                List.of(DhGroup.GROUP_14, DhGroup.GROUP_2), net.newSecureRandom())).build();
        Endpoint endpoint = new Endpoint(config, net.newSecureRandom(), net.offload(1_000, SERVER));
        rendezvous = new Rendezvous(endpoint, RendezvousSettings.DEFAULTS, auth, new InMemoryPeerDirectory());
        net.attach(SERVER, endpoint);
        tick();
    }

    /** The runtime's once-a-second tick, in virtual time. */
    private void tick() {
        net.schedule(net.now() + SECOND, SERVER, () -> {
            rendezvous.onTick(net.now());
            tick();
        });
    }

    /** A new host on the network, not yet connected. */
    public SimHost host() {
        int n = ++hosts;
        InetSocketAddress address = new InetSocketAddress("10." + (1 + (n >>> 16)) + "." + (n >>> 8 & 0xff) + "."
                + (n & 0xff), 50000);
        EndpointConfig config = EndpointConfig.builder(PeerIdentity.newFlashClient(net.newSecureRandom())).build();
        return new SimHost(net, new Endpoint(config, net.newSecureRandom(), net.offload(1_000, address)), address);
    }

    /** A client API connection on a new host; callbacks run on the simulation's thread. */
    public NetConnection connection(String nickname) {
        return NetConnection.on(host(), null, nickname);
    }

    /** Same, reaching peers through the relay as {@code policy} says, after {@code after} under AUTO. */
    public NetConnection connection(String nickname, RelayPolicy policy, Duration after) {
        return NetConnection.on(host(), null, nickname, policy, after);
    }

    /** Gives the server a relay whose ports are hosts beside it. */
    public Relay enableRelay(RelaySettings settings) {
        SimRelayNetwork ports = new SimRelayNetwork(net, SERVER);
        ports.relay = rendezvous.enableRelay(settings, ports, net.newSecureRandom());
        return ports.relay;
    }
}
