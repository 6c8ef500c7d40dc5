package io.rtmfp4j.flash.group;

import io.rtmfp4j.flash.group.wire.PullRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A player's pull requests ({@code 2b}, netgroup spec §8.5): how it finds where to start, and how
 * it fills the holes pushes leave. This project's rules, not librtmfp's (which waits a fetch
 * period before its first pull and pulls only what maps at least that old showed):
 *
 * <ul>
 *   <li>Joining: the ids from the newest known down to a floor are pulled at once from neighbors
 *       that hold them, and the floor goes down, twice as far each time, until the range holds a
 *       key frame to start at ({@link StartPoint}), or nothing older is held by anyone.
 *   <li>Playing: a missing fragment is pulled when its slice has no working parent, or one asked
 *       after the fragment became known (a parent pushes what it receives after the request, not
 *       what it held already), when its parent has pushed later fragments of the slice
 *       {@link #REORDER_MICROS} ago (this one was lost or given up on the way), a fetch period
 *       after it became known (Flash's meaning of {@code multicastFetchPeriod}), or half the
 *       playout's hold if that is sooner, once the parent has shown it is that far (it sent or
 *       mapped that id or a later one), and in any case the playout's hold less
 *       {@link #PULL_MARGIN_MICROS} after it became known, so that it can still arrive before the
 *       playout skips it. A parent not yet that far is most often still pushing it: in a group of a
 *       thousand the trees are many hops deep, a deep member hears of a fragment from neighbors
 *       near the publisher a second before the push brings it, and pulling it then made deep
 *       members pull most of the stream, loading the uplinks of the relays the trees hang from
 *       (docs/benchmarks.md, "Why a thousand viewers fall short").
 *   <li>A pull not answered within {@link #timeout} is asked of another holder, at most
 *       {@link #MAX_TRIES} times in a row (a hole still due after that is pulled anew); holders
 *       are neighbors whose map shows the fragment, or the slice's parent once it pushed beyond
 *       it (unless its map shows it missing); the least busy is asked, and one that let a pull go
 *       unanswered in the last {@link #UNANSWERED_MICROS} only when no other holder can be (a
 *       publisher declines pulls of fragments it sent its push neighbor limit of times, a relay
 *       those past its {@link PullAnswerBudget}, both without a word), the one that did so
 *       longest ago first; one whose last map covers the fragment and leaves it out comes last.
 *       A neighbor asked for what it lacks answers with its map: the pull is then asked elsewhere
 *       at once ({@link #mapped}). A pull that is the hole's last chance (a retry after its
 *       timeout could not be answered in time) is asked of the two best holders at once.
 * </ul>
 * Loop thread only.
 */
final class Puller {
    /** The first range a joining player pulls: about a third of a second of a 1 Mbit/s stream. */
    static final long SEARCH_BATCH = 64;
    /** A fragment behind later ones of its slice is given this long to arrive (a retransmission) before it is pulled. */
    static final long REORDER_MICROS = 300_000;
    /** What a pull is given to arrive before the playout would skip the hole: a few round trips. */
    static final long PULL_MARGIN_MICROS = 400_000;
    static final long MIN_TIMEOUT_MICROS = 400_000;
    /**
     * What a retry sent when a pull times out needs at least to be answered before the playout
     * skips the hole; with less left, the pull is the hole's last chance.
     */
    static final long RETRY_ANSWER_MICROS = PULL_MARGIN_MICROS / 2;
    static final int MAX_TRIES = 3;
    /** Pulls outstanding to one neighbor at most. */
    static final int MAX_PER_PEER = 64;
    /** How long a neighbor that let a pull go unanswered is asked only when no other can be. */
    static final long UNANSWERED_MICROS = 2_000_000;
    /** Pulls outstanding in all: what a hostile map (an id far ahead) can make us ask at most. */
    static final int MAX_PENDING = 1024;
    /** How far below a key frame its metadata and configurations may start: a few fragments each. */
    static final long PREAMBLE_REACH = 16;
    /** How long a key frame whose preamble is not held yet is waited on before playback starts without it. */
    static final long PREAMBLE_WAIT_MICROS = 1_000_000;
    /**
     * How long the start search waits for a fragments map from every neighbor in the stream before
     * it trusts what it knows: fragments published before our push requests reached anyone are
     * known only from maps.
     */
    static final long MAP_WAIT_MICROS = 1_000_000;

    /** A pull asked of {@code from}, and of {@code also} when it was the hole's last chance; {@code also} may be null. */
    private record Pull(PeerMedia from, PeerMedia also, long at, int tries) {
    }

    private final GroupMedia media;
    private final Map<Long, Pull> pending = new HashMap<>();
    /** Ids the start search asked for in vain: settled, whoever may hold them. */
    private final Set<Long> givenUp = new HashSet<>();
    /** The lowest id the start search pulls; -1 before it began. */
    private long floor = -1;
    /** When the start search began. */
    private long searchSince;
    /** The highest id the start search looks at: the frontier when it began, unless nothing is found below it. */
    private long top;
    /** When a key frame to start at was first seen without its preamble; -1 if not. */
    private long keyFrameSeenAt = -1;

    Puller(GroupMedia media) {
        this.media = media;
    }

    /**
     * A fragment came from {@code sender}: the neighbor our pending pull for it was last asked of,
     * or null if none was pending. It may have come from another (a pull re-asked elsewhere is
     * answered by the first one asked, or the slice's parent pushed it meanwhile).
     */
    PeerMedia arrived(long id, PeerMedia sender) {
        Pull p = pending.remove(id);
        if (p == null) {
            return null;
        }
        p.from.pulling--;
        if (p.also != null) {
            p.also.pulling--;
        }
        if (sender == p.from || sender == p.also) {
            sender.unansweredAt = -1;
            return sender;
        }
        return p.from;
    }

    /**
     * A map came from {@code p}: the pulls pending with it of fragments the map covers and shows
     * missing are asked now of a neighbor not known to lack them, if there is one and the pull
     * has tries left; otherwise they wait out their timeout as before ({@link #retryLate}), so
     * that a hole only lackers know of is not asked round them at every map. A neighbor answers a
     * pull of what it lacks (or, a publisher, of what went out its push neighbor limit of times)
     * with its map when that moved.
     */
    void mapped(PeerMedia p, long now) {
        if (p.pulling == 0) {
            return;
        }
        List<Long> declined = new ArrayList<>();
        for (Map.Entry<Long, Pull> e : pending.entrySet()) {
            Pull pull = e.getValue();
            long id = e.getKey();
            if ((pull.from == p || pull.also == p) && p.lacks(id)) {
                declined.add(id);
            }
        }
        for (long id : declined) {
            Pull pull = pending.get(id);
            if (pull.also != null) {
                p.pulling--;
                pending.put(id, new Pull(pull.from == p ? pull.also : pull.from, null, pull.at, pull.tries));
                continue;
            }
            PeerMedia next = pull.tries < MAX_TRIES ? holder(id, p, null, now) : null;
            if (next != null && !next.lacks(id)) {
                p.pulling--;
                pending.remove(id);
                ask(id, next, p, pull.tries + 1, now);
            }
        }
    }

    void lost(PeerMedia gone) {
        for (Iterator<Map.Entry<Long, Pull>> it = pending.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Long, Pull> e = it.next();
            Pull p = e.getValue();
            if (p.from == gone && p.also == null) {
                it.remove();
            } else if (p.from == gone) {
                e.setValue(new Pull(p.also, null, p.at, p.tries));
            } else if (p.also == gone) {
                e.setValue(new Pull(p.from, null, p.at, p.tries));
            }
        }
    }

    /**
     * Where playback can start now, or -1; drives the start search. The search covers what was
     * known when it began (and below): a key frame that arrives meanwhile is newer than the one
     * being completed and would only make the start wait longer.
     */
    long startPoint(long now) {
        FragmentStore store = media.store;
        if (media.frontier == 0) {
            return -1;
        }
        if (floor < 0) {
            top = media.frontier;
            floor = Math.max(1, top - SEARCH_BATCH);
            searchSince = now;
        }
        boolean withoutPreamble = keyFrameSeenAt >= 0 && now - keyFrameSeenAt > PREAMBLE_WAIT_MICROS;
        long start = StartPoint.find(store, floor, top, withoutPreamble);

        if (start == StartPoint.PREAMBLE_MISSING) {
            if (keyFrameSeenAt < 0) {
                keyFrameSeenAt = now;
                // The preamble may lie just below the range searched: pulled from now on.
                floor = Math.max(1, floor - PREAMBLE_REACH);
            }
            return -1;
        }
        if (start >= 0) {
            givenUp.clear();
            return start;
        }
        if ((mapsHeard() || now - searchSince > MAP_WAIT_MICROS) && settled(floor, top)) {
            long lowest = lowestHeldByAny();
            if (StartPoint.hasVideo(store, floor) && floor > lowest) {
                // Video, but no key frame in the range: look further back.
                floor = Math.max(lowest, floor - 2 * (top - floor));
            } else if (StartPoint.hasVideo(store, floor)) {
                // None anywhere back: the next key frame to come will do.
                top = Long.MAX_VALUE;
            } else if (!store.isEmpty()) {
                // No video: start with what there is.
                return StartPoint.earliest(store, floor);
            }
        }
        return -1;
    }

    /** Whether every id of the range known so far is held, or asked and given up, or held by no neighbor. */
    private boolean settled(long from, long to) {
        for (long id = from, last = Math.min(to, media.frontier); id <= last; id++) {
            if (!media.store.holds(id) && !givenUp.contains(id) && (pending.containsKey(id) || holder(id, null, null, media.now()) != null)) {
                return false;
            }
        }
        return true;
    }

    /** Whether every neighbor in the stream told us what it holds. */
    private boolean mapsHeard() {
        for (PeerMedia p : media.peers.values()) {
            if (p.linked() && p.oldest() == 0) {
                return false;
            }
        }
        return true;
    }

    /** The lowest id some neighbor's map shows, or the lowest we hold. */
    private long lowestHeldByAny() {
        long lowest = media.store.isEmpty() ? media.frontier : media.store.oldest();
        for (PeerMedia p : media.peers.values()) {
            long o = p.oldest();
            if (o > 0) {
                lowest = Math.min(lowest, o);
            }
        }
        return Math.max(1, lowest);
    }

    /** Sends the pulls due now. */
    void tick(long now) {
        retryLate(now);
        if (media.frontier == 0) {
            return;
        }
        Playout playout = media.playout;
        long from = playout.started() ? playout.next() : floor;
        if (from < 0) {
            return;
        }
        from = Math.max(from, media.store.forgottenBelow());
        // Whatever the fetch period, a hole is pulled well before the playout would give up on it.
        long fetch = Math.min(media.settings.fetchPeriod().toMillis() * 1000, media.multicast.playoutHoldMicros() / 2);
        for (long id = media.frontier; id >= from && pending.size() < MAX_PENDING; id--) {
            if (media.store.holds(id) || pending.containsKey(id)) {
                continue;
            }
            if (!playout.started() || due(id, now, fetch)) {
                pull(id, null, 1, now);
            }
        }
    }

    /** Whether a missing fragment of a playing stream should be pulled now (see the class comment). */
    private boolean due(long id, long now, long fetch) {
        int s = (int) (id & 7);
        PushParents parents = media.parents;
        long knownSince = media.knownSince(id);
        if (!parents.working(s, now) || knownSince < parents.askedAt(s)) {
            // No parent, or one asked after the hole was known: a parent pushes what it receives
            // after the request, never what it held already, and the rest comes sooner by pull.
            return true;
        }
        long later = laterOfSlice(id);
        if (later >= 0 && now - media.store.arrivedAt(later) > REORDER_MICROS) {
            return true;
        }
        long known = now - knownSince;
        PeerMedia parent = parents.parent(s);
        return known > fetch && parent.latest >= id || known > media.multicast.playoutHoldMicros() - PULL_MARGIN_MICROS;
    }

    /** The next fragment of the same slice as {@code id} that is held, or -1. */
    private long laterOfSlice(long id) {
        for (long k = id + PushParents.SLICES; k <= media.frontier; k += PushParents.SLICES) {
            if (media.store.holds(k)) {
                return k;
            }
        }
        return -1;
    }

    private void retryLate(long now) {
        List<Long> late = new ArrayList<>();
        for (Map.Entry<Long, Pull> e : pending.entrySet()) {
            if (now - e.getValue().at > timeout(e.getValue().from)) {
                late.add(e.getKey());
            }
        }
        for (long id : late) {
            Pull p = pending.remove(id);
            p.from.pulling--;
            p.from.unansweredAt = now;
            if (p.also != null) {
                p.also.pulling--;
                p.also.unansweredAt = now;
            }
            if (p.tries < MAX_TRIES && !media.store.holds(id)) {
                pull(id, p.from, p.tries + 1, now);
            } else if (!media.playout.started() && givenUp.size() < MAX_PENDING) {
                givenUp.add(id);
            }
        }
    }

    private void pull(long id, PeerMedia tried, int tries, long now) {
        PeerMedia from = holder(id, tried, null, now);
        if (from != null) {
            ask(id, from, tried, tries, now);
        }
    }

    /** Asks {@code from} for {@code id}, and a second holder (not {@code tried}) if it is the hole's last chance. */
    private void ask(long id, PeerMedia from, PeerMedia tried, int tries, long now) {
        byte[] request = new PullRequest(id).encode();
        if (!from.writeControl(request)) {
            return;
        }
        from.pulling++;
        PeerMedia also = null;
        if (lastChance(id, from, now)) {
            also = holder(id, tried, from, now);
            if (also != null && also.writeControl(request)) {
                also.pulling++;
            } else {
                also = null;
            }
        }
        pending.put(id, new Pull(from, also, now, tries));
    }

    /**
     * Whether a pull of {@code id} asked of {@code from} now is the last that can arrive before the
     * playout skips the hole: no other asked after it timed out could still be answered in time
     * ({@link #RETRY_ANSWER_MICROS}). A holder may decline
     * without a word or the answer be lost (1 % of packets, the simulations' link), and holes that
     * went unfilled were mostly those whose last pull went to a publisher past its copies or to a
     * neighbor that had not got the fragment yet (docs/benchmarks.md, "Holes the publisher would
     * not fill, and a hole's last pull"); that pull is also asked
     * of the next best holder, whose answer, if both come, is a duplicate the store drops.
     */
    private boolean lastChance(long id, PeerMedia from, long now) {
        return media.playout.started() && now + timeout(from) + RETRY_ANSWER_MICROS
                >= media.knownSince(id) + media.multicast.playoutHoldMicros();
    }

    /**
     * The least busy neighbor known to hold {@code id} (its map says so, or it is the slice's
     * parent, pushed beyond it and its last map does not show it missing), other than
     * {@code not} and {@code norAsked}; failing that, the least busy one known to be beyond it (it
     * sent or mapped a later fragment), which most likely holds it too: maps reach each neighbor
     * only every few hundred milliseconds. Neighbors that let a pull go unanswered in the last
     * {@link #UNANSWERED_MICROS} come after those, sure or likely; last, those whose last map
     * covers {@code id} and leaves it out (a hole of their own, perhaps filled since). Null if
     * none.
     */
    private PeerMedia holder(long id, PeerMedia not, PeerMedia norAsked, long now) {
        PeerMedia parent = media.parents.parent((int) (id & 7));
        // Best first: sure and answering, likely and answering, sure, likely, then those whose
        // last map showed the fragment missing (a hole of their own, perhaps filled since).
        PeerMedia[] best = new PeerMedia[6];
        for (PeerMedia p : media.peers.values()) {
            if (p == not || p == norAsked || !p.linked() || p.pulling >= MAX_PER_PEER) {
                continue;
            }
            int rank;
            if (p.holds(id) || p == parent && media.parents.highestPushed((int) (id & 7)) >= id && !p.lacks(id)) {
                rank = 0;
            } else if (p.latest > id && p.oldest() <= id) {
                rank = p.lacks(id) ? 4 : 1;
            } else {
                continue;
            }
            boolean unanswering = p.unansweredAt >= 0 && now - p.unansweredAt < UNANSWERED_MICROS;
            if (unanswering) {
                rank += rank == 4 ? 1 : 2;
            }
            PeerMedia b = best[rank];
            // Among those that let a pull go unanswered, the one that did so longest ago: a
            // publisher past its copies or a relay past its budget keeps declining.
            if (b == null || (!unanswering ? p.pulling < b.pulling : p.unansweredAt < b.unansweredAt)) {
                best[rank] = p;
            }
        }
        for (PeerMedia p : best) {
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** A pull is given up after four round trips, and never sooner than {@link #MIN_TIMEOUT_MICROS}. */
    private static long timeout(PeerMedia p) {
        var rtt = p.neighbor.session.rtt();
        return Math.max(MIN_TIMEOUT_MICROS, rtt.hasSample() ? 4 * rtt.srtt() : 0);
    }
}
