package io.rtmfp4j.flash.group;

import io.rtmfp4j.core.session.WriteReceipt;
import io.rtmfp4j.flash.amf.AmfException;
import io.rtmfp4j.flash.group.wire.IndexRange;
import io.rtmfp4j.flash.group.wire.ReplicationMessage;
import io.rtmfp4j.flash.tc.Status;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Object replication (netgroup spec §11) over this project's replication flows (§16): each member
 * tells its neighbors which objects it has (its Have set, as index ranges: the whole set once,
 * then what it gains), and fetches the objects of its Want set from neighbors that have them, one
 * request per index at a time. The owner of a requested object gets
 * {@code NetGroup.Replication.Request} and answers with {@code writeRequestedObject} or
 * {@code denyRequestedObject}; the requester gets {@code Fetch.SendNotify} before each request,
 * then {@code Fetch.Result} (and the index leaves its Want set) or {@code Fetch.Failed}, after a
 * denial or {@link #FETCH_TIMEOUT_MICROS} without an answer, and then asks another holder.
 *
 * <p>What to fetch next: every neighbor with a free request slot is given the wanted index it has
 * that comes first by the strategy: the lowest, or the one the fewest neighbors have (ties at
 * random, so that members fetching the same objects from one source fetch different ones). Holder
 * counts are kept per index for a window of the lowest {@link #WINDOW} wanted indices and updated
 * as Have sets change, so that choosing costs no more than looking at one neighbor's indices.
 * Once every wanted index is asked of someone (the end game), an idle holder is asked for one
 * already asked elsewhere: at most two requests per index then, the first answer wins.
 *
 * <p>What to send next: a neighbor's requests wait in a queue, and the application is asked for
 * an object only while fewer than {@link #SERVING} are on their way, the least sent first.
 * Loop thread only.
 */
final class Replication {
    /** A request unanswered this long has failed (spec §16: 30 s). */
    static final long FETCH_TIMEOUT_MICROS = 30_000_000;
    /** A holder that failed for an index is asked for it again only after others, or after this. */
    static final long RETRY_MICROS = 5_000_000;
    /**
     * Our requests in flight to one neighbor, at most: enough to keep its upload busy between
     * answers (objects of 64 KB at a few Mbit/s take tens of milliseconds each) when it is the only
     * holder, few enough that one slow neighbor does not hold many indices that others could send.
     */
    static final int REQUESTS_PER_NEIGHBOR = 3;
    /**
     * A neighbor gets a second request only while fewer than this are in flight in all. With many
     * holders, one request each: a holder's upload is then shared by fewer objects at once, so each
     * arrives, and is passed on, sooner. In a simulated swarm of 20 members this took the time to
     * all from 1.7 to 1.4 times the ideal (docs/benchmarks.md).
     */
    static final int PIPELINE = 3;
    /** A neighbor's requests awaiting our answer, at most; more are denied at once. */
    static final int INCOMING_PER_NEIGHBOR = 32;
    /**
     * Objects we send at once, at most, counting those the application has yet to answer and
     * those not yet acknowledged whole: the other requests wait their turn. One holder's upload
     * shared by every requester at once delivers each object late, and a member passes on only
     * what it has whole. Fewer at once is not better either: each object goes to a neighbor whose
     * session may have been idle, and an idle session restarts from the initial congestion
     * window (rtmfp spec §5.6), so a few objects at a time leave the upload partly idle. In a
     * simulated swarm of 100 members (16 MiB, 10 Mbit/s, docs/benchmarks.md): 1.64 times the
     * ideal time with no limit, 1.58 with 8, 1.55 with 16; with 2, 20 members took 2.0 times the
     * ideal against 1.5.
     */
    static final int SERVING = 16;
    /** Have-set news gathers this long before it goes (spec §15: Flash's availability update period). */
    static final long ANNOUNCE_DELAY_MICROS = 100_000;
    /** Wanted indices whose holders are counted at once. */
    static final int WINDOW = 65_536;
    /** Indices looked at to choose one for a neighbor, at most. */
    static final int SCAN_LIMIT = 8_192;
    /** The largest object's AMF3 encoding (objects should be 16 to 64 KB, spec §11). */
    static final int MAX_OBJECT = 4 << 20;
    /** Ranges of one neighbor's Have set we keep, at most: a set more broken up than this is refused. */
    static final int MAX_NEIGHBOR_RANGES = 65_536;

    /** One wanted index of the window. */
    private static final class Slot {
        final long index;
        int holders;
        Fetch fetch;
        /** In the end game, a second request for the index, to another holder. */
        Fetch extra;
        /** Holders that denied it or kept silent, until when they are not asked again. */
        Map<Holder, Long> failed;

        Slot(long index) {
            this.index = index;
        }

        boolean failedAt(Holder h, long now) {
            Long until = failed == null ? null : failed.get(h);
            return until != null && until > now;
        }
    }

    /** A request of ours in flight. */
    private record Fetch(int requestId, long index, Holder holder, long sentAt) {
    }

    /** A neighbor's request awaiting the application's answer. */
    private record Incoming(Holder holder, int wireId, long index, long at) {
    }

    /** A neighbor that takes part in replication. */
    private static final class Holder {
        final Neighbor neighbor;
        final IndexSet has = new IndexSet();
        /** Indices we gained since we last told it. */
        final IndexSet news = new IndexSet();
        boolean needsWholeSet;
        int inFlight;
        int incoming;
        boolean avoided;
        /**
         * A request to it went unanswered for {@link #FETCH_TIMEOUT_MICROS}: it is asked nothing
         * more until it says something. A member that crashed stays a neighbor until its session
         * times out, and would otherwise cost 30 s for every index asked of it meanwhile.
         */
        boolean silent;

        Holder(Neighbor neighbor) {
            this.neighbor = neighbor;
        }
    }

    private final GroupEngine group;
    private final IndexSet have = new IndexSet();
    private final IndexSet want = new IndexSet();
    private final Map<Neighbor, Holder> holders = new LinkedHashMap<>();
    /** Peer IDs the application no longer wants objects from. */
    private final java.util.Set<String> avoided = new java.util.HashSet<>();
    /** The lowest wanted indices we do not have, up to {@link #windowLast}. */
    private final TreeMap<Long, Slot> window = new TreeMap<>();
    private long windowLast = -1;
    private final Map<Integer, Fetch> fetches = new HashMap<>();
    /** Requests passed to the application, awaiting its answer. */
    private final Map<Integer, Incoming> incoming = new HashMap<>();
    /** Requests awaiting their turn ({@link #SERVING}), in arrival order. */
    private final List<Incoming> waiting = new ArrayList<>();
    /** Objects being sent: until the far end has them whole, or the time they were given up. */
    private final Map<WriteReceipt, Long> uploads = new HashMap<>();
    /**
     * How often we sent each object: the least sent goes first, so that what we send multiplies.
     * One entry per object ever sent, which cost far more to send than to count.
     */
    private final Map<Long, Integer> served = new HashMap<>();
    private ReplicationStrategy strategy = ReplicationStrategy.LOWEST_FIRST;
    private int nextFetchId;
    private int nextRequestId;
    private boolean announceScheduled;

    Replication(GroupEngine group) {
        this.group = group;
    }

    private boolean enabled() {
        return group.spec().objectReplicationEnabled() && !group.isClosed();
    }

    // ---------------------------------------------------------------- the API

    void addHave(long first, long last) {
        if (!enabled()) {
            return;
        }
        List<IndexRange> added = have.add(first, last);
        if (added.isEmpty()) {
            return;
        }
        for (IndexRange r : added) {
            window.subMap(r.first(), true, r.last(), true).clear();
        }
        for (Holder h : holders.values()) {
            h.news.addAll(added);
        }
        announceSoon();
    }

    void removeHave(long first, long last) {
        if (!enabled() || have.remove(first, last).isEmpty()) {
            return;
        }
        for (Holder h : holders.values()) {
            h.needsWholeSet = true;
            h.news.clear();
        }
        // Wanted indices we no longer have become candidates again.
        rebuildWindow();
        announceSoon();
        fill();
    }

    void addWant(long first, long last) {
        if (enabled() && !want.add(first, last).isEmpty()) {
            rebuildWindow();
            fill();
        }
    }

    void removeWant(long first, long last) {
        if (enabled() && !want.remove(first, last).isEmpty()) {
            rebuildWindow();
            fill();
        }
    }

    void setStrategy(ReplicationStrategy s) {
        strategy = s;
    }

    /** {@code writeRequestedObject}: answers a neighbor's request with the object's AMF3 encoding. */
    void write(int requestId, byte[] object) {
        Incoming in = incoming.remove(requestId);
        if (in == null) {
            return;
        }
        in.holder.incoming--;
        byte[] bytes = new ReplicationMessage.ObjectData(in.wireId, in.index, object).encode();
        WriteReceipt sent = in.holder.neighbor.isClosed() ? null : in.holder.neighbor.writeObject(bytes);
        if (sent != null) {
            group.count(Traffic.Category.REPLICATION_SEND, bytes.length);
            served.merge(in.index, 1, Integer::sum);
            uploads.put(sent, group.now());
            sent.onSettle(w -> {
                uploads.remove(w);
                serve();
            });
        }
        serve();
    }

    /** {@code denyRequestedObject}. */
    void deny(int requestId) {
        Incoming in = incoming.remove(requestId);
        if (in != null) {
            in.holder.incoming--;
            send(in.holder, new ReplicationMessage.Deny(in.wireId, in.index));
            serve();
        }
    }

    /** No more requests to this member: it sent something wrong (the application knows what). */
    void avoid(String peerId) {
        avoided.add(peerId);
        for (Holder h : holders.values()) {
            if (h.neighbor.peerId.equals(peerId)) {
                h.avoided = true;
            }
        }
    }

    // ---------------------------------------------------------------- neighbors

    void neighborEstablished(Neighbor n) {
        if (!group.spec().objectReplicationEnabled() || holders.containsKey(n)) {
            return;
        }
        Holder h = new Holder(n);
        h.avoided = avoided.contains(n.peerId);
        holders.put(n, h);
        if (!have.isEmpty()) {
            h.needsWholeSet = true;
            announceSoon();
        }
    }

    void neighborLost(Neighbor n) {
        Holder h = holders.remove(n);
        if (h == null) {
            return;
        }
        for (IndexRange r : h.has.ranges(0, windowLast)) {
            for (Slot s : window.subMap(r.first(), true, r.last(), true).values()) {
                s.holders--;
            }
        }
        incoming.values().removeIf(in -> in.holder == h);
        waiting.removeIf(in -> in.holder == h);
        List<Fetch> lost = new ArrayList<>();
        for (Fetch f : fetches.values()) {
            if (f.holder == h) {
                lost.add(f);
            }
        }
        for (Fetch f : lost) {
            failed(f, Long.MIN_VALUE);
        }
        fill();
        serve();
    }

    // ---------------------------------------------------------------- from neighbors

    void onMessage(Neighbor from, ReplicationMessage m, int size) {
        group.count(Traffic.Category.REPLICATION_RECEIVE, size);
        Holder h = holders.get(from);
        if (h == null) {
            return;
        }
        h.silent = false;
        if (m instanceof ReplicationMessage.Have have) {
            onHave(h, have.ranges(), true);
        } else if (m instanceof ReplicationMessage.HaveMore more) {
            onHave(h, more.ranges(), false);
        } else if (m instanceof ReplicationMessage.Request r) {
            onRequest(h, r);
        } else if (m instanceof ReplicationMessage.Deny d) {
            Fetch f = fetches.get(d.requestId());
            if (f != null && f.holder == h && f.index == d.index()) {
                failed(f, group.now() + RETRY_MICROS);
                fill();
            }
        } else if (m instanceof ReplicationMessage.ObjectData o) {
            onObject(h, o);
        }
    }

    private void onHave(Holder h, List<IndexRange> ranges, boolean whole) {
        if (whole) {
            for (IndexRange r : h.has.ranges(0, windowLast)) {
                count(r, -1);
            }
            h.has.clear();
        }
        if (h.has.rangeCount() + ranges.size() > MAX_NEIGHBOR_RANGES) {
            // More broken up than any honest set needs: what it holds is not believed.
            group.drop(Traffic.Drop.MALFORMED);
            return;
        }
        for (IndexRange r : ranges) {
            for (IndexRange added : h.has.add(r.first(), r.last())) {
                if (added.first() <= windowLast) {
                    count(new IndexRange(added.first(), Math.min(added.last(), windowLast)), 1);
                }
            }
        }
        // Only this holder has more to offer: the others' choices are as they were.
        fill(List.of(h));
    }

    private void count(IndexRange r, int delta) {
        for (Slot s : window.subMap(r.first(), true, r.last(), true).values()) {
            s.holders += delta;
        }
    }

    private void onRequest(Holder h, ReplicationMessage.Request r) {
        if (!have.contains(r.index()) || h.incoming >= INCOMING_PER_NEIGHBOR) {
            send(h, new ReplicationMessage.Deny(r.requestId(), r.index()));
            return;
        }
        h.incoming++;
        waiting.add(new Incoming(h, r.requestId(), r.index(), group.now()));
        serve();
    }

    /**
     * Passes waiting requests to the application while fewer than {@link #SERVING} objects are
     * on their way: the object sent the fewest times first (as BitTorrent's super-seeding, a
     * seed sends each chunk once before any twice), then the oldest request. A request for an
     * object its requester has announced since (it got it from another holder in the end game)
     * is denied instead: nobody waits for that answer.
     */
    private void serve() {
        while (incoming.size() + uploads.size() < SERVING && !waiting.isEmpty() && !group.isClosed()) {
            int next = 0;
            int fewest = Integer.MAX_VALUE;
            for (int i = 0; i < waiting.size() && fewest > 0; i++) {
                int sent = served.getOrDefault(waiting.get(i).index, 0);
                if (sent < fewest) {
                    fewest = sent;
                    next = i;
                }
            }
            Incoming in = waiting.remove(next);
            if (in.holder.has.contains(in.index) || !have.contains(in.index)) {
                in.holder.incoming--;
                send(in.holder, new ReplicationMessage.Deny(in.wireId, in.index));
                continue;
            }
            int id = nextRequestId;
            nextRequestId = nextRequestId == Integer.MAX_VALUE ? 0 : nextRequestId + 1;
            incoming.put(id, in);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("index", (double) in.index);
            info.put("requestID", id);
            group.emit(Status.GROUP_REPLICATION_REQUEST, info);
        }
    }

    private void onObject(Holder h, ReplicationMessage.ObjectData o) {
        Fetch f = fetches.get(o.requestId());
        if (f == null || f.holder != h || f.index != o.index()) {
            // The answer to a request given up on, or to none: dropped.
            return;
        }
        Object object;
        try {
            if (o.object().length > MAX_OBJECT) {
                throw new AmfException("an object of " + o.object().length + " bytes");
            }
            object = MessageBody.decode(o.object());
        } catch (AmfException e) {
            group.drop(Traffic.Drop.MALFORMED);
            failed(f, group.now() + RETRY_MICROS);
            fill();
            return;
        }
        fetches.remove(f.requestId);
        h.inFlight--;
        Slot s = window.remove(f.index);
        if (s != null && s.extra != null) {
            // The end game's other request: its answer, if it comes, is dropped as given up on.
            Fetch other = s.fetch == f ? s.extra : s.fetch;
            fetches.remove(other.requestId);
            other.holder.inFlight--;
        }
        want.remove(f.index, f.index);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("index", (double) f.index);
        info.put("object", object);
        info.put("peerID", h.neighbor.peerId);
        group.emit(Status.GROUP_REPLICATION_FETCH_RESULT, info);
        if (window.isEmpty() && windowLast < IndexRange.MAX_INDEX) {
            rebuildWindow();
        }
        fill();
    }

    /** A request of ours that will not be answered: {@code Fetch.Failed}, and the index is free for another holder. */
    private void failed(Fetch f, long retryAt) {
        fetches.remove(f.requestId);
        f.holder.inFlight--;
        Slot s = window.get(f.index);
        if (s != null && (s.fetch == f || s.extra == f)) {
            if (s.fetch == f) {
                s.fetch = s.extra;
            }
            s.extra = null;
            if (retryAt > group.now()) {
                if (s.failed == null) {
                    s.failed = new HashMap<>(2);
                }
                s.failed.put(f.holder, retryAt);
            }
        }
        group.emit(Status.GROUP_REPLICATION_FETCH_FAILED, Map.of("index", (double) f.index));
    }

    // ---------------------------------------------------------------- choosing and asking

    /** Gives every neighbor with a free slot a request, as long as it has something we want. */
    private void fill() {
        if (window.isEmpty() || group.isClosed()) {
            return;
        }
        List<Holder> order = new ArrayList<>(holders.values());
        Collections.shuffle(order, group.random());
        fill(order);
    }

    /** Gives each of {@code order} with a free slot a request, as long as it has something we want. */
    private void fill(List<Holder> order) {
        if (window.isEmpty() || group.isClosed()) {
            return;
        }
        long now = group.now();
        boolean asked = true;
        // Round after round, one request per neighbor each, so the first neighbors do not take every index.
        while (asked) {
            asked = false;
            for (Holder h : order) {
                if (!askable(h) || h.inFlight >= REQUESTS_PER_NEIGHBOR
                        || (h.inFlight > 0 && fetches.size() >= PIPELINE)) {
                    continue;
                }
                Slot s = choose(h, now);
                if (s != null) {
                    s.fetch = request(h, s.index, now);
                    asked = true;
                }
            }
        }
        if (endGame()) {
            for (Holder h : order) {
                Slot s = h.inFlight == 0 && askable(h) ? chooseExtra(h, now) : null;
                if (s != null) {
                    s.extra = request(h, s.index, now);
                }
            }
        }
    }

    private static boolean askable(Holder h) {
        return !h.avoided && !h.silent && !h.neighbor.isClosed();
    }

    /**
     * Whether every index still wanted is asked of a holder: the end game, as BitTorrent's. The
     * last objects would otherwise come only as fast as the holders they happened to be asked of
     * (a busy one, a slow one) while other holders have nothing to do. Then an idle holder is
     * asked for an index in flight elsewhere: at most two requests per index, the first answer
     * wins, and the holder of the other drops it from its queue once it hears we have the object.
     */
    private boolean endGame() {
        if (windowLast != IndexRange.MAX_INDEX || window.size() > fetches.size()) {
            return false;
        }
        for (Slot s : window.values()) {
            if (s.fetch == null) {
                return false;
            }
        }
        return true;
    }

    /** For the end game: the index {@code h} has that another holder was asked for first and alone. */
    private Slot chooseExtra(Holder h, long now) {
        Slot best = null;
        for (IndexRange r : h.has.ranges(window.firstKey(), windowLast)) {
            for (Slot s : window.subMap(r.first(), true, r.last(), true).values()) {
                if (s.extra == null && s.fetch.holder != h && !s.failedAt(h, now)
                        && (best == null || s.fetch.sentAt < best.fetch.sentAt)) {
                    best = s;
                }
            }
        }
        return best;
    }

    /** The wanted index {@code h} has that comes first by the strategy, or null. */
    private Slot choose(Holder h, long now) {
        Slot best = null;
        int ties = 0;
        int scanned = 0;
        for (IndexRange r : h.has.ranges(window.firstKey(), windowLast)) {
            for (Slot s : window.subMap(r.first(), true, r.last(), true).values()) {
                if (++scanned > SCAN_LIMIT) {
                    return best;
                }
                if (s.fetch != null || s.failedAt(h, now)) {
                    continue;
                }
                if (strategy == ReplicationStrategy.LOWEST_FIRST) {
                    return s;
                }
                if (best == null || s.holders < best.holders) {
                    best = s;
                    ties = 1;
                } else if (s.holders == best.holders && group.random().nextInt(++ties) == 0) {
                    best = s;
                }
            }
        }
        return best;
    }

    private Fetch request(Holder h, long index, long now) {
        int id = nextFetchId;
        nextFetchId = nextFetchId == Integer.MAX_VALUE ? 0 : nextFetchId + 1;
        Fetch f = new Fetch(id, index, h, now);
        fetches.put(id, f);
        h.inFlight++;
        group.emit(Status.GROUP_REPLICATION_FETCH_SEND_NOTIFY, Map.of("index", (double) index));
        send(h, new ReplicationMessage.Request(id, index));
        return f;
    }

    /** Refills the window with the lowest wanted indices we do not have, and counts their holders. */
    private void rebuildWindow() {
        Map<Long, Slot> old = new HashMap<>(window);
        window.clear();
        windowLast = IndexRange.MAX_INDEX;
        gather:
        for (IndexRange w : want.ranges()) {
            long next = w.first();
            // The wanted indices of this range that we lack: the gaps between our Have ranges.
            List<IndexRange> had = have.ranges(w.first(), w.last());
            for (int k = 0; k <= had.size(); k++) {
                long end = k < had.size() ? had.get(k).first() - 1 : w.last();
                for (long i = next; i <= end; i++) {
                    if (window.size() == WINDOW) {
                        windowLast = i - 1;
                        break gather;
                    }
                    Slot s = new Slot(i);
                    Slot kept = old.get(i);
                    if (kept != null) {
                        s.fetch = kept.fetch;
                        s.extra = kept.extra;
                        s.failed = kept.failed;
                    }
                    window.put(i, s);
                }
                if (k < had.size()) {
                    next = had.get(k).last() + 1;
                }
            }
        }
        for (Holder h : holders.values()) {
            for (IndexRange r : h.has.ranges(0, windowLast)) {
                count(r, 1);
            }
        }
    }

    // ---------------------------------------------------------------- telling neighbors

    private void announceSoon() {
        if (!announceScheduled) {
            announceScheduled = true;
            group.host().schedule(ANNOUNCE_DELAY_MICROS, e -> announce());
        }
    }

    /** Tells each neighbor what it does not know of our Have set: all of it, or what we gained. */
    private void announce() {
        announceScheduled = false;
        if (group.isClosed()) {
            return;
        }
        for (Holder h : holders.values()) {
            if (h.needsWholeSet) {
                h.needsWholeSet = false;
                h.news.clear();
                List<IndexRange> all = have.ranges();
                int first = Math.min(all.size(), ReplicationMessage.MAX_RANGES);
                send(h, new ReplicationMessage.Have(all.subList(0, first)));
                sendMore(h, all.subList(first, all.size()));
            } else if (!h.news.isEmpty()) {
                sendMore(h, h.news.ranges());
                h.news.clear();
            }
        }
    }

    private void sendMore(Holder h, List<IndexRange> ranges) {
        for (int at = 0; at < ranges.size(); at += ReplicationMessage.MAX_RANGES) {
            send(h, new ReplicationMessage.HaveMore(
                    ranges.subList(at, Math.min(ranges.size(), at + ReplicationMessage.MAX_RANGES))));
        }
    }

    private void send(Holder h, ReplicationMessage m) {
        byte[] bytes = m.encode();
        if (h.neighbor.writeReplication(bytes)) {
            group.count(Traffic.Category.REPLICATION_SEND, bytes.length);
        }
    }

    // ---------------------------------------------------------------- time

    /** Gives up on requests unanswered for {@link #FETCH_TIMEOUT_MICROS}, ours and neighbors'. */
    void tick(long now) {
        List<Fetch> late = new ArrayList<>();
        for (Fetch f : fetches.values()) {
            if (now - f.sentAt >= FETCH_TIMEOUT_MICROS) {
                late.add(f);
            }
        }
        for (Fetch f : late) {
            f.holder.silent = true;
            failed(f, now + RETRY_MICROS);
        }
        expire(incoming.values(), now);
        expire(waiting, now);
        // An object still on its way after as long: its requester has given up on it (or crashed).
        List<WriteReceipt> stuck = new ArrayList<>();
        uploads.forEach((w, at) -> {
            if (now - at >= FETCH_TIMEOUT_MICROS) {
                stuck.add(w);
            }
        });
        stuck.forEach(WriteReceipt::abandon);
        fill();
        serve();
    }

    /** Forgets neighbors' requests older than {@link #FETCH_TIMEOUT_MICROS}: they have given up on them. */
    private static void expire(Collection<Incoming> requests, long now) {
        for (Iterator<Incoming> it = requests.iterator(); it.hasNext(); ) {
            Incoming in = it.next();
            if (now - in.at >= FETCH_TIMEOUT_MICROS) {
                in.holder.incoming--;
                it.remove();
            }
        }
    }

    /** The Have set, for the API's getters. */
    IndexSet have() {
        return have;
    }

    /** The Want set. */
    IndexSet want() {
        return want;
    }
}
