package io.rtmfp4j.flash.swarm;

import io.rtmfp4j.core.crypto.Sha256;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.group.GroupSpecifier;
import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.group.ReplicationStrategy;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStatusListener;
import io.rtmfp4j.flash.tc.Status;
import java.io.IOException;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One file shared by the members of a group, with NetGroup's object replication as BitTorrent
 * shares a torrent: object 0 is the {@link SwarmManifest}, whose SHA-256 is the swarm ID, and
 * object {@code i} (1 … n) is chunk {@code i - 1} of the file. Whoever shares the file has every
 * object; whoever fetches it knows only the ID, wants object 0, checks it against the ID, then
 * wants every chunk it lacks, fetched rarest first from every neighbor that has it, and offers
 * each chunk to others as soon as it has checked it. A chunk whose hash is wrong is dropped, asked
 * for again, and its sender is asked for nothing more: nothing unchecked is ever kept.
 *
 * <p>The group should be one for this swarm alone ({@link #groupSpecifier}): object indices are
 * the group's, and two files in one group would collide. Thread-safe; the group's status events
 * drive it.
 */
public final class Swarm implements AutoCloseable {
    /** Opens the store of a download once its manifest is known. */
    @FunctionalInterface
    public interface StoreOpener {
        ChunkStore open(SwarmManifest manifest) throws IOException;
    }

    /** What happens in a swarm, for displays and logs; called on the group's callback thread. */
    public interface Listener {
        default void onManifest(SwarmManifest manifest) {
        }

        /** Object {@code index} (0: the manifest) from {@code peerId} did not match its hash: dropped. */
        default void onCorrupt(long index, String peerId) {
        }

        default void onComplete() {
        }

        /** The store failed: the swarm stops fetching, and {@link #completion()} fails. */
        default void onError(IOException e) {
        }
    }

    private final NetGroup group;
    private final String id;
    private final StoreOpener opener;
    private final Listener listener;
    private final NetStatusListener events = this::onStatus;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final Set<String> avoided = new HashSet<>();
    private final long startedNanos = System.nanoTime();
    private SwarmManifest manifest;
    private byte[] manifestBytes;
    private ChunkStore store;
    private BitSet held = new BitSet();
    private long heldBytes;
    private long resumedBytes;
    private long corrupt;
    private long servedBytes;
    private boolean closed;

    private Swarm(NetGroup group, String id, StoreOpener opener, Listener listener) {
        this.group = group;
        this.id = id;
        this.opener = opener;
        this.listener = listener;
    }

    /**
     * The groupspec of swarm {@code swarmId} in group {@code name}: object replication and the
     * server channel, and the swarm ID in the group's name, so that every file has a group of its own.
     */
    public static GroupSpecifier groupSpecifier(String name, String swarmId) {
        return new GroupSpecifier(name + ":" + swarmId).setObjectReplicationEnabled(true).setServerChannelEnabled(true);
    }

    /** Shares a whole file: every object is offered at once. */
    public static Swarm share(NetGroup group, SwarmManifest manifest, ChunkStore store, Listener listener) {
        Swarm s = new Swarm(group, manifest.id(), m -> store, listener);
        group.addStatusListener(s.events);
        synchronized (s) {
            s.manifestArrived(manifest.encode(), manifest);
        }
        return s;
    }

    /**
     * Fetches the file of swarm {@code swarmId} (64 hex digits) into the store {@code opener} opens
     * once the manifest came, keeping what that store already holds.
     *
     * @throws IllegalArgumentException if the ID is not 64 hex digits
     */
    public static Swarm fetch(NetGroup group, String swarmId, StoreOpener opener, Listener listener) {
        if (!swarmId.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("a swarm ID is 64 hex digits");
        }
        Swarm s = new Swarm(group, swarmId.toLowerCase(java.util.Locale.ROOT), Objects.requireNonNull(opener), listener);
        group.setReplicationStrategy(ReplicationStrategy.RAREST_FIRST);
        group.addStatusListener(s.events);
        group.addWantObjects(0, 0);
        return s;
    }

    public String id() {
        return id;
    }

    /** Completes when every chunk is held and the store made the file whole; fails if the store fails. */
    public CompletableFuture<Void> completion() {
        return completion;
    }

    /** The manifest, once known. */
    public synchronized SwarmManifest manifest() {
        return manifest;
    }

    public synchronized SwarmProgress progress() {
        return new SwarmProgress(id, manifest == null ? -1 : manifest.size(), heldBytes, resumedBytes,
                held.cardinality(), manifest == null ? -1 : manifest.chunkCount(), group.neighborCount(), corrupt,
                Set.copyOf(avoided), servedBytes, (System.nanoTime() - startedNanos) / 1000);
    }

    private synchronized void onStatus(NetStatus s) {
        if (closed) {
            return;
        }
        switch (s.code()) {
            case Status.GROUP_REPLICATION_REQUEST -> onRequest(index(s), (Integer) s.info().get("requestID"));
            case Status.GROUP_REPLICATION_FETCH_RESULT -> onObject(index(s), s.info().get("object"),
                    (String) s.info().get("peerID"));
            default -> {
            }
        }
    }

    private static long index(NetStatus s) {
        return ((Number) s.info().get("index")).longValue();
    }

    private void onRequest(long index, int requestId) {
        if (index == 0 && manifestBytes != null) {
            group.writeRequestedObject(requestId, manifestBytes);
            servedBytes += manifestBytes.length;
        } else if (index >= 1 && index <= held.length() && held.get((int) (index - 1))) {
            try {
                byte[] chunk = store.read((int) (index - 1));
                group.writeRequestedObject(requestId, chunk);
                servedBytes += chunk.length;
            } catch (IOException e) {
                group.denyRequestedObject(requestId);
                fail(e);
            }
        } else {
            group.denyRequestedObject(requestId);
        }
    }

    private void onObject(long index, Object object, String from) {
        if (!(object instanceof byte[] bytes)) {
            rejected(index, from);
            return;
        }
        if (index == 0) {
            if (manifest != null) {
                return;
            }
            SwarmManifest m;
            try {
                m = Hex.encode(Sha256.digest(bytes)).equals(id) ? SwarmManifest.decode(bytes) : null;
            } catch (WireFormatException e) {
                m = null;
            }
            if (m == null) {
                rejected(index, from);
            } else {
                manifestArrived(bytes, m);
            }
            return;
        }
        if (manifest == null || index > manifest.chunkCount()) {
            return;
        }
        int chunk = (int) (index - 1);
        if (held.get(chunk)) {
            return;
        }
        if (!manifest.matches(chunk, bytes)) {
            rejected(index, from);
            return;
        }
        try {
            store.write(chunk, bytes);
        } catch (IOException e) {
            fail(e);
            return;
        }
        held.set(chunk);
        heldBytes += bytes.length;
        group.addHaveObjects(index, index);
        if (held.cardinality() == manifest.chunkCount()) {
            completed();
        }
    }

    /** An object that is not what its hash says: dropped, wanted again, and its sender avoided. */
    private void rejected(long index, String from) {
        corrupt++;
        if (from != null && avoided.add(from)) {
            group.avoidReplicationPeer(from);
        }
        group.addWantObjects(index, index);
        if (listener != null) {
            listener.onCorrupt(index, from);
        }
    }

    private void manifestArrived(byte[] bytes, SwarmManifest m) {
        try {
            store = opener.open(m);
            held = store.held();
        } catch (IOException e) {
            fail(e);
            return;
        }
        manifest = m;
        manifestBytes = bytes;
        for (int c = held.nextSetBit(0); c >= 0; c = held.nextSetBit(c + 1)) {
            heldBytes += m.chunkLength(c);
        }
        resumedBytes = heldBytes;
        if (listener != null) {
            listener.onManifest(m);
        }
        group.addHaveObjects(0, 0);
        // Chunk c is object c + 1: what is held is offered, what is missing wanted, a run at a time.
        int c = 0;
        while (c < m.chunkCount()) {
            boolean have = held.get(c);
            int end = have ? held.nextClearBit(c) : Math.min(m.chunkCount(), nextSet(held, c));
            if (have) {
                group.addHaveObjects(c + 1, end);
            } else {
                group.addWantObjects(c + 1, end);
            }
            c = end;
        }
        if (held.cardinality() == m.chunkCount()) {
            completed();
        }
    }

    private static int nextSet(BitSet b, int from) {
        int next = b.nextSetBit(from);
        return next < 0 ? Integer.MAX_VALUE : next;
    }

    private void completed() {
        if (completion.isDone()) {
            return;
        }
        try {
            store.complete();
        } catch (IOException e) {
            fail(e);
            return;
        }
        if (listener != null) {
            listener.onComplete();
        }
        completion.complete(null);
    }

    private void fail(IOException e) {
        if (listener != null) {
            listener.onError(e);
        }
        group.removeWantObjects(0, manifest == null ? 0 : manifest.chunkCount());
        completion.completeExceptionally(e);
    }

    /** Stops taking part: the group's events no longer reach this swarm, and the store closes. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        group.removeStatusListener(events);
        if (store != null) {
            store.close();
        }
    }
}
