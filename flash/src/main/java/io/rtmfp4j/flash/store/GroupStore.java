package io.rtmfp4j.flash.store;

import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.group.GroupAddress;
import io.rtmfp4j.flash.group.GroupSpecifier;
import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.group.ReceiveMode;
import io.rtmfp4j.flash.group.overlay.Ring;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStatusListener;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.runtime.EndpointHost;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A distributed key-value store on NetGroup directed routing, as Flash's documentation suggests
 * building "DHT-like structures" on {@code sendToNearest} (netgroup spec §10): each entry lives
 * on the {@code replicas} members (3 by default) nearest its key's address, the SHA-256 of the
 * key, among all members, as in Kademlia. A writer routes its entry to the member nearest that
 * address, which keeps it and passes it to the others nearest; a lookup is routed the same way,
 * greedily, hop by hop, and answered by the member nearest the key, or, if that one lacks the
 * entry (it joined a moment ago), by the others nearest, which it asks; the answer says how many
 * hops the lookup took.
 *
 * <p>Entries stay where they belong as members come and go: every second each member looks at
 * which of its neighbors are now nearest each entry it holds and passes the entry to those that
 * were not before (a member that joined nearer, or the next one when a holder left); a member
 * that is no longer among the nearest passes its entries on and forgets them. Every
 * {@link Settings#republishMicros} it passes every entry to the nearest again, whatever it
 * believes they hold. Entries are signed by their writer ({@link WriterKey}); see docs/groups.md
 * for what that guarantees.
 *
 * <p>The group should be one for the store alone ({@link #groupSpecifier}): every member is in
 * {@code NEAREST} receive mode and the store's messages are its directed messages. Thread-safe:
 * the store lives on the connection's loop thread.
 */
public final class GroupStore implements AutoCloseable {
    /**
     * How a store member behaves.
     *
     * @param replicas        members an entry lives on (3 by default)
     * @param maxEntries      entries this member holds at most (10,000)
     * @param republishMicros how often a holder passes every entry to the nearest again (10 minutes)
     * @param answerMicros    how long a request waits for its answer before it is sent again (5 s)
     * @param attempts        how many times a request is sent before it fails (3)
     */
    public record Settings(int replicas, int maxEntries, long republishMicros, long answerMicros, int attempts) {
        public static final Settings DEFAULT = new Settings(3, 10_000, 600_000_000L, 5_000_000L, 3);

        public Settings {
            if (replicas < 1 || maxEntries < 1 || republishMicros < 1 || answerMicros < 1 || attempts < 1) {
                throw new IllegalArgumentException("every setting is positive");
            }
        }
    }

    /**
     * What a put or a removal came to.
     *
     * @param outcome what the member nearest the key did with the entry
     * @param hops    the hops the entry took to reach it
     * @param version the entry's version
     */
    public record PutResult(StoreOutcome outcome, int hops, long version) {
        public boolean stored() {
            return outcome == StoreOutcome.STORED;
        }
    }

    /**
     * What a lookup found: the entry, or null if no member nearest the key holds one (or its
     * writer removed it: {@link #found()} is false then, and {@code entry} the removal).
     *
     * @param hops the hops the lookup took to the member that answered
     */
    public record GetResult(StoreEntry entry, int hops) {
        public boolean found() {
            return entry != null && !entry.removed();
        }

        /** The value, or null if not {@link #found()}. */
        public byte[] value() {
            return found() ? entry.value() : null;
        }
    }

    /** Ticks of the re-replication check. */
    private static final long TICK_MICROS = 1_000_000L;
    /** How long a lookup waits for the other holders after the nearest member said it has nothing. */
    private static final long FIND_WAIT_MICROS = 1_000_000L;

    /** A request of this member's awaiting its answer. */
    private final class Pending {
        final int id;
        final StoreMessage request;
        final GroupAddress to;
        final CompletableFuture<PutResult> put;
        final CompletableFuture<GetResult> get;
        final byte[] writer;
        final long version;
        int attempt;
        boolean missing;

        Pending(int id, StoreMessage request, GroupAddress to, CompletableFuture<PutResult> put,
                CompletableFuture<GetResult> get, byte[] writer, long version) {
            this.id = id;
            this.request = request;
            this.to = to;
            this.put = put;
            this.get = get;
            this.writer = writer;
            this.version = version;
        }

        void fail(String why) {
            pending.remove(id);
            GroupStoreException e = new GroupStoreException(why);
            if (put != null) {
                put.completeExceptionally(e);
            } else {
                get.completeExceptionally(e);
            }
        }
    }

    /** An entry held here, which members it was passed to, and which were nearest its key when it was. */
    private static final class Held {
        StoreEntry entry;
        /** The key's address, hashed once: every repair looks at it. */
        final GroupAddress address;
        final Set<GroupAddress> informed = new HashSet<>();
        /** The members nearest the key among this one and its neighbors, at the last repair. */
        List<GroupAddress> nearest = List.of();

        Held(StoreEntry entry) {
            this.entry = entry;
            this.address = entry.address();
        }
    }

    private final NetGroup group;
    private final EndpointHost host;
    private final WriterKey writerKey;
    private final Settings settings;
    private final GroupAddress self;
    private final EntryTable table;
    private final Map<String, Held> held = new HashMap<>();
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final NetStatusListener events = this::onStatus;
    private final StoreCounters counters = new StoreCounters();
    /** The neighbors at the last repair. */
    private Set<GroupAddress> lastNeighbors = Set.of();
    /** The group's neighbor list as last read, and the addresses of those running this project. */
    private List<NetGroup.NeighborInfo> neighborInfos = List.of();
    private Set<GroupAddress> neighborAddresses = Set.of();
    private long lastRepublish;
    private long lastVersion;
    private int nextRequest = 1;
    private boolean closed;
    private volatile int heldCount;

    private GroupStore(NetGroup group, NetConnection nc, WriterKey writerKey, Settings settings) {
        this.group = group;
        this.host = nc.services().host();
        this.writerKey = writerKey;
        this.settings = settings;
        this.self = GroupAddress.parse(group.convertPeerIDToGroupAddress(nc.nearId()));
        this.table = new EntryTable(settings.maxEntries());
    }

    /** The groupspec of store {@code name}: directed routing and the server channel. */
    public static GroupSpecifier groupSpecifier(String name) {
        return new GroupSpecifier(name).setRoutingEnabled(true).setServerChannelEnabled(true);
    }

    /**
     * A store member on {@code group}, the group {@code nc} joined, writing as {@code writerKey}.
     * It holds entries for the group as long as it is open.
     */
    public static GroupStore open(NetGroup group, NetConnection nc, WriterKey writerKey, Settings settings) {
        GroupStore s = new GroupStore(group, nc, writerKey, settings);
        group.setReceiveMode(ReceiveMode.NEAREST);
        group.addStatusListener(s.events);
        s.host.execute(e -> {
            // Members that opened together do not republish together: each starts its period at
            // an offset its address draws, so that the copies of a whole group's entries spread out.
            s.lastRepublish = s.host.now()
                    - Long.remainderUnsigned(ByteBuffer.wrap(s.self.bytes()).getLong(), settings.republishMicros());
            s.host.schedule(TICK_MICROS, x -> s.tick());
        });
        return s;
    }

    /** This member's group address. */
    public GroupAddress address() {
        return self;
    }

    /** The writer's public key this store signs with. */
    public byte[] writer() {
        return writerKey.publicKey();
    }

    /**
     * Writes {@code value} under {@code key}, as a new version of this writer's entry.
     *
     * @throws IllegalArgumentException if the key is empty or longer than {@link StoreEntry#MAX_KEY}
     *     bytes, or the value larger than {@link StoreEntry#MAX_VALUE}
     */
    public CompletableFuture<PutResult> put(String key, byte[] value) {
        return write(key, value.clone());
    }

    /** Removes this writer's entry for {@code key}: a newer version that says it is gone. */
    public CompletableFuture<PutResult> remove(String key) {
        return write(key, null);
    }

    private CompletableFuture<PutResult> write(String key, byte[] value) {
        StoreEntry.checkKey(key);
        if (value != null && value.length > StoreEntry.MAX_VALUE) {
            throw new IllegalArgumentException("a value is at most " + StoreEntry.MAX_VALUE + " bytes, not "
                    + value.length);
        }
        CompletableFuture<PutResult> f = new CompletableFuture<>();
        host.execute(e -> {
            lastVersion = Math.max(lastVersion + 1, System.currentTimeMillis());
            StoreEntry entry = StoreEntry.sign(writerKey, key, lastVersion, value);
            int id = nextRequest++;
            start(new Pending(id, new StoreMessage.Store(id, self, false, entry), entry.address(), f, null, null,
                    entry.version()));
        });
        return f;
    }

    /** Looks {@code key} up: the entry of whichever writer the members nearest the key hold. */
    public CompletableFuture<GetResult> get(String key) {
        return get(key, null);
    }

    /**
     * Looks {@code key} up, taking only {@code writer}'s entry (its 32-byte public key): what a
     * reader does that knows whose entry it wants, so that no other writer's can stand for it.
     */
    public CompletableFuture<GetResult> get(String key, byte[] writer) {
        StoreEntry.checkKey(key);
        GroupAddress to = StoreEntry.address(key);
        CompletableFuture<GetResult> f = new CompletableFuture<>();
        byte[] pin = writer == null ? null : writer.clone();
        host.execute(e -> {
            int id = nextRequest++;
            start(new Pending(id, new StoreMessage.Get(id, self, false, 0, key), to, null, f, pin, 0));
        });
        return f;
    }

    /** Message counts, for benchmarks. */
    public StoreCounters counters() {
        return counters;
    }

    /** How many entries this member holds, removals included; read from any thread, it may lag a little. */
    public int heldCount() {
        return heldCount;
    }

    /** Whether this member holds an entry for {@code key} (a removal counts): how a benchmark counts the copies. */
    public CompletableFuture<Boolean> holds(String key) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        host.execute(e -> f.complete(table.get(key) != null));
        return f;
    }

    /** Stops serving: pending requests fail, the group's messages are no longer read. */
    @Override
    public void close() {
        group.removeStatusListener(events);
        host.execute(e -> {
            closed = true;
            for (Pending p : List.copyOf(pending.values())) {
                p.fail("the store closed");
            }
        });
    }

    // ---------------------------------------------------------------- loop thread

    private void start(Pending p) {
        if (closed) {
            p.fail("the store closed");
            return;
        }
        pending.put(p.id, p);
        attempt(p);
    }

    private void attempt(Pending p) {
        int attempt = ++p.attempt;
        send(p.request, p.to);
        host.schedule(settings.answerMicros(), e -> {
            if (pending.get(p.id) == p && p.attempt == attempt && !p.missing) {
                if (attempt < settings.attempts()) {
                    attempt(p);
                } else {
                    p.fail("no answer from the members nearest the key after " + attempt + " tries");
                }
            }
        });
    }

    private void send(StoreMessage m, GroupAddress to) {
        counters.sent(m);
        group.sendToNearest(m.encode(), to.hex());
    }

    private void onStatus(NetStatus s) {
        if (s.code().equals(Status.GROUP_SEND_TO_NOTIFY) && s.info().get("message") instanceof byte[] bytes) {
            GroupAddress destination = GroupAddress.parse((String) s.info().get("destination"));
            int hops = ((Number) s.info().get("hops")).intValue();
            host.execute(e -> received(bytes, destination, hops));
        }
    }

    private void received(byte[] bytes, GroupAddress destination, int hops) {
        if (closed) {
            return;
        }
        StoreMessage m;
        try {
            m = StoreMessage.decode(bytes);
        } catch (WireFormatException e) {
            counters.countMalformed();
            return;
        }
        counters.countReceived();
        boolean mine = destination.equals(self);
        if (m instanceof StoreMessage.Store st) {
            onStore(st, destination, hops);
        } else if (m instanceof StoreMessage.Get g) {
            onGet(g, hops);
        } else if (!mine) {
            // An answer for a member that has gone, delivered to whoever is nearest its address.
            counters.countMisrouted();
        } else if (m instanceof StoreMessage.Stored a) {
            answered(a.requestId(), p -> {
                if (p.put == null) {
                    return false;
                }
                p.put.complete(new PutResult(a.outcome(), a.hops(), p.version));
                return true;
            });
        } else if (m instanceof StoreMessage.Found f) {
            answered(f.requestId(), p -> found(p, f));
        } else if (m instanceof StoreMessage.Missing miss) {
            answered(miss.requestId(), p -> missing(p, miss));
        }
    }

    /** A found entry settles a lookup if it is the key's, of the writer asked for, and signed by its writer. */
    private boolean found(Pending p, StoreMessage.Found f) {
        StoreEntry e = f.entry();
        if (p.get != null && p.request instanceof StoreMessage.Get g && e.key().equals(g.key())
                && (p.writer == null || Arrays.equals(p.writer, e.writer())) && e.verified()) {
            p.get.complete(new GetResult(e, f.hops()));
            return true;
        }
        return false;
    }

    /** Nothing at the member nearest the key: not found, unless one of the others it asked answers soon. */
    private boolean missing(Pending p, StoreMessage.Missing miss) {
        if (p.get == null) {
            return false;
        }
        if (miss.asked() == 0) {
            p.get.complete(new GetResult(null, miss.hops()));
            return true;
        }
        p.missing = true;
        host.schedule(FIND_WAIT_MICROS, e -> {
            if (pending.remove(p.id) == p) {
                p.get.complete(new GetResult(null, miss.hops()));
            }
        });
        return false;
    }

    private interface Answer {
        /** Whether the answer settles the request. */
        boolean settle(Pending p);
    }

    private void answered(int id, Answer a) {
        Pending p = pending.get(id);
        if (p != null && a.settle(p)) {
            pending.remove(id);
        }
    }

    private void onStore(StoreMessage.Store s, GroupAddress destination, int hops) {
        StoreEntry entry = s.entry();
        GroupAddress key = entry.address();
        List<GroupAddress> nearest = nearest(key);
        if (s.replica() && !destination.equals(self) && !nearest.contains(self) && !destination.equals(key)) {
            // A copy for a member that has gone, delivered to whoever is nearest its address: it
            // goes on to the key's own address, where it belongs.
            send(new StoreMessage.Store(0, self, true, entry), key);
            return;
        }
        // A copy meant for this member is kept even when this member does not see itself among the
        // nearest: the holder that sent it learnt sooner that a nearer member left (sessions time out
        // at each end on their own clocks), and would not send it again. This member's next change
        // of neighbors decides whether it stays.
        StoreEntry before = table.get(entry.key());
        StoreOutcome outcome = table.offer(entry);
        if (outcome == StoreOutcome.STORED && !entry.equals(before)) {
            Held h = held.computeIfAbsent(entry.key(), k -> new Held(entry));
            h.entry = entry;
            h.informed.clear();
            h.informed.add(self);
            h.nearest = nearest;
            if (s.replica()) {
                // The member that kept it first passed it to every member nearest as it saw them.
                h.informed.addAll(nearest);
                h.informed.add(s.origin());
            } else {
                passOn(h, nearest);
            }
            heldCount = table.size();
        }
        if (!s.replica()) {
            send(new StoreMessage.Stored(s.requestId(), hops, outcome), s.origin());
        }
    }

    private void onGet(StoreMessage.Get g, int hops) {
        int total = g.hops() + hops;
        StoreEntry e = table.get(g.key());
        if (e != null) {
            send(new StoreMessage.Found(g.requestId(), total, e), g.origin());
        } else if (!g.fromRoot()) {
            List<GroupAddress> others = new ArrayList<>(nearest(StoreEntry.address(g.key())));
            others.remove(self);
            for (GroupAddress o : others) {
                send(new StoreMessage.Get(g.requestId(), g.origin(), true, total, g.key()), o);
            }
            send(new StoreMessage.Missing(g.requestId(), total, others.size()), g.origin());
        }
    }

    /** Passes the entry to those of {@code nearest} not yet told of it. */
    private void passOn(Held h, List<GroupAddress> nearest) {
        for (GroupAddress a : nearest) {
            if (h.informed.add(a)) {
                send(new StoreMessage.Store(0, self, true, h.entry), a);
            }
        }
    }

    /**
     * Every second: each entry whose nearest members the change of neighbors moved (one of them
     * left, or one that came is nearer than the farthest of them) goes to the members now nearest
     * its key that were not told of it; an entry this member is no longer among the nearest for is
     * passed on and forgotten. The other entries' nearest members are those they were passed to
     * when they came or last moved, so a change of neighbors costs a comparison or two per entry,
     * not a sort of the neighbors by distance. At a republish every entry goes again.
     */
    private void tick() {
        if (closed) {
            return;
        }
        host.schedule(TICK_MICROS, e -> tick());
        boolean republish = host.now() - lastRepublish >= settings.republishMicros();
        if (republish) {
            lastRepublish = host.now();
            for (Held h : held.values()) {
                h.informed.clear();
                h.informed.add(self);
            }
        }
        Set<GroupAddress> neighbors = neighbors();
        if (!republish && neighbors.equals(lastNeighbors)) {
            return;
        }
        Set<GroupAddress> came = new HashSet<>(neighbors);
        came.removeAll(lastNeighbors);
        lastNeighbors = neighbors;
        for (Held h : List.copyOf(held.values())) {
            if (republish || moved(h, neighbors, came)) {
                h.nearest = nearest(h.address, neighbors);
                passOn(h, h.nearest);
                if (!h.nearest.contains(self)) {
                    held.remove(h.entry.key());
                    table.remove(h.entry.key());
                }
            }
        }
        heldCount = table.size();
    }

    /**
     * Whether the members nearest the entry's key may no longer be those it was last passed to:
     * one of those is no longer a neighbor, or one of the neighbors that {@code came} is nearer.
     */
    private boolean moved(Held h, Set<GroupAddress> neighbors, Set<GroupAddress> came) {
        for (GroupAddress a : h.nearest) {
            if (!a.equals(self) && !neighbors.contains(a)) {
                return true;
            }
        }
        if (came.isEmpty()) {
            return false;
        }
        if (h.nearest.size() < settings.replicas()) {
            return true;
        }
        GroupAddress farthest = h.nearest.get(h.nearest.size() - 1);
        Comparator<GroupAddress> order = Ring.byDistanceTo(h.address);
        for (GroupAddress a : came) {
            if (order.compare(a, farthest) < 0) {
                return true;
            }
        }
        return false;
    }

    /** The neighbors running this project; parsed again only when the group's neighbor list changed. */
    private Set<GroupAddress> neighbors() {
        List<NetGroup.NeighborInfo> infos = group.neighbors();
        if (!infos.equals(neighborInfos)) {
            Set<GroupAddress> s = new HashSet<>();
            for (NetGroup.NeighborInfo n : infos) {
                if (n.extensions()) {
                    s.add(GroupAddress.parse(n.groupAddress()));
                }
            }
            neighborInfos = infos;
            neighborAddresses = Set.copyOf(s);
        }
        return neighborAddresses;
    }

    private List<GroupAddress> nearest(GroupAddress key) {
        return nearest(key, neighbors());
    }

    /** The {@code replicas} members nearest {@code key} among this one and its neighbors (ties to the lower address, as routing breaks them). */
    private List<GroupAddress> nearest(GroupAddress key, Set<GroupAddress> neighbors) {
        List<GroupAddress> all = new ArrayList<>(neighbors);
        all.add(self);
        all.sort(Ring.byDistanceTo(key));
        return List.copyOf(all.subList(0, Math.min(settings.replicas(), all.size())));
    }
}
