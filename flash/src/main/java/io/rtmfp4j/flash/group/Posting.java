package io.rtmfp4j.flash.group;

import io.rtmfp4j.flash.amf.AmfException;
import io.rtmfp4j.flash.group.wire.PostingMessage;
import io.rtmfp4j.flash.tc.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Posting ({@code NetGroup.post}, netgroup spec §9) over this project's posting flow (§16): every
 * member gets every posting once, in the manner of gossip with lazy repair. A member that has a new
 * posting sends it at once to {@link #EAGER_FANOUT} neighbors chosen at random, and announces its
 * ID to the others a moment later ({@code HAVE}); a neighbor that lacks it asks ({@code WANT}) and
 * gets it. The eager pushes spread a posting in a few hops; the announcements catch whoever the
 * random choice missed, and neighbors that fail on the way, at the cost of 32 bytes per neighbor.
 *
 * <p>Postings are remembered for {@link #REMEMBER_MICROS} (spec §16: 5 minutes), at most
 * {@link #MAX_REMEMBERED} of them and {@link #MAX_REMEMBERED_BYTES} of bodies, oldest dropped
 * first: within that, a posting seen again is recognised and dropped. Loop thread only.
 */
final class Posting {
    static final int EAGER_FANOUT = 6;
    /** How long announcements gather before they go: a burst of postings shares one message. */
    static final long HAVE_DELAY_MICROS = 100_000;
    /** A requested posting that has not come by then is asked of another neighbor that has it. */
    static final long WANT_TIMEOUT_MICROS = 3_000_000;
    static final long REMEMBER_MICROS = 300_000_000L;
    static final int MAX_REMEMBERED = 8192;
    static final long MAX_REMEMBERED_BYTES = 16L << 20;
    /**
     * Postings asked for and not yet come, at most: announcements are claims, and a neighbor that
     * announces IDs without end must not grow this without end.
     */
    static final int MAX_WANTED = 4096;
    /** The largest posting: an AMF value of this many bytes, as posts are small notes, not files. */
    static final int MAX_BODY = 64 * 1024;

    /** A posting seen, and who is known to have it. */
    private static final class Seen {
        final byte[] body;
        final byte[] proof;
        final int hops;
        final long at;
        final Set<Neighbor> holders = new HashSet<>(4);

        Seen(byte[] body, byte[] proof, int hops, long at) {
            this.body = body;
            this.proof = proof;
            this.hops = hops;
            this.at = at;
        }
    }

    /** A posting announced to us and asked for. */
    private static final class Wanted {
        final List<Neighbor> holders = new ArrayList<>(2);
        Neighbor askedOf;
        long askedAt;
    }

    private final GroupEngine group;
    private final PasswordAuthority authority;
    private final LinkedHashMap<MessageId, Seen> seen = new LinkedHashMap<>();
    private final Map<MessageId, Wanted> wanted = new HashMap<>();
    private long rememberedBytes;
    private boolean flushScheduled;

    Posting(GroupEngine group) {
        this.group = group;
        this.authority = PasswordAuthority.posting(group.spec());
    }

    /** Whether this member may post: posting is enabled, and it holds the posting password if there is one. */
    boolean mayPost() {
        return group.spec().postingEnabled() && authority.permits();
    }

    /** Posts a body whose ID the caller computed (so that {@code post} could return it at once). */
    void post(MessageId id, byte[] body) {
        if (group.isClosed() || seen.containsKey(id)) {
            return;
        }
        Seen s = remember(id, body, authority.proof(id.bytes()), 0);
        spread(id, s, null);
    }

    void onMessage(Neighbor from, PostingMessage m, int size) {
        if (m instanceof PostingMessage.Post p) {
            group.count(Traffic.Category.POSTING_RECEIVE_DATA, size);
            onPost(from, p);
        } else if (m instanceof PostingMessage.Have h) {
            group.count(Traffic.Category.POSTING_RECEIVE_CONTROL, size);
            onHave(from, h.ids());
        } else if (m instanceof PostingMessage.Want w) {
            group.count(Traffic.Category.POSTING_RECEIVE_CONTROL, size);
            onWant(from, w.ids());
        }
    }

    private void onPost(Neighbor from, PostingMessage.Post p) {
        MessageId id = MessageId.of(p.id());
        Seen known = seen.get(id);
        if (known != null) {
            known.holders.add(from);
            return;
        }
        if (p.body().length > MAX_BODY || !id.equals(MessageId.ofBody(p.body())) || !authority.accepts(id.bytes(), p.proof())
                || !group.spec().postingEnabled()) {
            // Not the body its ID names, too big, or a proof that does not check out: dropped, not passed on.
            group.drop(Traffic.Drop.BAD_POSTING);
            return;
        }
        Object message;
        try {
            message = MessageBody.decode(p.body());
        } catch (AmfException e) {
            group.drop(Traffic.Drop.BAD_POSTING);
            return;
        }
        wanted.remove(id);
        Seen s = remember(id, p.body(), p.proof(), p.hops());
        s.holders.add(from);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("message", message);
        info.put("messageID", id.hex());
        group.emit(Status.GROUP_POSTING_NOTIFY, info);
        spread(id, s, from);
    }

    private void onHave(Neighbor from, List<byte[]> ids) {
        List<byte[]> ask = new ArrayList<>();
        long now = group.now();
        for (byte[] raw : ids) {
            MessageId id = MessageId.of(raw);
            Seen s = seen.get(id);
            if (s != null) {
                s.holders.add(from);
                continue;
            }
            Wanted w = wanted.get(id);
            if (w == null) {
                if (wanted.size() >= MAX_WANTED) {
                    continue;
                }
                w = new Wanted();
                w.askedOf = from;
                w.askedAt = now;
                wanted.put(id, w);
                ask.add(raw);
            }
            if (!w.holders.contains(from)) {
                w.holders.add(from);
            }
        }
        if (!ask.isEmpty()) {
            send(from, new PostingMessage.Want(ask), Traffic.Category.POSTING_SEND_CONTROL);
        }
    }

    private void onWant(Neighbor from, List<byte[]> ids) {
        for (byte[] raw : ids) {
            Seen s = seen.get(MessageId.of(raw));
            if (s != null) {
                send(from, new PostingMessage.Post(raw, s.hops + 1, s.proof, s.body), Traffic.Category.POSTING_SEND_DATA);
                s.holders.add(from);
            }
        }
    }

    /** Eager push to a few neighbors that may lack it, a later announcement to the rest. */
    private void spread(MessageId id, Seen s, Neighbor from) {
        List<Neighbor> targets = new ArrayList<>();
        for (Neighbor n : group.serviceNeighbors()) {
            if (n != from && !s.holders.contains(n)) {
                targets.add(n);
            }
        }
        Collections.shuffle(targets, group.random());
        byte[] raw = id.bytes();
        PostingMessage.Post post = new PostingMessage.Post(raw, s.hops + 1, s.proof, s.body);
        for (int i = 0; i < targets.size(); i++) {
            Neighbor n = targets.get(i);
            if (i < EAGER_FANOUT) {
                send(n, post, Traffic.Category.POSTING_SEND_DATA);
                s.holders.add(n);
            } else {
                n.pendingHave.add(id);
            }
        }
        if (targets.size() > EAGER_FANOUT && !flushScheduled) {
            flushScheduled = true;
            group.host().schedule(HAVE_DELAY_MICROS, e -> flushHaves());
        }
    }

    /** Announces what each neighbor may lack: IDs it has not been seen to have since. */
    private void flushHaves() {
        flushScheduled = false;
        if (group.isClosed()) {
            return;
        }
        for (Neighbor n : group.serviceNeighbors()) {
            List<byte[]> ids = new ArrayList<>();
            for (MessageId id : n.pendingHave) {
                Seen s = seen.get(id);
                if (s != null && !s.holders.contains(n)) {
                    ids.add(id.bytes());
                    if (ids.size() == PostingMessage.MAX_IDS) {
                        send(n, new PostingMessage.Have(ids), Traffic.Category.POSTING_SEND_CONTROL);
                        ids = new ArrayList<>();
                    }
                }
            }
            if (!ids.isEmpty()) {
                send(n, new PostingMessage.Have(ids), Traffic.Category.POSTING_SEND_CONTROL);
            }
            n.pendingHave.clear();
        }
    }

    private void send(Neighbor n, PostingMessage m, Traffic.Category category) {
        byte[] bytes = m.encode();
        if (n.writePosting(bytes)) {
            group.count(category, bytes.length);
        }
    }

    private Seen remember(MessageId id, byte[] body, byte[] proof, int hops) {
        Seen s = new Seen(body, proof, hops, group.now());
        seen.put(id, s);
        rememberedBytes += body.length;
        forget(group.now());
        return s;
    }

    /** Drops the oldest postings beyond the memory's bounds of age, count and bytes. */
    private void forget(long now) {
        for (Iterator<Map.Entry<MessageId, Seen>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            Seen oldest = it.next().getValue();
            if (now - oldest.at <= REMEMBER_MICROS && seen.size() <= MAX_REMEMBERED
                    && rememberedBytes <= MAX_REMEMBERED_BYTES) {
                break;
            }
            rememberedBytes -= oldest.body.length;
            it.remove();
        }
    }

    /** Asks again for postings announced but not delivered; forgets old ones. */
    void tick(long now) {
        forget(now);
        List<Neighbor> live = group.serviceNeighbors();
        for (Iterator<Map.Entry<MessageId, Wanted>> it = wanted.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<MessageId, Wanted> e = it.next();
            Wanted w = e.getValue();
            if (now - w.askedAt < WANT_TIMEOUT_MICROS && live.contains(w.askedOf)) {
                continue;
            }
            w.holders.remove(w.askedOf);
            w.holders.retainAll(live);
            if (w.holders.isEmpty()) {
                it.remove();
                continue;
            }
            w.askedOf = w.holders.get(0);
            w.askedAt = now;
            send(w.askedOf, new PostingMessage.Want(List.of(e.getKey().bytes())), Traffic.Category.POSTING_SEND_CONTROL);
        }
    }

    void neighborLost(Neighbor n) {
        for (Wanted w : wanted.values()) {
            if (w.askedOf == n) {
                w.askedAt = Long.MIN_VALUE / 2;
            }
        }
    }

    /** Postings remembered now, for tests of the memory's bounds. */
    int remembered() {
        return seen.size();
    }
}
