package io.rtmfp4j.flash.group;

import io.rtmfp4j.flash.group.wire.IndexRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of object indices (0 to 2^53) kept as disjoint, non-adjacent ranges: Have and Want sets
 * of object replication (netgroup spec §11), which may span the whole index space and so can
 * never be bitmaps. Every change says what it changed, which is what neighbors are told and what
 * availability counts follow. Not thread-safe.
 */
final class IndexSet {
    /** First index of each range → its last index. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    /** Adds {@code [first, last]}; returns the indices that were not in the set, as ranges. */
    List<IndexRange> add(long first, long last) {
        List<IndexRange> added = new ArrayList<>();
        long start = first;
        long end = last;
        long cursor = first;
        // Merge with a range that overlaps or touches on the left.
        Map.Entry<Long, Long> left = ranges.floorEntry(first);
        if (left != null && left.getValue() >= first - 1) {
            start = left.getKey();
            end = Math.max(end, left.getValue());
            cursor = Math.max(cursor, left.getValue() + 1);
            ranges.remove(left.getKey());
        }
        // Absorb every range that starts inside or right after [first, last].
        Map.Entry<Long, Long> next;
        while ((next = ranges.ceilingEntry(start)) != null && next.getKey() <= last + 1) {
            if (next.getKey() > cursor) {
                added.add(new IndexRange(cursor, Math.min(last, next.getKey() - 1)));
            }
            cursor = Math.max(cursor, next.getValue() + 1);
            end = Math.max(end, next.getValue());
            ranges.remove(next.getKey());
        }
        if (cursor <= last) {
            added.add(new IndexRange(cursor, last));
        }
        ranges.put(start, end);
        return added;
    }

    void addAll(List<IndexRange> rs) {
        for (IndexRange r : rs) {
            add(r.first(), r.last());
        }
    }

    /** Removes {@code [first, last]}; returns the indices that were in the set, as ranges. */
    List<IndexRange> remove(long first, long last) {
        List<IndexRange> removed = new ArrayList<>();
        Map.Entry<Long, Long> e = ranges.floorEntry(first);
        if (e == null || e.getValue() < first) {
            e = ranges.higherEntry(first);
        }
        while (e != null && e.getKey() <= last) {
            long s = e.getKey();
            long t = e.getValue();
            ranges.remove(s);
            removed.add(new IndexRange(Math.max(s, first), Math.min(t, last)));
            if (s < first) {
                ranges.put(s, first - 1);
            }
            if (t > last) {
                ranges.put(last + 1, t);
            }
            e = ranges.higherEntry(s);
        }
        return removed;
    }

    boolean contains(long index) {
        Map.Entry<Long, Long> e = ranges.floorEntry(index);
        return e != null && e.getValue() >= index;
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    int rangeCount() {
        return ranges.size();
    }

    /** How many indices the set holds. */
    long count() {
        long n = 0;
        for (Map.Entry<Long, Long> e : ranges.entrySet()) {
            n += e.getValue() - e.getKey() + 1;
        }
        return n;
    }

    /** The ranges, ascending. */
    List<IndexRange> ranges() {
        List<IndexRange> out = new ArrayList<>(ranges.size());
        for (Map.Entry<Long, Long> e : ranges.entrySet()) {
            out.add(new IndexRange(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** The ranges cut to {@code [first, last]}, ascending. */
    List<IndexRange> ranges(long first, long last) {
        List<IndexRange> out = new ArrayList<>();
        if (first > last) {
            return out;
        }
        Map.Entry<Long, Long> left = ranges.floorEntry(first);
        long from = left != null && left.getValue() >= first ? left.getKey() : first;
        // One walk of the tree's entries in order, not a search per range: replication looks at
        // neighbors' broken-up Have sets this way at every choice.
        for (Map.Entry<Long, Long> e : ranges.subMap(from, true, last, true).entrySet()) {
            out.add(new IndexRange(Math.max(e.getKey(), first), Math.min(e.getValue(), last)));
        }
        return out;
    }

    void clear() {
        ranges.clear();
    }

    @Override
    public String toString() {
        return ranges().toString();
    }
}
