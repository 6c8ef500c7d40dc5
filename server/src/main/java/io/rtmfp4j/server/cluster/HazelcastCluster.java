package io.rtmfp4j.server.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.rtmfp4j.server.groups.GroupMembership;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's membership of a rendezvous cluster, on embedded Hazelcast: the shared directory, groups
 * and node list, and the link to the other nodes. Hazelcast's threads never touch the server's
 * state: answers go back to the server's loop through the executor given to {@link #backplane}.
 *
 * <p>When a node leaves (shut down, or silent for {@link ClusterSettings#timeout()}), each remaining
 * node removes its peers, nicknames and group memberships, and announces the members that close the
 * gaps it left in its groups; the removals are idempotent, so it does not matter which node is first.
 */
public final class HazelcastCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.cluster");
    static final String NODES = "rtmfp.nodes";

    private final HazelcastInstance hz;
    private final String self;
    private final HazelcastPeerDirectory directory;
    private final HazelcastGroupMembership groups;
    private final IMap<String, NodeStatus> nodes;
    /** Blocking cluster work (cleanups, reads for the status page), off the loop and Hazelcast's event threads. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rtmfp-cluster");
        t.setDaemon(true);
        return t;
    });
    private final ClusterSettings settings;
    private HazelcastNodeLink link;

    private HazelcastCluster(ClusterSettings settings) {
        this.settings = settings;
        this.hz = Hazelcast.newHazelcastInstance(config(settings));
        this.self = hz.getCluster().getLocalMember().getUuid().toString();
        this.directory = new HazelcastPeerDirectory(hz.getMap(HazelcastPeerDirectory.PEERS),
                hz.getMap(HazelcastPeerDirectory.NICKNAMES), self);
        this.groups = new HazelcastGroupMembership(hz.getMap(HazelcastGroupMembership.GROUPS), self, worker);
        this.nodes = hz.getMap(NODES);
        hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                log.atInfo().addKeyValue("node", event.getMember().getUuid())
                        .addKeyValue("address", event.getMember().getAddress()).log("node joined the cluster");
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                String gone = event.getMember().getUuid().toString();
                log.atInfo().addKeyValue("node", gone).addKeyValue("address", event.getMember().getAddress())
                        .log("node left the cluster");
                worker.execute(() -> forget(gone));
            }
        });
    }

    /** Starts this node's Hazelcast member and joins the cluster (blocks until it has joined or formed one). */
    public static HazelcastCluster start(ClusterSettings settings) {
        return new HazelcastCluster(settings);
    }

    static Config config(ClusterSettings s) {
        Config c = new Config();
        c.setClusterName(s.name());
        c.setInstanceName("rtmfp-" + s.address() + "-" + s.port());
        c.setLiteMember(s.lite());
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        // A node that stops answering heartbeats is removed after the timeout; a killed one sooner, when its
        // connections fail.
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(s.timeout().toSeconds()));
        c.setProperty("hazelcast.wait.seconds.before.join", "1");
        c.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
        c.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
        // Bounds what a node queues of the others' events (topic messages among them).
        c.setProperty("hazelcast.event.queue.capacity", "100000");
        c.setProperty("hazelcast.socket.bind.any", "false");
        NetworkConfig n = c.getNetworkConfig();
        n.setPort(s.port()).setPortAutoIncrement(false);
        n.getInterfaces().setEnabled(true).addInterface(s.address());
        n.setPublicAddress(s.address() + ":" + s.port());
        JoinConfig j = n.getJoin();
        j.getMulticastConfig().setEnabled(false);
        j.getAutoDetectionConfig().setEnabled(false);
        j.getTcpIpConfig().setEnabled(true).setMembers(s.members().isEmpty()
                ? List.of(s.address() + ":" + s.port()) : s.members());
        c.getSerializationConfig().getCompactSerializationConfig()
                .addSerializer(new DirectoryEntry.Serializer())
                .addSerializer(new NicknameHolder.Serializer())
                .addSerializer(new NodeStatus.Serializer())
                .addSerializer(new ClusterGroup.Serializer());
        c.addMapConfig(new MapConfig(HazelcastPeerDirectory.PEERS).setBackupCount(1));
        c.addMapConfig(new MapConfig(HazelcastPeerDirectory.NICKNAMES).setBackupCount(1));
        // Kept as objects: a join runs on the group's ring without deserializing it.
        c.addMapConfig(new MapConfig(HazelcastGroupMembership.GROUPS).setBackupCount(1)
                .setInMemoryFormat(InMemoryFormat.OBJECT));
        c.addMapConfig(new MapConfig(NODES).setBackupCount(1));
        return c;
    }

    /** This node's name: its Hazelcast member UUID. */
    public String self() {
        return self;
    }

    /**
     * What the node's rendezvous shares with the others; the link hands their requests to {@code loop}.
     * Call once.
     */
    public synchronized Backplane backplane(Executor loop) {
        if (link != null) {
            throw new IllegalStateException("the backplane is already in use");
        }
        link = new HazelcastNodeLink(hz, self, loop);
        return new Backplane(directory, groups, link);
    }

    /** Says how this node is doing; the entry expires if the node stops saying it. */
    public void publish(NodeStatus status) {
        nodes.setAsync(self, status, 3 * settings.timeout().toSeconds(), TimeUnit.SECONDS);
    }

    /** Every node's last status, oldest node first. Blocks: not on a loop thread. */
    public List<NodeStatus> nodes() {
        return nodes.values().stream().sorted(Comparator.comparingLong(NodeStatus::startedAtMillis)
                .thenComparing(NodeStatus::node)).toList();
    }

    /** Requests between nodes dropped at a bound, or answered too late. */
    public long droppedMessages() {
        return link == null ? 0 : link.dropped();
    }

    /** Members of the cluster now, this one included. */
    public int size() {
        return hz.getCluster().getMembers().size();
    }

    private void forget(String gone) {
        try {
            directory.forgetNode(gone);
            nodes.delete(gone);
            Map<String, List<GroupMembership.Change>> changes = groups.forgetNode(gone);
            if (link != null) {
                changes.forEach((groupId, list) -> list.forEach(change -> change.toMembers().forEach(
                        d -> link.announce(d.node(), groupId, d.member(), d.peerIds()))));
            }
        } catch (RuntimeException e) {
            log.warn("could not remove what node {} left in the cluster", gone, e);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        hz.shutdown();
    }
}
