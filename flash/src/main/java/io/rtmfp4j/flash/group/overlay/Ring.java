package io.rtmfp4j.flash.group.overlay;

import io.rtmfp4j.flash.group.GroupAddress;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Comparator;
import java.util.NavigableSet;
import java.util.Optional;

/**
 * Arithmetic on the ring of group addresses: unsigned 256-bit numbers modulo 2^256 (netgroup spec
 * §2.3), where a group's members sit and directed messages travel (§7, §10).
 */
public final class Ring {
    /** 2^256, the size of the ring. */
    public static final BigInteger SIZE = BigInteger.ONE.shiftLeft(8 * GroupAddress.LENGTH);

    private Ring() {
    }

    /** The address as a number in [0, 2^256). */
    public static BigInteger value(GroupAddress a) {
        return new BigInteger(1, a.bytes());
    }

    /** The address of a number, taken modulo 2^256. */
    public static GroupAddress address(BigInteger v) {
        byte[] raw = v.mod(SIZE).toByteArray();
        byte[] out = new byte[GroupAddress.LENGTH];
        int n = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - n, out, out.length - n, n);
        return new GroupAddress(out);
    }

    /** How far {@code to} lies from {@code from} going up the ring (increasing addresses, wrapping). */
    public static BigInteger clockwise(GroupAddress from, GroupAddress to) {
        return value(to).subtract(value(from)).mod(SIZE);
    }

    /** The distance between two addresses the shorter way round. */
    public static BigInteger distance(GroupAddress a, GroupAddress b) {
        ByteBuffer out = ByteBuffer.allocate(GroupAddress.LENGTH);
        for (long w : distanceWords(a, b)) {
            out.putLong(w);
        }
        return new BigInteger(1, out.array());
    }

    /**
     * Compares how far {@code x} and {@code y} lie from {@code target} the shorter way round, as
     * {@link #distance} would, without making numbers: routing, the best list and the store
     * compare distances for every neighbor at every step, and a 256-bit {@link BigInteger} made
     * from bytes twice per comparison was most of what a thousand-member group spent its time on.
     */
    public static int compareDistance(GroupAddress x, GroupAddress y, GroupAddress target) {
        long[] dx = distanceWords(x, target);
        long[] dy = distanceWords(y, target);
        for (int i = 0; i < dx.length; i++) {
            int c = Long.compareUnsigned(dx[i], dy[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /**
     * Addresses nearest {@code target} first, the shorter way round; of two at the same distance,
     * the lower address first, as {@link #nearest} breaks ties.
     */
    public static Comparator<GroupAddress> byDistanceTo(GroupAddress target) {
        return (x, y) -> {
            int c = compareDistance(x, y, target);
            return c != 0 ? c : x.compareTo(y);
        };
    }

    /**
     * The distance the shorter way round as four unsigned 64-bit words, the most significant
     * first: {@code b - a} modulo 2^256, or its negation when that is shorter (its top bit is set).
     */
    private static long[] distanceWords(GroupAddress a, GroupAddress b) {
        ByteBuffer from = ByteBuffer.wrap(a.bytes());
        ByteBuffer to = ByteBuffer.wrap(b.bytes());
        long[] d = new long[GroupAddress.LENGTH / Long.BYTES];
        long borrow = 0;
        for (int i = d.length - 1; i >= 0; i--) {
            long x = to.getLong(i * Long.BYTES);
            long y = from.getLong(i * Long.BYTES);
            d[i] = x - y - borrow;
            borrow = Long.compareUnsigned(x, y) < 0 || borrow == 1 && x == y ? 1 : 0;
        }
        if (d[0] < 0) {
            long carry = 1;
            for (int i = d.length - 1; i >= 0; i--) {
                d[i] = ~d[i] + carry;
                carry = carry == 1 && d[i] == 0 ? 1 : 0;
            }
        }
        return d;
    }

    /** The address halfway from {@code from} up to {@code to} (rounded down towards {@code from}). */
    public static GroupAddress midpoint(GroupAddress from, GroupAddress to) {
        return address(value(from).add(clockwise(from, to).shiftRight(1)));
    }

    /**
     * The candidate nearest to {@code target}, the shorter way round; of two at the same distance,
     * the lower address (spec §16's routing rule). Empty if there are no candidates.
     */
    public static Optional<GroupAddress> nearest(Collection<GroupAddress> candidates, GroupAddress target) {
        return candidates.stream().min(byDistanceTo(target));
    }

    /** The member just above {@code x} (wrapping), other than {@code x}; empty if there is none. */
    public static Optional<GroupAddress> successor(NavigableSet<GroupAddress> members, GroupAddress x) {
        GroupAddress s = members.higher(x);
        if (s == null && !members.isEmpty()) {
            s = members.first();
        }
        return s == null || s.equals(x) ? Optional.empty() : Optional.of(s);
    }

    /** The member just below {@code x} (wrapping), other than {@code x}; empty if there is none. */
    public static Optional<GroupAddress> predecessor(NavigableSet<GroupAddress> members, GroupAddress x) {
        GroupAddress p = members.lower(x);
        if (p == null && !members.isEmpty()) {
            p = members.last();
        }
        return p == null || p.equals(x) ? Optional.empty() : Optional.of(p);
    }
}
