package io.rtmfp4j.flash.group;

/**
 * When each fragment id of a stream first became known to exist (netgroup spec §8.5: the fetch
 * period counts from when a member learns that a fragment is there): the moments the frontier,
 * the highest known id, moved, kept for the last {@link #SIZE} moves. Loop thread only.
 */
final class FrontierHistory {
    /** Moves remembered: at a thousand fragments a second, four seconds of them. */
    static final int SIZE = 4096;

    private final long[] ids = new long[SIZE];
    private final long[] times = new long[SIZE];
    private int start;
    private int count;

    /** The frontier moved to {@code id} at {@code now}; ids only grow. */
    void add(long id, long now) {
        int at = (start + count) % SIZE;
        if (count == SIZE) {
            start = (start + 1) % SIZE;
        } else {
            count++;
        }
        ids[at] = id;
        times[at] = now;
    }

    /**
     * When {@code id} first became known: the time of the first move to it or beyond; the oldest
     * time remembered for an id older than that; {@code now} for an id not yet known.
     */
    long knownSince(long id, long now) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ids[(start + mid) % SIZE] < id) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == count ? now : times[(start + lo) % SIZE];
    }
}
