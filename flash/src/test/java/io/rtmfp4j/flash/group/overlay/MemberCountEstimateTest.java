package io.rtmfp4j.flash.group.overlay;

import static io.rtmfp4j.flash.group.overlay.RingTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.flash.group.GroupAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableSet;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MemberCountEstimateTest {
    /** An address whose top 64 bits are {@code top}, read unsigned. */
    static GroupAddress top(long top) {
        return Ring.address(new BigInteger(Long.toUnsignedString(top)).shiftLeft(192));
    }

    @Test
    void fewerThanFourKnownAreCounted() {
        NavigableSet<GroupAddress> ring = new TreeSet<>(List.of(at(1), at(2), at(3)));
        assertThat(MemberCountEstimate.estimate(ring, at(10))).isEqualTo(3);
        assertThat(MemberCountEstimate.estimate(ring, at(2))).isEqualTo(2);
        assertThat(MemberCountEstimate.estimate(new TreeSet<>(), at(2))).isZero();
    }

    /** The members two below and two above span a quarter of the ring: N̂ = 2^64 / (2^62 / 4) + 1 = 17. */
    @Test
    void fourGapsOverAQuarterOfTheRing() {
        NavigableSet<GroupAddress> ring = new TreeSet<>(List.of(top(0), top(1L << 60), top(3L << 60), top(4L << 60),
                top(8L << 60), top(12L << 60)));
        assertThat(MemberCountEstimate.estimate(ring, top(2L << 60))).isEqualTo(17.0);
        // The same with self among the members, which is not counted.
        ring.add(top(2L << 60));
        assertThat(MemberCountEstimate.estimate(ring, top(2L << 60))).isEqualTo(17.0);
        // Across the top of the ring: 14, 15 below and 0, 2 above (in units of 2^60).
        NavigableSet<GroupAddress> wrap = new TreeSet<>(List.of(top(14L << 60), top(15L << 60), top(0), top(2L << 60),
                top(8L << 60)));
        assertThat(MemberCountEstimate.estimate(wrap, top(0xF8L << 56))).isEqualTo(17.0);
    }

    @Test
    void membersSharingTheirTopBitsCountAsAFullTurn() {
        NavigableSet<GroupAddress> ring = new TreeSet<>(List.of(at(1), at(2), at(3), at(4)));
        assertThat(MemberCountEstimate.estimate(ring, at(10))).isEqualTo(5.0);
    }

    /**
     * For N uniform members, one node's estimate is 4N / G + 1 with G ~ Gamma(4, 1) (four
     * exponential gaps), within a factor 2 of N with probability P(2 ≤ G ≤ 8) ≈ 0.82 and with
     * median ≈ 1.09 N. Over every member of each group: the median within a factor 1.5 and at
     * least 70 % within a factor 2.
     */
    @Test
    void withinAFactorOfTwoOfUniformGroups() {
        for (int n : new int[] {100, 1000, 10000}) {
            Random r = new Random(n);
            NavigableSet<GroupAddress> ring = new TreeSet<>();
            while (ring.size() < n) {
                ring.add(Ring.address(new BigInteger(256, r)));
            }
            List<Double> estimates = new ArrayList<>();
            for (GroupAddress self : ring) {
                estimates.add(MemberCountEstimate.estimate(ring, self));
            }
            double[] sorted = estimates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = sorted[sorted.length / 2];
            long withinTwo = Arrays.stream(sorted).filter(e -> e >= n / 2.0 && e <= 2.0 * n).count();
            assertThat(median).as("median for N=%d", n).isBetween(n / 1.5, n * 1.5);
            assertThat(withinTwo).as("within a factor 2 for N=%d", n).isGreaterThanOrEqualTo((long) (0.7 * n));
        }
    }
}
