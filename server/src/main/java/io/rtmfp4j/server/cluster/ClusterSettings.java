package io.rtmfp4j.server.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a node joins its cluster: embedded Hazelcast over TCP, with an explicit member list (no
 * multicast, no discovery service).
 *
 * @param members  {@code host:port} of other nodes' cluster listeners (this one's may be listed too)
 * @param address  the address this node's cluster listener binds and gives the others
 * @param port     its port
 * @param name     the cluster's name: nodes of another name do not join
 * @param timeout  how long a silent node stays a member: when it is gone, its peers leave the
 *                 directory and its groups
 * @param lite     a member that holds no share of the data (a redirector front)
 */
public record ClusterSettings(List<String> members, String address, int port, String name, Duration timeout,
        boolean lite) {
    public static final int DEFAULT_PORT = 5701;
    public static final String DEFAULT_NAME = "rtmfp4j";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public ClusterSettings {
        members = List.copyOf(members);
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(name, "name");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("cluster port must be 1..65535, got " + port);
        }
        if (timeout.toSeconds() < 2) {
            throw new IllegalArgumentException("cluster timeout must be at least 2 s, got " + timeout);
        }
    }
}
