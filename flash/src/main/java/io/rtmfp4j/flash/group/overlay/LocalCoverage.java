package io.rtmfp4j.flash.group.overlay;

import io.rtmfp4j.flash.group.GroupAddress;
import java.math.BigInteger;
import java.util.NavigableSet;
import java.util.Objects;

/**
 * The range of group addresses this node is nearest to among the members it knows, from
 * {@link #from()} up to {@link #to()} on the ring, both included (Flash's
 * {@code NetGroup.localCoverageFrom}/{@code localCoverageTo}, netgroup spec §7.4).
 *
 * <p>Flash's boundary rule is unknown; this project's [P] rule: the halfway points to the nearest
 * known members below (p) and above (s), with an address exactly halfway going to the lower of the
 * two addresses, as {@link Ring#nearest} decides. So an address is in this node's coverage
 * exactly when {@code Ring.nearest} over the node and its known members picks the node. Alone, a
 * node covers the whole ring: {@code from = x + 1}, {@code to = x}.
 *
 * @param from the first address covered
 * @param to the last address covered
 */
public record LocalCoverage(GroupAddress from, GroupAddress to) {

    public LocalCoverage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    /**
     * The coverage of {@code self} given the known members ({@code self} is ignored if present).
     */
    public static LocalCoverage of(GroupAddress self, NavigableSet<GroupAddress> members) {
        BigInteger x = Ring.value(self);
        GroupAddress p = Ring.predecessor(members, self).orElse(null);
        if (p == null) {
            return new LocalCoverage(Ring.address(x.add(BigInteger.ONE)), self);
        }
        GroupAddress s = Ring.successor(members, self).orElseThrow();
        // Below x, a = p + t for t in (0, c]: x is nearer when t > c/2; at t = c/2 the lower address wins.
        BigInteger c = Ring.clockwise(p, self);
        BigInteger first = c.shiftRight(1);
        if (!c.testBit(0) && self.compareTo(p) < 0) {
            first = first.subtract(BigInteger.ONE);
        }
        // Above x, a = x + t for t in [0, c'): x is nearer when t < c'/2; at t = c'/2 the lower address wins.
        BigInteger c2 = Ring.clockwise(self, s);
        BigInteger last = c2.subtract(BigInteger.ONE).shiftRight(1);
        if (!c2.testBit(0) && self.compareTo(s) < 0) {
            last = last.add(BigInteger.ONE);
        }
        return new LocalCoverage(Ring.address(Ring.value(p).add(first).add(BigInteger.ONE)), Ring.address(x.add(last)));
    }

    /** Whether {@code a} lies in the range, going up the ring from {@link #from()}. */
    public boolean contains(GroupAddress a) {
        return Ring.clockwise(from, a).compareTo(Ring.clockwise(from, to)) <= 0;
    }
}
