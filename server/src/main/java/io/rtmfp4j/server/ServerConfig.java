package io.rtmfp4j.server;

import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.runtime.UdpEndpoint;
import io.rtmfp4j.server.auth.Authenticator;
import io.rtmfp4j.server.cluster.ClusterSettings;
import io.rtmfp4j.server.redirect.RedirectorRegistration;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link RendezvousServer} needs.
 *
 * @param endpoint      the RTMFP endpoint's settings (identity, handshake policy, limits)
 * @param binds         UDP addresses to listen on
 * @param cryptoThreads threads for Diffie-Hellman work
 * @param rendezvous    the rendezvous logic's settings
 * @param authenticator who may connect
 * @param cluster       the cluster to join, or null for a server on its own (a directory in memory)
 * @param publicAddresses where clients reach this server, told to the other nodes of a cluster for
 *                      redirects; empty for the bound addresses that are not wildcards
 * @param redirectors   redirectors (load balancers) to register with, over rtmfp-cpp's protocol
 * @param admin         the admin HTTP listener's address, or null for none
 * @param receiveBuffer the socket receive buffer to ask the kernel for, in bytes
 */
public record ServerConfig(EndpointConfig endpoint, List<InetSocketAddress> binds, int cryptoThreads,
        RendezvousSettings rendezvous, Authenticator authenticator, ClusterSettings cluster,
        List<InetSocketAddress> publicAddresses, List<RedirectorRegistration.Target> redirectors,
        InetSocketAddress admin, int receiveBuffer) {

    public ServerConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        binds = List.copyOf(binds);
        if (binds.isEmpty()) {
            throw new IllegalArgumentException("at least one bind address is required");
        }
        if (cryptoThreads < 1) {
            throw new IllegalArgumentException("cryptoThreads must be at least 1");
        }
        Objects.requireNonNull(rendezvous, "rendezvous");
        Objects.requireNonNull(authenticator, "authenticator");
        publicAddresses = List.copyOf(publicAddresses);
        redirectors = List.copyOf(redirectors);
        if (receiveBuffer < 1) {
            throw new IllegalArgumentException("receiveBuffer must be at least 1 byte");
        }
    }

    /** Open access, on its own, default rendezvous settings and receive buffer, no admin listener. */
    public static ServerConfig of(EndpointConfig endpoint, List<InetSocketAddress> binds) {
        return new ServerConfig(endpoint, binds, Runtime.getRuntime().availableProcessors(),
                RendezvousSettings.DEFAULTS, Authenticator.open(), null, List.of(), List.of(), null,
                UdpEndpoint.DEFAULT_RECEIVE_BUFFER);
    }

    public ServerConfig withRedirectors(List<RedirectorRegistration.Target> r) {
        return new ServerConfig(endpoint, binds, cryptoThreads, rendezvous, authenticator, cluster, publicAddresses, r,
                admin, receiveBuffer);
    }

    public ServerConfig withCluster(ClusterSettings c, List<InetSocketAddress> publicAddresses) {
        return new ServerConfig(endpoint, binds, cryptoThreads, rendezvous, authenticator, c, publicAddresses, redirectors, admin,
                receiveBuffer);
    }

    public ServerConfig withAuthenticator(Authenticator a) {
        return new ServerConfig(endpoint, binds, cryptoThreads, rendezvous, a, cluster, publicAddresses, redirectors, admin, receiveBuffer);
    }

    public ServerConfig withAdmin(InetSocketAddress a) {
        return new ServerConfig(endpoint, binds, cryptoThreads, rendezvous, authenticator, cluster, publicAddresses, redirectors, a, receiveBuffer);
    }

    public ServerConfig withRendezvous(RendezvousSettings r) {
        return new ServerConfig(endpoint, binds, cryptoThreads, r, authenticator, cluster, publicAddresses, redirectors, admin, receiveBuffer);
    }

    public ServerConfig withCryptoThreads(int n) {
        return new ServerConfig(endpoint, binds, n, rendezvous, authenticator, cluster, publicAddresses, redirectors, admin, receiveBuffer);
    }

    public ServerConfig withReceiveBuffer(int bytes) {
        return new ServerConfig(endpoint, binds, cryptoThreads, rendezvous, authenticator, cluster, publicAddresses, redirectors, admin, bytes);
    }
}
