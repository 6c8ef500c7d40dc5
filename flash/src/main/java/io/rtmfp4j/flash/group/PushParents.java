package io.rtmfp4j.flash.group;

import io.rtmfp4j.flash.group.wire.PushRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Which neighbor pushes each slice of a multicast stream to this player (netgroup spec §8.4): the
 * fragments whose {@code id mod 8} is i form slice i, and each slice has one parent, asked with a
 * push request ({@code 23}). The eight slices are eight trees from the publisher, as in
 * SplitStream, so that a member's upload is spread over its children's slices.
 *
 * <p>This project's choice of parents (librtmfp's asks one slice every 2 s, spec §8.4, which is
 * why its viewers need seconds to receive the whole stream): every slice is asked at once; a
 * parent is a neighbor in the stream that is not our child for that slice (which would make a
 * loop of two), preferring the freshest (highest id known held), then the one we ask least, so
 * that the slices spread over neighbors. A parent that has pushed nothing of its slice for
 * {@link #STALE_MICROS} while the stream moved on by more than {@link #STALE_IDS} ids is replaced
 * and not asked that slice again for {@link #PENALTY_MICROS}: it left, its uplink cannot keep up
 * (it stops pushing to a neighbor that lags, see {@link GroupMedia}), it pushes to others first,
 * its push budget went to others (a relay serves two copies of the stream at most), or it belongs
 * to a loop that nothing reaches. So is a parent that pushes only part of its slice
 * ({@link #partial}): one past its push neighbor limit, which pushes to us only while one of the
 * neighbors it serves first lags, is never silent long enough to be stale. Loop thread only.
 */
final class PushParents {
    static final int SLICES = 8;
    /**
     * Silence after which a parent is replaced, or a new one that has not pushed since it was
     * asked. A parent that serves its slice pushes every 60 ms or so at 1 Mbit/s, and one that does
     * not (it left without a word, or its relay budget is spent) is silent for good; at 500 ms, a
     * fifth of a thousand viewers leaving at once cost some of those who stayed a frame or two,
     * the fragments the lost parents had not pushed yet being skipped before their pulls came back
     * (docs/benchmarks.md, "A fifth leaving at once").
     */
    static final long STALE_MICROS = 350_000;
    /** How far the stream must have gone past a parent's last push: two rounds of the eight slices. */
    static final long STALE_IDS = 2 * SLICES;
    /** How long a replaced parent is not asked for that slice again. */
    static final long PENALTY_MICROS = 5_000_000;
    /** The latest ids of its slice a parent pushed that may still be on the way (retransmitted) when it is judged. */
    static final int COVERAGE_SETTLE = 4;
    /** The ids of its slice, below those, a parent's pushes are judged on: about a second of a 1 Mbit/s stream. */
    static final int COVERAGE_WINDOW = 16;
    /** How many of them a parent must have pushed: a parent missing more is replaced. */
    static final int MIN_COVERED = 12;
    /** Parents whose known id is this close to the freshest count as fresh. */
    static final long FRESH_IDS = 4 * SLICES;

    private final GroupMedia media;
    private final PeerMedia[] parent = new PeerMedia[SLICES];
    /** When the current parent of each slice was asked, or last pushed it. */
    private final long[] heardAt = new long[SLICES];
    /** The last id of each slice its parent pushed. */
    private final long[] lastId = new long[SLICES];
    /**
     * The highest id of each slice its current parent pushed (0 before its first), and which of the
     * ids of the slice below it that parent pushed: bit k for {@code top - 8k}.
     */
    private final long[] top = new long[SLICES];
    private final long[] pushedBits = new long[SLICES];
    /** The first id of each slice its current parent pushed. */
    private final long[] first = new long[SLICES];
    /** When the current parent of each slice was asked. */
    private final long[] askedAt = new long[SLICES];
    private final java.util.Map<PeerMedia, long[]> penalties = new java.util.HashMap<>();

    PushParents(GroupMedia media) {
        this.media = media;
    }

    /** The parent of slice {@code s}, or null. */
    PeerMedia parent(int s) {
        return parent[s];
    }

    /** The highest id of slice {@code s} its current parent pushed; 0 before its first push. */
    long highestPushed(int s) {
        return top[s];
    }

    /**
     * When the current parent of slice {@code s} was asked. A parent pushes the fragments it
     * receives after our request (spec §8.4), not those it held already: of what was known
     * missing before then, it pushes only what it had not received itself.
     */
    long askedAt(int s) {
        return askedAt[s];
    }

    /** Whether slice {@code s} has a parent that is pushing it. */
    boolean working(int s, long now) {
        return parent[s] != null && !stale(s, now);
    }

    /** A fragment was pushed to us by {@code from}. */
    void pushed(PeerMedia from, long id, long now) {
        int s = (int) (id & 7);
        if (parent[s] == from) {
            heardAt[s] = now;
            lastId[s] = Math.max(lastId[s], id);
            if (top[s] == 0) {
                first[s] = id;
                top[s] = id;
                pushedBits[s] = 1;
            } else if (id > top[s]) {
                long shift = (id - top[s]) / SLICES;
                pushedBits[s] = shift >= Long.SIZE ? 1 : pushedBits[s] << shift | 1;
                top[s] = id;
            } else if ((top[s] - id) / SLICES < Long.SIZE) {
                pushedBits[s] |= 1L << (top[s] - id) / SLICES;
            }
        }
    }

    /** A neighbor left the stream: its slices need new parents. */
    void lost(PeerMedia p) {
        penalties.remove(p);
        for (int s = 0; s < SLICES; s++) {
            if (parent[s] == p) {
                parent[s] = null;
            }
        }
        tick(media.now());
    }

    /** Gives every slice without a working parent a new one. */
    void tick(long now) {
        List<Integer> orphans = new ArrayList<>();
        for (int s = 0; s < SLICES; s++) {
            if (parent[s] == null || stale(s, now)) {
                orphans.add(s);
            }
        }
        if (orphans.isEmpty()) {
            return;
        }
        for (int s : orphans) {
            PeerMedia old = parent[s];
            PeerMedia next = choose(s, now);
            if (next == old) {
                continue;
            }
            if (old != null) {
                penalties.computeIfAbsent(old, k -> new long[SLICES])[s] = now + PENALTY_MICROS;
                ask(old, old.pushIn & ~(1 << s));
            }
            parent[s] = next;
            heardAt[s] = now;
            askedAt[s] = now;
            top[s] = 0;
            if (next != null) {
                ask(next, next.pushIn | 1 << s);
            }
        }
    }

    private boolean stale(int s, long now) {
        PeerMedia p = parent[s];
        if (p == null || p.isClosed() || !p.linked()) {
            return true;
        }
        return now - heardAt[s] > STALE_MICROS && media.frontier - lastId[s] > STALE_IDS || partial(s);
    }

    /**
     * Whether the parent of slice {@code s} pushes only part of it: of the {@link #COVERAGE_WINDOW}
     * ids of the slice below its last {@link #COVERAGE_SETTLE} (which may still be on the way, a
     * retransmission), fewer than {@link #MIN_COVERED} came from it. A parent that is always busy
     * with others first (past its push neighbor limit, it pushes to us only when one of them lags)
     * is never silent for long, yet leaves a hole every few fragments for pulls to fill, late.
     */
    private boolean partial(int s) {
        if (top[s] == 0 || top[s] - first[s] < (long) SLICES * (COVERAGE_SETTLE + COVERAGE_WINDOW - 1)) {
            return false;
        }
        long window = pushedBits[s] >>> COVERAGE_SETTLE & (1L << COVERAGE_WINDOW) - 1;
        return Long.bitCount(window) < MIN_COVERED;
    }

    /** The best neighbor for slice {@code s}, or the current parent if none is better, or null. */
    private PeerMedia choose(int s, long now) {
        int bit = 1 << s;
        long freshest = 0;
        List<PeerMedia> candidates = new ArrayList<>();
        for (PeerMedia p : media.peers.values()) {
            long[] penalty = penalties.get(p);
            if (p.linked() && (p.pushOut & bit) == 0 && (penalty == null || penalty[s] <= now)) {
                candidates.add(p);
                freshest = Math.max(freshest, p.latest);
            }
        }
        PeerMedia best = null;
        int bestLoad = Integer.MAX_VALUE;
        int ties = 0;
        for (PeerMedia p : candidates) {
            if (p.latest + FRESH_IDS < freshest) {
                continue;
            }
            int load = Integer.bitCount(p.pushIn);
            if (load < bestLoad) {
                best = p;
                bestLoad = load;
                ties = 1;
            } else if (load == bestLoad && media.group.random().nextInt(++ties) == 0) {
                // Reservoir choice among equals: each has the same chance.
                best = p;
            }
        }
        return best;
    }

    /** Sends a neighbor the push mask we want from it now (spec §8.4: a mask replaces the last). */
    private void ask(PeerMedia p, int mask) {
        if (p.pushIn == mask || p.isClosed()) {
            return;
        }
        if (p.writeControl(new PushRequest(mask).encode())) {
            p.pushIn = mask;
        }
    }
}
