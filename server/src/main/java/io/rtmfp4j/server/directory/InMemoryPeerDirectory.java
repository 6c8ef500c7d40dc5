package io.rtmfp4j.server.directory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The default directory: one map in this process. Safe to read from any thread. */
public final class InMemoryPeerDirectory implements PeerDirectory {
    private final Map<String, PeerRecord> peers = new ConcurrentHashMap<>();

    @Override
    public void register(PeerRecord peer) {
        peers.put(peer.peerId(), peer);
    }

    @Override
    public void unregister(String peerId) {
        peers.remove(peerId);
    }

    @Override
    public Optional<PeerRecord> find(String peerId) {
        return Optional.ofNullable(peers.get(peerId));
    }

    @Override
    public int size() {
        return peers.size();
    }
}
