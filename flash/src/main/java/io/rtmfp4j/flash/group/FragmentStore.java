package io.rtmfp4j.flash.group;

import io.rtmfp4j.flash.group.wire.FragmentsMap;
import io.rtmfp4j.flash.group.wire.MediaFragment;
import java.util.function.LongPredicate;

/**
 * The fragments of one multicast stream a member holds, by id (netgroup spec §8.3, §8.6): what it
 * plays from, relays and offers in its fragments map. A fragment is kept for the window and the
 * relay margin after it arrived, as librtmfp keeps them; older ones, and the holes among them,
 * are forgotten.
 *
 * <p>A ring indexed by id, so that holding, adding and building a map cost no search. It spans at
 * most {@link #MAX_SPAN} ids: a fragment further ahead (a neighbor's id far beyond ours, honest or
 * not) pushes the oldest out, so whatever neighbors send, the store is bounded. Loop thread only.
 */
final class FragmentStore {
    /** The most ids held at once: 8192 behind the newest is all a map can say (spec §8.3), and a little more. */
    static final int MAX_SPAN = 16_384;
    private static final int INITIAL = 256;

    private MediaFragment[] ring = new MediaFragment[INITIAL];
    private long[] arrived = new long[INITIAL];
    /** How many times each held fragment was sent to neighbors. */
    private int[] copies = new int[INITIAL];
    /** Ids below this are forgotten: they expired, or fell out of the span. */
    private long floor;
    /** Lowest id the ring covers (held or a hole); at least {@link #floor}. */
    private long base;
    /** One past the highest id held. */
    private long top;
    private int count;
    private long bytes;

    /** Whether any fragment was ever held (the ids start somewhere). */
    boolean isEmpty() {
        return count == 0;
    }

    /** The highest id held; 0 when empty. */
    long latest() {
        return count == 0 ? 0 : top - 1;
    }

    /** The lowest id covered (held or a hole); 0 when nothing is held. */
    long oldest() {
        return count == 0 ? 0 : base;
    }

    /** Ids below this are forgotten for good (expired, or out of the span): never asked for again. */
    long forgottenBelow() {
        return floor;
    }

    int size() {
        return count;
    }

    /** Payload bytes held. */
    long bytes() {
        return bytes;
    }

    boolean holds(long id) {
        return get(id) != null;
    }

    /** The fragment with this id, or null. */
    MediaFragment get(long id) {
        if (count == 0 || id < base || id >= top) {
            return null;
        }
        return ring[slot(id)];
    }

    /** When the fragment with this id arrived; only meaningful if it is held. */
    long arrivedAt(long id) {
        return arrived[slot(id)];
    }

    /** How many times the held fragment {@code id} was sent to neighbors. */
    int copies(long id) {
        return holds(id) ? copies[slot(id)] : 0;
    }

    /** The held fragment {@code id} was sent once more. */
    void copied(long id) {
        if (holds(id)) {
            copies[slot(id)]++;
        }
    }

    /** A copy of the held fragment {@code id} counted by {@link #copied} never reached its neighbor. */
    void uncopied(long id) {
        if (holds(id) && copies[slot(id)] > 0) {
            copies[slot(id)]--;
        }
    }

    /**
     * Adds a fragment unless it is held already or older than what is kept.
     *
     * @return whether it was new
     */
    boolean add(MediaFragment f, long now) {
        long id = f.id();
        if (id < floor || holds(id)) {
            return false;
        }
        if (count == 0) {
            base = id;
            top = id;
        } else if (id < base) {
            // Older than anything held (a pull answered after pushes of newer ones): the ring reaches down.
            if (top - id > MAX_SPAN) {
                return false;
            }
            grow(top - id);
            base = id;
        } else if (id >= base + MAX_SPAN) {
            dropBelow(id - MAX_SPAN + 1);
        }
        grow(Math.max(top, id + 1) - base);
        int s = slot(id);
        ring[s] = f;
        arrived[s] = now;
        copies[s] = 0;
        count++;
        bytes += f.payloadLength();
        top = Math.max(top, id + 1);
        return true;
    }

    /** Forgets fragments that arrived before {@code cutoff}, and the holes among and below them. */
    void expire(long cutoff) {
        while (count > 0) {
            MediaFragment f = ring[slot(base)];
            if (f != null && arrived[slot(base)] >= cutoff) {
                return;
            }
            // A hole at the bottom with only old fragments above it is as old as they are.
            if (f == null && !olderAbove(cutoff)) {
                return;
            }
            dropBelow(base + 1);
        }
    }

    /** Whether the first fragment held above the base arrived before {@code cutoff} (or none is held). */
    private boolean olderAbove(long cutoff) {
        for (long id = base + 1; id < top; id++) {
            MediaFragment f = ring[slot(id)];
            if (f != null) {
                return arrived[slot(id)] < cutoff;
            }
        }
        return true;
    }

    /** Forgets every id below {@code id}, for good. */
    void dropBelow(long id) {
        if (id <= floor) {
            return;
        }
        floor = id;
        if (count > 0) {
            for (long i = base, end = Math.min(id, top); i < end; i++) {
                int s = slot(i);
                if (ring[s] != null) {
                    bytes -= ring[s].payloadLength();
                    ring[s] = null;
                    count--;
                }
            }
        }
        base = Math.max(base, id);
        top = Math.max(top, base);
    }

    /**
     * The map of what is held and {@code offered} (spec §8.3): the latest id, and a bit for each
     * id below it still covered, at most {@link FragmentsMap#MAX_BITMAP_BYTES} bytes of them; or,
     * once the stream ended, {@code endId} as the latest (spec §8.2), the bits then counting down
     * from {@code endId - 1}, the last fragment. Null when nothing is held.
     */
    FragmentsMap map(long endId, LongPredicate offered) {
        if (count == 0) {
            return null;
        }
        return FragmentsMap.of(mapLatest(endId), oldest(), id -> holds(id) && offered.test(id));
    }

    /** The latest id {@link #map} carries, without building the map. */
    long mapLatest(long endId) {
        return Math.max(latest(), endId);
    }

    private int slot(long id) {
        return (int) (id & (ring.length - 1));
    }

    /** Makes the ring cover {@code span} ids from the base. */
    private void grow(long span) {
        if (span <= ring.length) {
            return;
        }
        int size = ring.length;
        while (size < span) {
            size *= 2;
        }
        MediaFragment[] r = new MediaFragment[size];
        long[] a = new long[size];
        int[] c = new int[size];
        for (long id = base; id < top; id++) {
            int from = (int) (id & (ring.length - 1));
            int to = (int) (id & (size - 1));
            r[to] = ring[from];
            a[to] = arrived[from];
            c[to] = copies[from];
        }
        ring = r;
        arrived = a;
        copies = c;
    }
}
