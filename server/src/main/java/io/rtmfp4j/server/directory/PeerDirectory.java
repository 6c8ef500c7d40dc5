package io.rtmfp4j.server.directory;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where connected peers can be found, by peer ID or by nickname. The server registers a peer when
 * its connect succeeds, updates it when its addresses change, and removes it when its session ends.
 *
 * <p>The in-memory directory serves one process. A clustered directory shares records between
 * nodes; an introduction must still come from the node the target is connected to, since that is
 * where the target's NAT mapping is open, so a record names its node. Nicknames are unique across
 * the directory, so {@link #register} is the one place that decides who holds one.
 *
 * <p>Called on the server's loop thread, which must never wait on another machine: every answer is
 * a {@link CompletionStage}. The in-memory directory completes them at once; a clustered one later,
 * on a thread of its own, and the server hands the result back to its loop.
 */
public interface PeerDirectory {
    /**
     * Adds a peer or replaces its record (and with it the nickname it held, which is released if
     * the new record has another or none).
     *
     * @return false, changing nothing, when the record's nickname is held by another peer ID
     */
    CompletionStage<Boolean> register(PeerRecord peer);

    /**
     * Removes a peer and releases its nickname, if its record is this node's: once a peer has
     * connected to another node, the session it left here must not remove it.
     */
    void unregister(String peerId);

    CompletionStage<Optional<PeerRecord>> find(String peerId);

    /** The peer holding a nickname, compared as {@link Nickname#key()} does. */
    CompletionStage<Optional<PeerRecord>> findByNickname(Nickname nickname);
}
