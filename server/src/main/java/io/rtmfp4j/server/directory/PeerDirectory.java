package io.rtmfp4j.server.directory;

import java.util.Optional;

/**
 * Where connected peers can be found, by peer ID or by nickname. The server registers a peer when
 * its connect succeeds, updates it when its addresses change, and removes it when its session ends.
 *
 * <p>The in-memory directory serves one process. A clustered directory shares records between
 * nodes; an introduction must still come from the node the target is connected to, since that is
 * where the target's NAT mapping is open, so a record names its node. Nicknames are unique across
 * the directory, so {@link #register} is the one place that decides who holds one.
 *
 * <p>Called on the server's loop thread: implementations must not block it.
 */
public interface PeerDirectory {
    /**
     * Adds a peer or replaces its record (and with it the nickname it held, which is released if
     * the new record has another or none).
     *
     * @return false, changing nothing, when the record's nickname is held by another peer ID
     */
    boolean register(PeerRecord peer);

    /** Removes a peer and releases its nickname. */
    void unregister(String peerId);

    Optional<PeerRecord> find(String peerId);

    /** The peer holding a nickname, compared as {@link Nickname#key()} does. */
    Optional<PeerRecord> findByNickname(Nickname nickname);

    /** Connected peers known to the directory. */
    int size();
}
