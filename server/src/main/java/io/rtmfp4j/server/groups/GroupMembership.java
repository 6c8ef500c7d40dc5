package io.rtmfp4j.server.groups;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Who is in which group, and who must hear about whom when that changes ({@link Group}'s policy):
 * the groups of one process ({@link LocalGroupMembership}), or of every node of a cluster, where a
 * group's ring spans the nodes and an announcement may be for a member connected elsewhere.
 *
 * <p>Called on the server's loop thread, which must never wait on another machine: every answer is
 * a {@link CompletionStage}, complete at once for the local groups.
 */
public interface GroupMembership {
    /** Adds a member connected to this node; empty announcements if it was already one. */
    CompletionStage<Change> join(String groupId, String peerId);

    /** Removes a member; empty announcements if it was not one. */
    CompletionStage<Change> leave(String groupId, String peerId);

    /** Members by group ID, the largest {@code limit} groups. */
    CompletionStage<Map<String, Integer>> largest(int limit);

    /**
     * What a join or a leave asks to be said on server channels.
     *
     * @param toNewcomer peer IDs for the member that joined
     * @param toMembers  peer IDs for existing members, each with the node it is connected to
     */
    record Change(List<String> toNewcomer, List<Delivery> toMembers) implements java.io.Serializable {
        public static final Change NONE = new Change(List.of(), List.of());

        public Change {
            toNewcomer = List.copyOf(toNewcomer);
            toMembers = List.copyOf(toMembers);
        }
    }

    /**
     * Peer IDs to announce to one member.
     *
     * @param member  the member's peer ID
     * @param node    the node it is connected to
     * @param peerIds what to announce to it
     */
    record Delivery(String member, String node, List<String> peerIds) implements java.io.Serializable {
        public Delivery {
            peerIds = List.copyOf(peerIds);
        }
    }
}
