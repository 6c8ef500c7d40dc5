package io.rtmfp4j.flash.group.overlay;

import static io.rtmfp4j.flash.group.overlay.RingTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.flash.group.GroupAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BestListTest {
    static NavigableSet<GroupAddress> random(int n, Random r) {
        NavigableSet<GroupAddress> ring = new TreeSet<>();
        while (ring.size() < n) {
            byte[] b = new byte[GroupAddress.LENGTH];
            r.nextBytes(b);
            ring.add(new GroupAddress(b));
        }
        return ring;
    }

    @Test
    void longLinksGrowWithTheLogOfTheGroup() {
        assertThat(BestList.longLinksPerSide(1)).isEqualTo(1);
        assertThat(BestList.longLinksPerSide(Double.NaN)).isEqualTo(1);
        assertThat(BestList.longLinksPerSide(24)).isEqualTo(3);
        assertThat(BestList.longLinksPerSide(1000)).isEqualTo(8);
        assertThat(BestList.targetSize(1000, 5000)).isEqualTo(6 + 8 + BestList.LOWEST_RTT + 1);
        assertThat(BestList.targetSize(1000, 10)).isEqualTo(10);
        assertThat(BestList.targetSize(20, 100)).isEqualTo(BestList.SMALL_GROUP);
    }

    @Test
    void smallGroupsListEveryoneButTheTarget() {
        NavigableSet<GroupAddress> ring = new TreeSet<>();
        for (int i = 1; i <= BestList.SMALL_GROUP + 1; i++) {
            ring.add(at(i));
        }
        NavigableSet<GroupAddress> others = new TreeSet<>(ring);
        others.remove(at(3));
        assertThat(BestList.select(ring, at(3), Map.of(), 13, new Random(1))).containsExactlyInAnyOrderElementsOf(others);
    }

    @Property(tries = 100)
    void listsThreeRingNeighborsEachSideAndTheMembersNearestToEachLongLinkPoint(
            @ForAll @IntRange(min = 14, max = 500) int n, @ForAll long seed) {
        Random r = new Random(seed);
        NavigableSet<GroupAddress> ring = random(n, r);
        List<GroupAddress> all = new ArrayList<>(ring);
        GroupAddress target = all.get(r.nextInt(n));
        Set<GroupAddress> list = BestList.select(ring, target, Map.of(), n, r);
        GroupAddress below = target;
        GroupAddress above = target;
        for (int i = 0; i < BestList.RING_SIDE; i++) {
            below = Ring.predecessor(ring, below).orElseThrow();
            above = Ring.successor(ring, above).orElseThrow();
            assertThat(list).contains(below, above);
        }
        NavigableSet<GroupAddress> others = new TreeSet<>(ring);
        others.remove(target);
        for (int k = 1; k <= BestList.longLinksPerSide(n); k++) {
            BigInteger d = BigInteger.ONE.shiftLeft(256 - k);
            assertThat(list).contains(Ring.nearest(others, Ring.address(Ring.value(target).add(d))).orElseThrow());
        }
        assertThat(list).doesNotContain(target).hasSizeLessThanOrEqualTo(BestList.targetSize(n, n - 1));
    }

    @Test
    void theLowestRoundTripNeighborsAreKept() {
        Random r = new Random(7);
        NavigableSet<GroupAddress> ring = random(200, r);
        List<GroupAddress> all = new ArrayList<>(ring);
        GroupAddress target = all.get(0);
        Map<GroupAddress, Long> rtts = new HashMap<>();
        for (int i = 1; i < all.size(); i++) {
            rtts.put(all.get(i), 1000L + i);
        }
        GroupAddress fast = all.get(100);
        GroupAddress second = all.get(150);
        rtts.put(fast, 1L);
        rtts.put(second, 2L);
        assertThat(BestList.select(ring, target, rtts, 200, r)).contains(fast, second);
    }

    /**
     * The property the long links exist for: when every member takes its list as neighbors (and
     * is taken back: a neighbor session goes both ways), routing to the member nearest any address
     * by handing the message to the nearest neighbor each time arrives, within log2 N + 2 hops.
     */
    @Property(tries = 20)
    void greedyRoutingOverTheListsReachesTheNearestMemberInLogarithmicHops(
            @ForAll @IntRange(min = 50, max = 1000) int n, @ForAll long seed) {
        Random r = new Random(seed);
        NavigableSet<GroupAddress> ring = random(n, r);
        Map<GroupAddress, Set<GroupAddress>> neighbors = new HashMap<>();
        for (GroupAddress m : ring) {
            for (GroupAddress o : BestList.select(ring, m, Map.of(), MemberCountEstimate.estimate(ring, m), r)) {
                neighbors.computeIfAbsent(m, x -> new HashSet<>()).add(o);
                neighbors.computeIfAbsent(o, x -> new HashSet<>()).add(m);
            }
        }
        List<GroupAddress> all = new ArrayList<>(ring);
        int bound = 64 - Long.numberOfLeadingZeros(n - 1) + 2;
        for (int trial = 0; trial < 200; trial++) {
            byte[] b = new byte[GroupAddress.LENGTH];
            r.nextBytes(b);
            GroupAddress destination = new GroupAddress(b);
            GroupAddress at = all.get(r.nextInt(n));
            int hops = 0;
            while (true) {
                List<GroupAddress> candidates = new ArrayList<>(neighbors.get(at));
                candidates.add(at);
                GroupAddress next = Ring.nearest(candidates, destination).orElseThrow();
                if (next.equals(at)) {
                    break;
                }
                at = next;
                hops++;
            }
            assertThat(at).isEqualTo(Ring.nearest(ring, destination).orElseThrow());
            assertThat(hops).isLessThanOrEqualTo(bound);
        }
    }
}
