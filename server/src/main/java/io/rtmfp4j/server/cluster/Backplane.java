package io.rtmfp4j.server.cluster;

import io.rtmfp4j.server.directory.PeerDirectory;
import io.rtmfp4j.server.directory.PeerRecord;
import io.rtmfp4j.server.groups.GroupMembership;
import io.rtmfp4j.server.groups.LocalGroupMembership;
import java.util.Objects;

/**
 * What a rendezvous node shares with the others: the peer directory, group membership, and the link
 * to the other nodes. A single process has its own directory and groups and no link.
 *
 * @param directory connected peers, by peer ID and nickname
 * @param groups    group members and the announcements their changes ask for
 * @param link      messages to the other nodes, or null in a single process
 */
public record Backplane(PeerDirectory directory, GroupMembership groups, NodeLink link) {
    public Backplane {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(groups, "groups");
    }

    /** One process: this directory, groups in memory, no other node. */
    public static Backplane single(PeerDirectory directory) {
        return new Backplane(directory, new LocalGroupMembership(), null);
    }

    /** This node's name in directory records: {@link PeerRecord#LOCAL} in a single process. */
    public String node() {
        return link == null ? PeerRecord.LOCAL : link.self();
    }
}
