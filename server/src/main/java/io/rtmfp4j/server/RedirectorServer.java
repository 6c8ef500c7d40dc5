package io.rtmfp4j.server;

import io.rtmfp4j.core.crypto.Certificate;
import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.runtime.UdpEndpoint;
import io.rtmfp4j.server.cluster.Backplane;
import io.rtmfp4j.server.cluster.ClusterSettings;
import io.rtmfp4j.server.cluster.HazelcastCluster;
import io.rtmfp4j.server.cluster.NodeStatus;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Redirector} on UDP sockets, with a once-a-second tick; with cluster settings, a member of
 * the cluster that holds none of its data (a Hazelcast lite member), whose node list it reads every
 * second to redirect to the least-loaded nodes.
 */
public final class RedirectorServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.redirector");

    private final UdpEndpoint udp;
    private final Redirector redirector;
    private final HazelcastCluster cluster;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rtmfp-redirector-tick");
        t.setDaemon(true);
        return t;
    });
    private volatile List<NodeStatus> nodes = List.of();

    private RedirectorServer(String hostname, List<InetSocketAddress> binds, Redirector.Settings settings,
            ClusterSettings clusterSettings) {
        this.cluster = clusterSettings == null ? null : HazelcastCluster.start(clusterSettings);
        // The certificate names the hostname servers register with and does not accept ancillary data: a client's
        // IHello for the service is then not for the redirector itself, and is redirected (RFC 7425 §4.4.2).
        byte[] extra = new byte[8];
        new SecureRandom().nextBytes(extra);
        PeerIdentity identity = PeerIdentity.of(Certificate.ephemeral(Optional.of(hostname), false,
                List.of(DhGroup.GROUP_14, DhGroup.GROUP_2), extra), List.of());
        try {
            this.udp = UdpEndpoint.bind(EndpointConfig.builder(identity).build(), binds, 1);
        } catch (RuntimeException e) {
            if (cluster != null) {
                cluster.close();
            }
            throw e;
        }
        Backplane backplane = cluster == null ? null : cluster.backplane(task -> udp.execute(ep -> task.run()));
        this.redirector = udp.call(ep -> new Redirector(ep, settings, backplane, task -> udp.execute(e -> task.run()),
                () -> nodes)).join();
        ticker.scheduleAtFixedRate(() -> {
            if (cluster != null) {
                try {
                    nodes = cluster.nodes();
                } catch (RuntimeException e) {
                    log.warn("could not read the cluster's nodes: {}", e.toString());
                }
            }
            udp.execute(ep -> redirector.onTick(ep.now()));
        }, 0, 1, TimeUnit.SECONDS);
    }

    /**
     * Binds and starts redirecting.
     *
     * @param hostname the certificate's hostname, which servers ask for when they register
     * @param cluster  the cluster to redirect to, or null for registered servers only
     */
    public static RedirectorServer start(String hostname, List<InetSocketAddress> binds, Redirector.Settings settings,
            ClusterSettings cluster) {
        return new RedirectorServer(hostname, binds, settings, cluster);
    }

    public List<InetSocketAddress> localAddresses() {
        return udp.localAddresses();
    }

    public String peerId() {
        return udp.identity().certificate().peerId();
    }

    public Redirector.Stats stats() {
        return redirector.stats();
    }

    /** The servers registered over the protocol, read on the loop. */
    public java.util.concurrent.CompletableFuture<List<Redirector.Registered>> registered() {
        return udp.call(ep -> redirector.registered());
    }

    /** The cluster's nodes as last read; empty without a cluster. */
    public List<NodeStatus> nodes() {
        return nodes;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        udp.close();
        if (cluster != null) {
            cluster.close();
        }
    }
}
