package io.rtmfp4j.flash.group.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.flash.group.GroupAddress;
import java.math.BigInteger;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RingTest {
    static GroupAddress at(long v) {
        return Ring.address(BigInteger.valueOf(v));
    }

    @Test
    void numbersAndAddresses() {
        assertThat(at(-1).hex()).isEqualTo("ff".repeat(32));
        assertThat(Ring.address(Ring.SIZE)).isEqualTo(at(0));
        assertThat(at(258).hex()).isEqualTo("00".repeat(30) + "0102");
        assertThat(Ring.value(at(-2))).isEqualTo(Ring.SIZE.subtract(BigInteger.TWO));
    }

    @Test
    void distancesAndMidpointsWrap() {
        assertThat(Ring.clockwise(at(-2), at(3))).isEqualTo(BigInteger.valueOf(5));
        assertThat(Ring.clockwise(at(3), at(-2))).isEqualTo(Ring.SIZE.subtract(BigInteger.valueOf(5)));
        assertThat(Ring.distance(at(3), at(-2))).isEqualTo(BigInteger.valueOf(5));
        assertThat(Ring.midpoint(at(0), at(10))).isEqualTo(at(5));
        assertThat(Ring.midpoint(at(0), at(11))).isEqualTo(at(5));
        assertThat(Ring.midpoint(at(-2), at(2))).isEqualTo(at(0));
        assertThat(Ring.midpoint(at(10), at(0))).isEqualTo(Ring.address(Ring.SIZE.add(BigInteger.TEN).shiftRight(1)));
    }

    @Test
    void nearestBreaksTiesTowardsTheLowerAddress() {
        assertThat(Ring.nearest(List.of(at(7), at(3)), at(5))).contains(at(3));
        assertThat(Ring.nearest(List.of(at(7), at(3)), at(6))).contains(at(7));
        // Across the top of the ring: 1 and 2^256 − 1 are both 1 away from 0; 1 is the lower address.
        assertThat(Ring.nearest(List.of(at(-1), at(1)), at(0))).contains(at(1));
        assertThat(Ring.nearest(List.of(at(-1), at(1000)), at(0))).contains(at(-1));
        assertThat(Ring.nearest(List.of(), at(0))).isEmpty();
    }

    @Test
    void successorAndPredecessorWrap() {
        TreeSet<GroupAddress> ring = new TreeSet<>(List.of(at(10), at(20), at(30)));
        assertThat(Ring.successor(ring, at(20))).contains(at(30));
        assertThat(Ring.successor(ring, at(25))).contains(at(30));
        assertThat(Ring.successor(ring, at(30))).contains(at(10));
        assertThat(Ring.predecessor(ring, at(10))).contains(at(30));
        assertThat(Ring.predecessor(ring, at(5))).contains(at(30));
        assertThat(Ring.predecessor(ring, at(11))).contains(at(10));
        TreeSet<GroupAddress> alone = new TreeSet<>(List.of(at(10)));
        assertThat(Ring.successor(alone, at(10))).isEmpty();
        assertThat(Ring.predecessor(alone, at(10))).isEmpty();
        assertThat(Ring.successor(alone, at(3))).contains(at(10));
        assertThat(Ring.successor(new TreeSet<>(), at(3))).isEmpty();
    }

    @Property
    void distancesAreConsistent(@ForAll @Size(32) byte[] x, @ForAll @Size(32) byte[] y) {
        GroupAddress a = new GroupAddress(x);
        GroupAddress b = new GroupAddress(y);
        assertThat(Ring.clockwise(a, b).add(Ring.clockwise(b, a)).mod(Ring.SIZE)).isZero();
        assertThat(Ring.distance(a, b)).isEqualTo(Ring.distance(b, a))
                .isLessThanOrEqualTo(Ring.SIZE.shiftRight(1));
        GroupAddress m = Ring.midpoint(a, b);
        assertThat(Ring.clockwise(a, m).add(Ring.clockwise(m, b))).isEqualTo(Ring.clockwise(a, b));
        assertThat(Ring.clockwise(m, b).subtract(Ring.clockwise(a, m))).isBetween(BigInteger.ZERO, BigInteger.ONE);
        assertThat(Ring.address(Ring.value(a))).isEqualTo(a);
        assertThat(Ring.distance(a, b)).isEqualTo(Ring.clockwise(a, b).min(Ring.clockwise(b, a)));
    }

    @Property
    void distancesCompareAsTheNumbersDo(@ForAll @Size(32) byte[] x, @ForAll @Size(32) byte[] y,
            @ForAll @Size(32) byte[] t) {
        GroupAddress a = new GroupAddress(x);
        GroupAddress b = new GroupAddress(y);
        GroupAddress target = new GroupAddress(t);
        assertThat(Integer.signum(Ring.compareDistance(a, b, target)))
                .isEqualTo(Ring.distance(a, target).compareTo(Ring.distance(b, target)));
        assertThat(Ring.compareDistance(a, a, target)).isZero();
    }

    @Test
    void distancesAtTheEdgesOfTheWords() {
        // Borrows across every 64-bit word, and the half-way point where both ways round are equal.
        assertThat(Ring.distance(at(1), Ring.address(BigInteger.ONE.shiftLeft(64))))
                .isEqualTo(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        GroupAddress half = Ring.address(Ring.SIZE.shiftRight(1));
        assertThat(Ring.distance(at(0), half)).isEqualTo(Ring.SIZE.shiftRight(1));
        assertThat(Ring.distance(half, at(0))).isEqualTo(Ring.SIZE.shiftRight(1));
        assertThat(Ring.distance(at(-1), Ring.address(BigInteger.ONE.shiftLeft(192)))).isEqualTo(
                BigInteger.ONE.shiftLeft(192).add(BigInteger.ONE));
        assertThat(Ring.compareDistance(at(-1), at(1), at(0))).isZero();
        assertThat(Ring.byDistanceTo(at(0)).compare(at(-1), at(1))).isPositive();
    }
}
