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
    /** Stream IDs handed out by createStream and not deleted. */
    final Set<Long> streams = new HashSet<>();
    long nextStreamId = 1;
    /** Our server-channel flow to the client for each group it joined, by group ID. */
    final Map<String, SendFlow> groups = new HashMap<>();

    Client(Session session, String peerId, long openedAt) {
        this.session = session;
        this.peerId = peerId;
        this.openedAt = openedAt;
    }
}
