package io.rtmfp4j.server.directory;

import java.util.Optional;

/**
 * Where connected peers can be found by peer ID. The server registers a peer when its connect
 * succeeds, updates it when its addresses change, and removes it when its session ends.
 *
 * <p>The in-memory directory serves one process. A clustered directory shares records between
 * nodes; an introduction must still come from the node the target is connected to, since that is
 * where the target's NAT mapping is open, so a record names its node.
 *
 * <p>Called on the server's loop thread: implementations must not block it.
 */
public interface PeerDirectory {
    void register(PeerRecord peer);

    void unregister(String peerId);

    Optional<PeerRecord> find(String peerId);

    /** Connected peers known to the directory. */
    int size();
}
