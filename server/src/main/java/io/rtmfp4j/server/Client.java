package io.rtmfp4j.server;

import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.server.directory.Nickname;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the server holds for one client session. Owned by the server's loop thread. */
final class Client {
    final Session session;
    final String peerId;
    final long openedAt;

    /** The client's NetConnection control flow (spec §6.2), and ours back to it. */
    ReceiveFlow controlIn;
    SendFlow controlOut;
    boolean connectSeen;
    boolean connected;
    String app = "";
    String user;
    /** The nickname registered with connect, or null. */
    Nickname nickname;
    /**
     * Once the server has said its last words on the control flow: when the session is closed even
     * if the client never acknowledged them. {@link Long#MAX_VALUE} before.
     */
    long closeBy = Long.MAX_VALUE;
    /** Local addresses the client reported with setPeerInfo, for introductions. */
    List<InetSocketAddress> reported = List.of();
    /** Stream IDs handed out by createStream and not deleted; null until the first, like {@link #groups}. */
    private Set<Long> streams;
    /**
     * Our server-channel flow to the client for each group it joined, by group ID. Many clients
     * never join a group, and the server holds every client: allocated on the first join.
     */
    private Map<String, SendFlow> groups;
    long nextStreamId = 1;

    Client(Session session, String peerId, long openedAt) {
        this.session = session;
        this.peerId = peerId;
        this.openedAt = openedAt;
    }

    boolean hasStream(long id) {
        return streams != null && streams.contains(id);
    }

    int streamCount() {
        return streams == null ? 0 : streams.size();
    }

    void addStream(long id) {
        if (streams == null) {
            streams = new HashSet<>();
        }
        streams.add(id);
    }

    void removeStream(long id) {
        if (streams != null) {
            streams.remove(id);
        }
    }

    /** Our server-channel flow for a group the client joined, or null. */
    SendFlow group(String groupId) {
        return groups == null ? null : groups.get(groupId);
    }

    int groupCount() {
        return groups == null ? 0 : groups.size();
    }

    /** The groups joined, as a copy the caller may leave them through. */
    List<String> groupIds() {
        return groups == null ? List.of() : List.copyOf(groups.keySet());
    }

    void addGroup(String groupId, SendFlow reply) {
        if (groups == null) {
            groups = new HashMap<>();
        }
        groups.put(groupId, reply);
    }

    /** Forgets a group; returns its flow, or null if the client had not joined it. */
    SendFlow removeGroup(String groupId) {
        return groups == null ? null : groups.remove(groupId);
    }
}
