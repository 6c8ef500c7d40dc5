package io.rtmfp4j.flash.group.overlay;

import static io.rtmfp4j.flash.group.overlay.RingTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.flash.group.GroupAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BestListTest {
    /** A Random whose every draw is 0, so that step 4 takes the first free member. */
    static final Random FIRST = new Random() {
        @Override
        public int nextInt(int bound) {
            return 0;
        }
    };

    /** Members at 0, 10, 20, … 390. */
    static NavigableSet<GroupAddress> tens(int count) {
        NavigableSet<GroupAddress> ring = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            ring.add(at(10L * i));
        }
        return ring;
    }

    static Set<Long> values(Set<GroupAddress> list) {
        Set<Long> out = new LinkedHashSet<>();
        for (GroupAddress a : list) {
            out.add(Ring.value(a).longValueExact());
        }
        return out;
    }

    @Test
    void targetSize() {
        assertThat(BestList.targetSize(1, 100)).isEqualTo(13);
        assertThat(BestList.targetSize(1023.9, 100)).isEqualTo(9 + 13);
        assertThat(BestList.targetSize(1024, 100)).isEqualTo(10 + 13);
        assertThat(BestList.targetSize(1e30, 100)).isEqualTo(62 + 13);
        assertThat(BestList.targetSize(1e30, 20)).isEqualTo(20);
        assertThat(BestList.targetSize(0.2, 100)).isEqualTo(13);
        assertThat(BestList.targetSize(Double.NaN, 100)).isEqualTo(13);
    }

    @Test
    void smallGroupsListEveryoneButTheTarget() {
        NavigableSet<GroupAddress> six = tens(6);
        assertThat(values(BestList.select(six, at(5), Map.of(), 6, FIRST))).containsExactly(0L, 10L, 20L, 30L, 40L, 50L);
        NavigableSet<GroupAddress> seven = tens(7);
        // Built for the member at 30, which is left out: six remain, all of them listed.
        assertThat(values(BestList.select(seven, at(30), Map.of(), 7, FIRST))).containsExactly(0L, 10L, 20L, 40L, 50L,
                60L);
    }

    /** Hand-checked: 40 members 10 apart, target 105, N̂ = 1 so T = 13. */
    @Test
    void eachStepInTurn() {
        NavigableSet<GroupAddress> ring = tens(40);
        Map<GroupAddress, Long> rtt = new HashMap<>();
        rtt.put(at(200), 1L);
        rtt.put(at(60), 2L);
        rtt.put(at(110), 3L);
        rtt.put(at(300), 5L);
        rtt.put(at(70), 7L);
        rtt.put(at(80), 8L);
        rtt.put(at(50), 9L);
        Set<GroupAddress> list = BestList.select(ring, at(105), rtt, 1, FIRST);
        assertThat(values(list)).containsExactly(
                90L, 100L, 110L, 120L, 130L, 140L,   // 2 below, 4 above
                200L, 60L, 300L, 70L, 80L,           // 6 lowest RTTs (110 already in), the lowest included
                0L,                                  // the first free member, as the Random says
                310L);                               // one long link: 40 / 2 positions above 110
    }

    /** The same with N̂ = 16 (T = 17): long links at steps of 1, 2, 5, 10, 20 positions. */
    @Test
    void longLinksAtDoublingSteps() {
        NavigableSet<GroupAddress> ring = tens(40);
        Map<GroupAddress, Long> rtt = Map.of(at(200), 1L, at(60), 2L, at(110), 3L, at(300), 5L, at(70), 7L,
                at(80), 8L);
        Set<GroupAddress> list = BestList.select(ring, at(105), rtt, 16, FIRST);
        assertThat(list).hasSize(17);
        assertThat(new ArrayList<>(values(list)).subList(12, 17)).containsExactly(150L, 170L, 220L, 320L, 160L);
    }

    @Test
    void aboveEveryMemberTheRingWraps() {
        NavigableSet<GroupAddress> ring = tens(40);
        Set<GroupAddress> list = BestList.select(ring, at(1000), Map.of(), 1, FIRST);
        assertThat(new ArrayList<>(values(list)).subList(0, 6)).containsExactly(380L, 390L, 0L, 10L, 20L, 30L);
    }

    @Property(tries = 300)
    void listsTheRingNeighborsAndExactlyTMembers(@ForAll @IntRange(min = 7, max = 400) int n,
            @ForAll @DoubleRange(min = 0.5, max = 1e7) double estimate, @ForAll boolean targetIsMember,
            @ForAll long seed) {
        Random r = new Random(seed);
        NavigableSet<GroupAddress> ring = new TreeSet<>();
        while (ring.size() < n) {
            ring.add(Ring.address(new BigInteger(256, r)));
        }
        GroupAddress target = targetIsMember ? new ArrayList<>(ring).get(r.nextInt(n))
                : Ring.address(new BigInteger(256, r));
        Map<GroupAddress, Long> rtt = new HashMap<>();
        for (GroupAddress m : ring) {
            if (r.nextInt(4) == 0) {
                rtt.put(m, (long) r.nextInt(500));
            }
        }
        int known = n - (ring.contains(target) ? 1 : 0);
        Set<GroupAddress> list = BestList.select(ring, target, rtt, estimate, new Random(seed));

        assertThat(list).doesNotContain(target);
        assertThat(ring).containsAll(list);
        assertThat(list).hasSize(known <= BestList.SMALL_GROUP ? known : BestList.targetSize(estimate, known));
        assertThat(list).contains(Ring.predecessor(ring, target).orElseThrow(), Ring.successor(ring, target).orElseThrow());
        assertThat(BestList.select(ring, target, rtt, estimate, new Random(seed))).containsExactlyElementsOf(list);
        List<GroupAddress> fastest = rtt.entrySet().stream().filter(e -> !e.getKey().equals(target))
                .sorted(Map.Entry.<GroupAddress, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .limit(BestList.LOWEST_RTT).map(Map.Entry::getKey).toList();
        assertThat(list).containsAll(fastest);
    }

    /**
     * Long links at roughly halving distances: among N uniform members, for every band of ring
     * positions [2^k, 2^(k+1)) above the node, up to N/2, the list holds at least one member.
     */
    @Test
    void longLinksCoverEveryDoublingBand() {
        for (int n : new int[] {100, 1000, 10000}) {
            for (long seed = 1; seed <= 5; seed++) {
                Random r = new Random(seed * 31 + n);
                NavigableSet<GroupAddress> ring = new TreeSet<>();
                while (ring.size() < n) {
                    ring.add(Ring.address(new BigInteger(256, r)));
                }
                GroupAddress self = Ring.address(new BigInteger(256, r));
                double estimate = MemberCountEstimate.estimate(ring, self);
                Set<GroupAddress> list = BestList.select(ring, self, Map.of(), estimate, r);
                List<GroupAddress> sorted = new ArrayList<>(ring);
                int successor = ring.headSet(self).size();
                List<Integer> ranks = new ArrayList<>();
                for (GroupAddress a : list) {
                    // Ring position above self: 1 for the successor.
                    ranks.add(Math.floorMod(sorted.indexOf(a) - successor, n) + 1);
                }
                for (int band = 16; band <= n / 2; band *= 2) {
                    int lo = band;
                    assertThat(ranks).as("n=%d seed=%d band=%d ranks=%s", n, seed, band, ranks)
                            .anyMatch(k -> k >= lo && k < 2 * lo);
                }
            }
        }
    }
}
