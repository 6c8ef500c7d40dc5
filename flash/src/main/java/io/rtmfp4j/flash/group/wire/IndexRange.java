package io.rtmfp4j.flash.group.wire;

/**
 * A run of object indices, both ends included, as object replication names them (netgroup spec
 * §11): indices go from 0 to 2^53, the largest integer an ActionScript Number holds exactly.
 */
public record IndexRange(long first, long last) {
    /** The largest object index (spec §11: 9007199254740992). */
    public static final long MAX_INDEX = 1L << 53;

    public IndexRange {
        if (first < 0 || last > MAX_INDEX || first > last) {
            throw new IllegalArgumentException("an index range is 0 <= first <= last <= 2^53, not " + first + ".." + last);
        }
    }

    /** One index. */
    public static IndexRange of(long index) {
        return new IndexRange(index, index);
    }

    /** How many indices it holds. */
    public long count() {
        return last - first + 1;
    }

    public boolean contains(long index) {
        return index >= first && index <= last;
    }

    @Override
    public String toString() {
        return first == last ? Long.toString(first) : first + ".." + last;
    }
}
