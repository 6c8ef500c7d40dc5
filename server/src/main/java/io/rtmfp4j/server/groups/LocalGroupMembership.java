package io.rtmfp4j.server.groups;

import io.rtmfp4j.server.directory.PeerRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The groups of one process, every member on this node; owned by the server's loop thread. */
public final class LocalGroupMembership implements GroupMembership {
    private final GroupRegistry groups = new GroupRegistry();

    @Override
    public CompletionStage<Change> join(String groupId, String peerId) {
        return CompletableFuture.completedFuture(local(groups.join(groupId, peerId)));
    }

    @Override
    public CompletionStage<Change> leave(String groupId, String peerId) {
        return CompletableFuture.completedFuture(local(groups.leave(groupId, peerId)));
    }

    @Override
    public CompletionStage<Map<String, Integer>> largest(int limit) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (Group g : groups.groups()) {
            sizes.put(g.id(), g.size());
        }
        return CompletableFuture.completedFuture(largest(sizes, limit));
    }

    /** The {@code limit} largest of groups given as group ID → members, largest first, then by ID. */
    public static Map<String, Integer> largest(Map<String, Integer> sizes, int limit) {
        Map<String, Integer> out = new LinkedHashMap<>();
        sizes.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** A policy decision where everyone is on this node. */
    static Change local(Group.Announcements a) {
        return withNodes(a, member -> PeerRecord.LOCAL);
    }

    /** A policy decision with each member's node. */
    public static Change withNodes(Group.Announcements a, java.util.function.Function<String, String> nodeOf) {
        List<Delivery> deliveries = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : a.toMembers().entrySet()) {
            deliveries.add(new Delivery(e.getKey(), nodeOf.apply(e.getKey()), e.getValue()));
        }
        return new Change(a.toNewcomer(), deliveries);
    }
}
