package io.rtmfp4j.server.cluster;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.rtmfp4j.server.groups.Group;
import io.rtmfp4j.server.groups.GroupMembership;
import io.rtmfp4j.server.groups.LocalGroupMembership;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One group of a cluster: its ring ({@link Group}, the same policy as in one process) and the node
 * each member is connected to. It lives on the node that owns the group's partition, which runs
 * every join and leave of the group, from whichever node, as an entry processor; the ring is rebuilt
 * from the members when the entry moves (it is a function of the peer IDs).
 */
final class ClusterGroup {
    private final Group ring;
    private final Map<String, String> nodes = new LinkedHashMap<>();

    ClusterGroup(String groupId) {
        this.ring = new Group(groupId);
    }

    int size() {
        return nodes.size();
    }

    GroupMembership.Change join(String peerId, String node) {
        Group.Announcements a = ring.join(peerId);
        nodes.put(peerId, node);
        return LocalGroupMembership.withNodes(a, nodes::get);
    }

    GroupMembership.Change leave(String peerId) {
        Group.Announcements a = ring.leave(peerId);
        nodes.remove(peerId);
        return LocalGroupMembership.withNodes(a, nodes::get);
    }

    /** Removes every member connected to {@code node}; the announcements that close the gaps they leave. */
    List<GroupMembership.Change> leaveNode(String node) {
        List<String> gone = nodes.entrySet().stream().filter(e -> e.getValue().equals(node)).map(Map.Entry::getKey)
                .toList();
        return gone.stream().map(this::leave).toList();
    }

    static final class Serializer implements CompactSerializer<ClusterGroup> {
        @Override
        public ClusterGroup read(CompactReader in) {
            ClusterGroup g = new ClusterGroup(in.readString("id"));
            String[] peers = in.readArrayOfString("peers");
            String[] nodes = in.readArrayOfString("nodes");
            for (int i = 0; i < peers.length; i++) {
                g.join(peers[i], nodes[i]);
            }
            return g;
        }

        @Override
        public void write(CompactWriter out, ClusterGroup g) {
            out.writeString("id", g.ring.id());
            out.writeArrayOfString("peers", g.nodes.keySet().toArray(String[]::new));
            out.writeArrayOfString("nodes", g.nodes.values().toArray(String[]::new));
        }

        @Override
        public String getTypeName() {
            return "rtmfp.ClusterGroup";
        }

        @Override
        public Class<ClusterGroup> getCompactClass() {
            return ClusterGroup.class;
        }
    }
}
