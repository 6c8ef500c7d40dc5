package io.rtmfp4j.server;

import io.rtmfp4j.runtime.UdpEndpoint;
import io.rtmfp4j.runtime.tunnel.TunnelServer;
import io.rtmfp4j.server.conncheck.ConnectivityCheck;
import io.rtmfp4j.server.relay.Relay;
import io.rtmfp4j.server.relay.RelayStats;
import io.rtmfp4j.server.relay.UdpRelayNetwork;
import java.security.SecureRandom;
import java.util.Optional;
import io.rtmfp4j.server.admin.AdminHttpServer;
import io.rtmfp4j.server.admin.ServerMetrics;
import io.rtmfp4j.server.cluster.Backplane;
import io.rtmfp4j.server.cluster.HazelcastCluster;
import io.rtmfp4j.server.cluster.NodeStatus;
import io.rtmfp4j.server.directory.InMemoryPeerDirectory;
import io.rtmfp4j.server.redirect.RedirectorRegistration;
import io.rtmfp4j.flash.net.PeerAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rendezvous server on real sockets: a {@link Rendezvous} on a {@link UdpEndpoint}, a once-a-second
 * tick, metrics, and the admin HTTP listener when configured; as a node of a cluster, its Hazelcast
 * member, which it tells how the node is doing once a second.
 */
public final class RendezvousServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.server");
    /** How long clients get to acknowledge the server's Connect.Closed before it closes their sessions anyway. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(1);

    private final ServerConfig config;
    private final ReachConfig reach;
    private final UdpEndpoint udp;
    private final TunnelServer tunnel;
    private final UdpRelayNetwork relayPorts;
    private final Relay relay;
    private final ConnectivityCheck conncheck;
    private final Rendezvous rendezvous;
    private final ScheduledExecutorService ticker;
    private final ServerMetrics metrics;
    private final AdminHttpServer admin;
    private final io.rtmfp4j.core.session.EndpointStats endpointStats;
    private final long startedAtMillis = System.currentTimeMillis();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Null for a server on its own. */
    private final HazelcastCluster cluster;
    /** Registrations with redirectors; loop thread only. */
    private final List<RedirectorRegistration> registrations;
    /** The nodes as last read, for the status page; read by the ticker, off the loop. */
    private volatile List<NodeStatus> nodes = List.of();

    private RendezvousServer(ServerConfig config, ReachConfig reach) {
        this.config = config;
        this.reach = reach;
        this.cluster = config.cluster() == null ? null : HazelcastCluster.start(config.cluster());
        try {
            this.udp = UdpEndpoint.bind(config.endpoint(), config.binds(), config.cryptoThreads(), config.receiveBuffer());
        } catch (RuntimeException e) {
            if (cluster != null) {
                cluster.close();
            }
            throw e;
        }
        TunnelServer tunnels = null;
        ConnectivityCheck check = null;
        try {
            Backplane backplane = cluster == null ? null
                    : cluster.backplane(task -> udp.execute(ep -> task.run()));
            this.rendezvous = udp.call(ep -> backplane == null
                    ? new Rendezvous(ep, config.rendezvous(), config.authenticator(), new InMemoryPeerDirectory())
                    : new Rendezvous(ep, config.rendezvous(), config.authenticator(), backplane,
                            task -> udp.execute(e -> task.run()))).join();
            if (reach.tunnel() != null) {
                tunnels = startTunnel(reach.tunnel());
                udp.setTunnel(tunnels);
            }
            this.tunnel = tunnels;
            this.relayPorts = new UdpRelayNetwork(udp, udp.localAddresses(), reach.relay().firstPort(),
                    reach.relay().lastPort(), tunnels);
            this.relay = udp.call(ep -> rendezvous.enableRelay(reach.relay(), relayPorts, new SecureRandom())).join();
            relayPorts.deliverTo(relay);
            if (reach.conncheck() != null) {
                check = ConnectivityCheck.open(udp, reach.conncheck());
                ConnectivityCheck c = check;
                udp.call(ep -> {
                    rendezvous.enableConnectivityCheck(c);
                    return null;
                }).join();
            }
            this.conncheck = check;
            this.endpointStats = udp.call(ep -> ep.stats()).join();
            this.registrations = udp.call(ep -> config.redirectors().stream().map(t -> new RedirectorRegistration(ep,
                    rendezvous.flows(), t, () -> rendezvous.stats().sessions())).toList()).join();
            this.metrics = new ServerMetrics(this);
            this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rtmfp-server-tick");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(() -> udp.execute(ep -> {
                rendezvous.onTick(ep.now());
                registrations.forEach(r -> r.onTick(ep.now()));
            }), 1, 1, TimeUnit.SECONDS);
            this.admin = config.admin() == null ? null : AdminHttpServer.start(config.admin(), this, metrics);
            if (cluster != null) {
                ticker.scheduleAtFixedRate(this::publishStatus, 0, 1, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            release(tunnels, check);
            throw new UncheckedIOException("cannot start the admin listener on " + config.admin() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            release(tunnels, check);
            throw e;
        }
    }

    /** Tells the other nodes how this one is doing, and reads how they are. Ticker thread. */
    private void publishStatus() {
        try {
            ServerStats s = rendezvous.stats();
            cluster.publish(new NodeStatus(cluster.self(), peerId(),
                    publicAddresses().stream().map(PeerAddresses::format).toList(),
                    admin == null ? "" : "http://" + PeerAddresses.format(admin.address()), s.sessions(),
                    s.connectedClients(), startedAtMillis, System.currentTimeMillis()));
            nodes = cluster.nodes();
        } catch (RuntimeException e) {
            log.warn("could not exchange node status with the cluster: {}", e.toString());
        }
    }

    /** Where clients reach this server: the configured public addresses, or the bound ones that are not wildcards. */
    public List<InetSocketAddress> publicAddresses() {
        if (!config.publicAddresses().isEmpty()) {
            return config.publicAddresses();
        }
        return localAddresses().stream().filter(a -> !a.getAddress().isAnyLocalAddress()).toList();
    }

    /** This node's name in the cluster, or empty on its own. */
    public java.util.Optional<String> node() {
        return cluster == null ? java.util.Optional.empty() : java.util.Optional.of(cluster.self());
    }

    /** Whether every redirector registration is up, read on the loop. */
    public CompletableFuture<Boolean> registeredWithRedirectors() {
        return udp.call(ep -> registrations.stream().allMatch(RedirectorRegistration::registered));
    }

    /** Members of the cluster now, this node included; 1 on its own. */
    public int clusterSize() {
        return cluster == null ? 1 : cluster.size();
    }

    /** The nodes of the cluster as last heard (about once a second), oldest first; empty on its own. */
    public List<NodeStatus> nodes() {
        return nodes;
    }

    /** Requests between nodes dropped at a bound or answered too late; 0 on its own. */
    public long clusterDrops() {
        return cluster == null ? 0 : cluster.droppedMessages();
    }

    private TunnelServer startTunnel(InetSocketAddress address) {
        try {
            return TunnelServer.start(udp, address, this::fromTunnel);
        } catch (Exception e) {
            // Netty passes a failed bind on as the socket's own (checked) exception.
            throw new TunnelBindException(address, e);
        }
    }

    private void release(TunnelServer tunnels, ConnectivityCheck check) {
        if (tunnels != null) {
            tunnels.close();
        }
        if (check != null) {
            check.close();
        }
        udp.close();
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Binds the sockets and starts serving, with the relay but no tunnel or connectivity check. */
    public static RendezvousServer start(ServerConfig config) {
        return start(config, ReachConfig.DEFAULTS);
    }

    /** Binds the sockets and starts serving, with the relay, tunnel and connectivity check {@code reach} asks for. */
    public static RendezvousServer start(ServerConfig config, ReachConfig reach) {
        return new RendezvousServer(config, reach);
    }

    /**
     * A datagram from a tunnel: for a relay port, or else for the server's RTMFP endpoint, whatever
     * port the client addressed (behind a port-forwarding NAT it is not the one bound here). Loop thread.
     */
    private void fromTunnel(int port, InetSocketAddress from, byte[] data, int off, int len) {
        if (relayPorts.isRelayPort(port)) {
            relayPorts.deliver(port, from, data, off, len);
        } else {
            udp.deliver(from, data, off, len);
        }
    }

    public ReachConfig reach() {
        return reach;
    }

    /** The relay's counters. */
    public RelayStats relayStats() {
        return relay.stats();
    }

    /** The TCP tunnel listener, if the server has one. */
    public Optional<TunnelServer> tunnel() {
        return Optional.ofNullable(tunnel);
    }

    /** The connectivity check, if the server runs it. */
    public Optional<ConnectivityCheck> connectivityCheck() {
        return Optional.ofNullable(conncheck);
    }

    public ServerConfig config() {
        return config;
    }

    /** The bound UDP addresses, with the ports actually chosen. */
    public List<InetSocketAddress> localAddresses() {
        return udp.localAddresses();
    }

    /** The admin listener's address, or null when there is none. */
    public InetSocketAddress adminAddress() {
        return admin == null ? null : admin.address();
    }

    public String peerId() {
        return config.endpoint().identity().certificate().peerId();
    }

    public String transport() {
        return udp.transport();
    }

    /** The socket receive buffer the kernel granted, in bytes: less than {@link ServerConfig#receiveBuffer()} if capped. */
    public int receiveBufferBytes() {
        return udp.receiveBufferBytes();
    }

    /** Datagrams the kernel dropped because the receive buffer was full; empty where it does not say. */
    public OptionalLong kernelDrops() {
        return udp.kernelDrops();
    }

    public ServerStats stats() {
        return rendezvous.stats();
    }

    /** The endpoint's counters (drops by reason, datagrams, sessions); readable from any thread. */
    public io.rtmfp4j.core.session.EndpointStats endpointStats() {
        return endpointStats;
    }

    /** The largest groups (of the whole cluster in one), members by group ID. */
    public CompletableFuture<Map<String, Integer>> largestGroups(int limit) {
        return udp.call(ep -> rendezvous.largestGroups(limit)).thenCompose(s -> s);
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    /**
     * Stops the admin listener, tells every connected client the server is shutting down
     * ({@code NetConnection.Connect.Closed}), waits up to {@link #SHUTDOWN_GRACE} for them to
     * acknowledge it, then closes every session and releases the sockets. Later calls do nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (admin != null) {
            admin.close();
        }
        ticker.shutdownNow();
        try {
            udp.call(ep -> rendezvous.shutdown("server shutting down")).thenCompose(drained -> drained)
                    .get(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.debug("some clients did not acknowledge the shutdown notice within {}", SHUTDOWN_GRACE);
        } catch (ExecutionException e) {
            log.warn("could not notify clients of the shutdown", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.close();
        if (tunnel != null) {
            tunnel.close();
        }
        if (conncheck != null) {
            conncheck.close();
        }
        udp.close();
        if (cluster != null) {
            cluster.close();
        }
    }
}
