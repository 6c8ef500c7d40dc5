package io.rtmfp4j.core.flow;

import java.util.Arrays;

/**
 * A set of sequence numbers held as disjoint, non-adjacent ranges in ascending order: what a
 * flow receiver has received (RFC 7016 §3.6.3.1). Ranges live in two primitive arrays, so
 * adding a number allocates nothing unless a new gap opens beyond the current capacity.
 *
 * <p>The receiver's cumulative acknowledgement is the upper end of the range that starts at 0
 * (sequence number 0 counts as received, spec P18); the other ranges become the Ack Ranges.
 */
public final class SequenceSet {
    // Room for one range to start with: most flows stay one range from 0, and a server holds many idle ones.
    private long[] from = new long[1];
    private long[] to = new long[1];
    private int count;

    /** The set holding only 0: a fresh receiving flow. */
    public static SequenceSet startingAtZero() {
        SequenceSet s = new SequenceSet();
        s.add(0);
        return s;
    }

    public int rangeCount() {
        return count;
    }

    public long rangeFrom(int i) {
        checkIndex(i);
        return from[i];
    }

    public long rangeTo(int i) {
        checkIndex(i);
        return to[i];
    }

    /** Upper end of the range starting at 0, or -1 when 0 is missing. */
    public long cumulative() {
        return count > 0 && from[0] == 0 ? to[0] : -1;
    }

    public boolean contains(long n) {
        int i = indexOfRangeAtOrBelow(n);
        return i >= 0 && to[i] >= n;
    }

    /** The smallest number at or above {@code n} that is not in the set ({@link Long#MAX_VALUE} at the top). */
    public long nextMissing(long n) {
        int i = indexOfRangeAtOrBelow(n);
        if (i < 0 || to[i] < n) {
            return n;
        }
        return to[i] == Long.MAX_VALUE ? Long.MAX_VALUE : to[i] + 1;
    }

    /** The smallest number above {@code n} that is in the set, or {@link Long#MAX_VALUE} if there is none. */
    public long nextPresentAfter(long n) {
        int i = indexOfRangeAtOrBelow(n);
        if (i >= 0 && to[i] > n) {
            return n + 1;
        }
        return i + 1 < count ? from[i + 1] : Long.MAX_VALUE;
    }

    /** Adds one number; true if it was not already in the set. */
    public boolean add(long n) {
        return add(n, n);
    }

    /**
     * Adds {@code [lo, hi]}; true if any number in it was new. Merges with every range it
     * touches or overlaps, so the ranges stay separated by at least one missing number.
     */
    public boolean add(long lo, long hi) {
        if (lo < 0 || hi < lo) {
            throw new IllegalArgumentException("bad range " + lo + ".." + hi);
        }
        // First range that could merge: the last one starting at or below lo, if it reaches lo - 1.
        int first = indexOfRangeAtOrBelow(lo);
        if (first < 0 || to[first] < lo - 1) {
            first++;
        }
        // Last range that could merge: the last one starting at or below hi + 1.
        int last = hi == Long.MAX_VALUE ? count - 1 : indexOfRangeAtOrBelow(hi + 1);
        if (last < first) {
            insertAt(first, lo, hi);
            return true;
        }
        boolean fresh = lo < from[first] || hi > to[last] || last > first;
        long newFrom = Math.min(lo, from[first]);
        long newTo = Math.max(hi, to[last]);
        from[first] = newFrom;
        to[first] = newTo;
        int removed = last - first;
        if (removed > 0) {
            System.arraycopy(from, last + 1, from, first + 1, count - last - 1);
            System.arraycopy(to, last + 1, to, first + 1, count - last - 1);
            count -= removed;
        }
        return fresh;
    }

    /** True when the set is exactly {@code [0, n]}. */
    public boolean isPrefixThrough(long n) {
        return count == 1 && from[0] == 0 && to[0] == n;
    }

    private void insertAt(int i, long lo, long hi) {
        if (count == from.length) {
            from = Arrays.copyOf(from, count * 2);
            to = Arrays.copyOf(to, count * 2);
        }
        System.arraycopy(from, i, from, i + 1, count - i);
        System.arraycopy(to, i, to, i + 1, count - i);
        from[i] = lo;
        to[i] = hi;
        count++;
    }

    /** Index of the last range whose start is ≤ n, or -1. Most additions land in the last range. */
    private int indexOfRangeAtOrBelow(long n) {
        if (count == 0 || from[0] > n) {
            return -1;
        }
        if (from[count - 1] <= n) {
            return count - 1;
        }
        int lo = 0;
        int hi = count - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (from[mid] <= n) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException(i);
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "" : ", ").append(from[i]).append("..").append(to[i]);
        }
        return b.append('}').toString();
    }
}
