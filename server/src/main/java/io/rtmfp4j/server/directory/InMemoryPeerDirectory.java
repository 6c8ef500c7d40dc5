package io.rtmfp4j.server.directory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default directory: maps in this process, every answer complete at once. Reads are safe from
 * any thread; changes are serialized so that a record and its nickname come and go together.
 */
public final class InMemoryPeerDirectory implements PeerDirectory {
    private final Map<String, PeerRecord> peers = new ConcurrentHashMap<>();
    /** Peer ID by {@link Nickname#key()}. */
    private final Map<String, String> nicknames = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Boolean> register(PeerRecord peer) {
        return CompletableFuture.completedFuture(put(peer));
    }

    private synchronized boolean put(PeerRecord peer) {
        String key = peer.nickname() == null ? null : peer.nickname().key();
        if (key != null) {
            String holder = nicknames.get(key);
            if (holder != null && !holder.equals(peer.peerId())) {
                return false;
            }
        }
        PeerRecord old = peers.put(peer.peerId(), peer);
        if (old != null && old.nickname() != null && !old.nickname().key().equals(key)) {
            nicknames.remove(old.nickname().key(), peer.peerId());
        }
        if (key != null) {
            nicknames.put(key, peer.peerId());
        }
        return true;
    }

    @Override
    public synchronized void unregister(String peerId) {
        PeerRecord old = peers.remove(peerId);
        if (old != null && old.nickname() != null) {
            nicknames.remove(old.nickname().key(), peerId);
        }
    }

    @Override
    public CompletionStage<Optional<PeerRecord>> find(String peerId) {
        return CompletableFuture.completedFuture(Optional.ofNullable(peers.get(peerId)));
    }

    @Override
    public CompletionStage<Optional<PeerRecord>> findByNickname(Nickname nickname) {
        String peerId = nicknames.get(nickname.key());
        return CompletableFuture.completedFuture(peerId == null ? Optional.empty() : Optional.ofNullable(peers.get(peerId)));
    }

    /** Connected peers known to the directory. */
    public int size() {
        return peers.size();
    }
}
