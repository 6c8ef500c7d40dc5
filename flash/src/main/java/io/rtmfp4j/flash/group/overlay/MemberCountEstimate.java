package io.rtmfp4j.flash.group.overlay;

import io.rtmfp4j.flash.group.GroupAddress;
import java.util.NavigableSet;

/**
 * {@code NetGroup.estimatedMemberCount} (netgroup spec §7.3, librtmfp's
 * {@code NetGroup::estimatedPeersCount}, which its authors say Flash computes the same way): from
 * how densely members sit around this node's address. Group addresses are uniform (SHA-256), so
 * the four gaps between the members two below and two above span about 4/N of the ring.
 *
 * <pre>
 * fewer than 4 members known: N̂ = their number
 * otherwise: a, b = top 64 bits of the members two below and two above x (wrapping);
 *            d = (b − a) mod 2^64 (a full turn if 0);  N̂ = 2^64 / (d / 4) + 1
 * </pre>
 *
 * Four gaps make a rough estimate: for uniform addresses one node's N̂ is within a factor 2 of N
 * about four times in five; the median over many nodes is close to N.
 */
public final class MemberCountEstimate {
    private static final int GAPS = 4;
    private static final double TWO_64 = 0x1p64;

    private MemberCountEstimate() {
    }

    /**
     * @param members the known members in ring order; {@code self} is not counted if present
     * @param self this node's group address
     */
    public static double estimate(NavigableSet<GroupAddress> members, GroupAddress self) {
        int known = members.size() - (members.contains(self) ? 1 : 0);
        if (known < GAPS) {
            return known;
        }
        GroupAddress below = Ring.predecessor(members, Ring.predecessor(members, self).orElseThrow()).orElseThrow();
        GroupAddress above = Ring.successor(members, Ring.successor(members, self).orElseThrow()).orElseThrow();
        double d = unsigned(top64(above) - top64(below));
        if (d == 0) {
            d = TWO_64;
        }
        return TWO_64 / (d / GAPS) + 1;
    }

    private static long top64(GroupAddress a) {
        byte[] b = a.bytes();
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = v << 8 | b[i] & 0xff;
        }
        return v;
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
    }
}
