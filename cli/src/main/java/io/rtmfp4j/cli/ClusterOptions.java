package io.rtmfp4j.cli;

import io.rtmfp4j.server.cluster.ClusterSettings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How {@code rtmfp server} and {@code rtmfp redirector} join a cluster (embedded Hazelcast, TCP member list). */
final class ClusterOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--cluster-members", split = ",", paramLabel = "HOST:PORT",
            description = "Join a cluster (embedded Hazelcast over TCP, no multicast): the cluster listeners of other "
                    + "nodes, comma-separated. Nodes share the peer directory, nicknames and groups; a peer is "
                    + "introduced to one on another node through that node. Without this option (or --cluster-port) "
                    + "no cluster is joined.")
    List<String> members = new ArrayList<>();

    @Option(names = "--cluster-port", paramLabel = "P",
            description = "This node's cluster listener port (TCP; default: " + ClusterSettings.DEFAULT_PORT + ").")
    Integer port;

    @Option(names = "--cluster-address", paramLabel = "ADDR",
            description = "The address of this node's cluster listener, which the other nodes connect to (default: "
                    + "the --bind address; required when that is a wildcard).")
    String address;

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = ClusterSettings.DEFAULT_NAME,
            description = "Only nodes of the same cluster name join (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--cluster-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = Durations.class,
            description = "A node silent this long has left the cluster: its peers leave the directory and their "
                    + "groups (a killed node is noticed sooner, when its connections fail) (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    boolean enabled() {
        return !members.isEmpty() || port != null;
    }

    /**
     * The cluster to join, or null when no option asks for one.
     *
     * @param bind the address the command binds first, the cluster address by default
     * @param lite a member that holds no data (a redirector)
     */
    ClusterSettings settings(InetAddress bind, boolean lite) {
        if (!enabled()) {
            if (address != null) {
                throw new ParameterException(mixee.commandLine(), "--cluster-address needs --cluster-members or --cluster-port");
            }
            return null;
        }
        SocketAddresses.parseAll(mixee.commandLine(), members, "--cluster-members");
        String host;
        if (address != null) {
            host = SocketAddresses.address(mixee.commandLine(), address, "--cluster-address").getHostAddress();
        } else if (bind.isAnyLocalAddress()) {
            throw new ParameterException(mixee.commandLine(), "--cluster-members needs --cluster-address ADDR when --bind is a "
                    + "wildcard: the other nodes must know where to connect");
        } else {
            host = bind.getHostAddress();
        }
        return new ClusterSettings(members, host, port == null ? ClusterSettings.DEFAULT_PORT : port, name, timeout, lite);
    }
}
