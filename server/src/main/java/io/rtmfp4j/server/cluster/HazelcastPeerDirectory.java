package io.rtmfp4j.server.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.rtmfp4j.server.directory.Nickname;
import io.rtmfp4j.server.directory.PeerDirectory;
import io.rtmfp4j.server.directory.PeerRecord;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The peer directory of a cluster, in two Hazelcast maps partitioned over the nodes (each node
 * holds its share and a backup of another's, not the whole directory): records by peer ID, and
 * nickname holders by nickname key. Every change is an entry processor, atomic on the entry's
 * owner, so two nodes registering one nickname at once cannot both get it, and a node removes a
 * record only if it is still its own. Nothing here blocks: answers complete on Hazelcast's threads.
 */
final class HazelcastPeerDirectory implements PeerDirectory {
    static final String PEERS = "rtmfp.peers";
    static final String NICKNAMES = "rtmfp.nicknames";

    private final IMap<String, DirectoryEntry> peers;
    private final IMap<String, NicknameHolder> nicknames;
    private final String node;

    HazelcastPeerDirectory(IMap<String, DirectoryEntry> peers, IMap<String, NicknameHolder> nicknames, String node) {
        this.peers = peers;
        this.nicknames = nicknames;
        this.node = node;
    }

    @Override
    public CompletionStage<Boolean> register(PeerRecord peer) {
        DirectoryEntry entry = DirectoryEntry.of(peer);
        String key = peer.nickname() == null ? null : peer.nickname().key();
        CompletionStage<Boolean> claimed = key == null ? CompletableFuture.completedFuture(true)
                : nicknames.submitToKey(key, new ClaimNickname(peer.peerId(), node));
        return claimed.thenCompose(ok -> {
            if (!ok) {
                return CompletableFuture.completedFuture(false);
            }
            return peers.submitToKey(peer.peerId(), new PutPeer(entry)).thenApply(oldKey -> {
                if (oldKey != null && !oldKey.equals(key)) {
                    nicknames.submitToKey(oldKey, new ReleaseNickname(peer.peerId()));
                }
                return true;
            });
        });
    }

    @Override
    public void unregister(String peerId) {
        peers.submitToKey(peerId, new RemoveIfOn(node)).thenAccept(key -> {
            if (key != null && !key.isEmpty()) {
                nicknames.submitToKey(key, new ReleaseNickname(peerId));
            }
        });
    }

    @Override
    public CompletionStage<Optional<PeerRecord>> find(String peerId) {
        return peers.getAsync(peerId).thenApply(e -> Optional.ofNullable(e).map(x -> x.toRecord(peerId)));
    }

    @Override
    public CompletionStage<Optional<PeerRecord>> findByNickname(Nickname nickname) {
        return nicknames.getAsync(nickname.key()).thenCompose(h -> h == null
                ? CompletableFuture.completedFuture(Optional.empty()) : find(h.peerId()));
    }

    /** Forgets every record and nickname of a node that left the cluster; blocks, so not on a loop thread. */
    void forgetNode(String gone) {
        peers.removeAll(Predicates.equal(DirectoryEntry.NODE, gone));
        nicknames.removeAll(Predicates.equal(DirectoryEntry.NODE, gone));
    }

    /** Takes a nickname if it is free or already this peer's; true if the peer now holds it. */
    record ClaimNickname(String peerId, String node) implements EntryProcessor<String, NicknameHolder, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, NicknameHolder> e) {
            NicknameHolder h = e.getValue();
            if (h != null && !h.peerId().equals(peerId)) {
                return false;
            }
            e.setValue(new NicknameHolder(peerId, node));
            return true;
        }
    }

    /** Frees a nickname if this peer holds it. */
    record ReleaseNickname(String peerId) implements EntryProcessor<String, NicknameHolder, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, NicknameHolder> e) {
            if (e.getValue() != null && e.getValue().peerId().equals(peerId)) {
                e.setValue(null);
                return true;
            }
            return false;
        }
    }

    /** Stores a record; returns the nickname key the record it replaced had, or null. */
    record PutPeer(DirectoryEntry entry) implements EntryProcessor<String, DirectoryEntry, String> {
        @Override
        public String process(Map.Entry<String, DirectoryEntry> e) {
            DirectoryEntry old = e.getValue();
            e.setValue(entry);
            return old == null ? null : old.nicknameKey();
        }
    }

    /**
     * Removes a record if it is {@code node}'s; returns its nickname key, "" if it had none, or
     * null if nothing was removed.
     */
    record RemoveIfOn(String node) implements EntryProcessor<String, DirectoryEntry, String> {
        @Override
        public String process(Map.Entry<String, DirectoryEntry> e) {
            DirectoryEntry old = e.getValue();
            if (old == null || !old.node().equals(node)) {
                return null;
            }
            e.setValue(null);
            String key = old.nicknameKey();
            return key == null ? "" : key;
        }
    }
}
