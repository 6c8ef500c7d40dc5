package io.rtmfp4j.flash.group.overlay;

import io.rtmfp4j.flash.group.GroupAddress;
import java.math.BigInteger;
import java.util.Collection;
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
        BigInteger up = clockwise(a, b);
        BigInteger down = clockwise(b, a);
        return up.min(down);
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
        GroupAddress best = null;
        BigInteger bestDistance = null;
        for (GroupAddress c : candidates) {
            BigInteger d = distance(c, target);
            int cmp = best == null ? -1 : d.compareTo(bestDistance);
            if (cmp < 0 || cmp == 0 && c.compareTo(best) < 0) {
                best = c;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
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
