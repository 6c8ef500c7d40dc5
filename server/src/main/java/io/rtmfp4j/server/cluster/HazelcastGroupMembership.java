package io.rtmfp4j.server.cluster;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.rtmfp4j.server.groups.GroupMembership;
import io.rtmfp4j.server.groups.LocalGroupMembership;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Groups that span the nodes of a cluster: one {@link ClusterGroup} per group in a Hazelcast map
 * kept as objects (a join does not deserialize the ring), changed by entry processors on the
 * group's owner, so the policy sees every member of every node, as it does in one process.
 */
final class HazelcastGroupMembership implements GroupMembership {
    static final String GROUPS = "rtmfp.groups";

    private final IMap<String, ClusterGroup> groups;
    private final String node;
    /** Where blocking reads run, off the loop. */
    private final Executor worker;

    HazelcastGroupMembership(IMap<String, ClusterGroup> groups, String node, Executor worker) {
        this.groups = groups;
        this.node = node;
        this.worker = worker;
    }

    @Override
    public CompletionStage<Change> join(String groupId, String peerId) {
        return groups.submitToKey(groupId, new Join(peerId, node));
    }

    @Override
    public CompletionStage<Change> leave(String groupId, String peerId) {
        return groups.submitToKey(groupId, new Leave(peerId));
    }

    @Override
    public CompletionStage<Map<String, Integer>> largest(int limit) {
        return CompletableFuture.supplyAsync(() -> {
            return LocalGroupMembership.largest(groups.executeOnEntries(new Size()), limit);
        }, worker);
    }

    /** Removes the members of a node that left the cluster; the changes that close their gaps. Blocks. */
    Map<String, List<Change>> forgetNode(String gone) {
        return groups.executeOnEntries(new LeaveNode(gone));
    }

    record Join(String peerId, String node) implements EntryProcessor<String, ClusterGroup, Change> {
        @Override
        public Change process(Map.Entry<String, ClusterGroup> e) {
            ClusterGroup g = e.getValue() == null ? new ClusterGroup(e.getKey()) : e.getValue();
            Change c = g.join(peerId, node);
            e.setValue(g);
            return c;
        }
    }

    record Leave(String peerId) implements EntryProcessor<String, ClusterGroup, Change> {
        @Override
        public Change process(Map.Entry<String, ClusterGroup> e) {
            ClusterGroup g = e.getValue();
            if (g == null) {
                return Change.NONE;
            }
            Change c = g.leave(peerId);
            e.setValue(g.size() == 0 ? null : g);
            return c;
        }
    }

    record LeaveNode(String node) implements EntryProcessor<String, ClusterGroup, List<Change>> {
        @Override
        public List<Change> process(Map.Entry<String, ClusterGroup> e) {
            ClusterGroup g = e.getValue();
            if (g == null) {
                return List.of();
            }
            List<Change> changes = g.leaveNode(node);
            if (!changes.isEmpty()) {
                e.setValue(g.size() == 0 ? null : g);
            }
            return changes;
        }
    }

    record Size() implements EntryProcessor<String, ClusterGroup, Integer>, ReadOnly {
        @Override
        public Integer process(Map.Entry<String, ClusterGroup> e) {
            return e.getValue() == null ? 0 : e.getValue().size();
        }

        @Override
        public EntryProcessor<String, ClusterGroup, Integer> getBackupProcessor() {
            return null;
        }
    }
}
