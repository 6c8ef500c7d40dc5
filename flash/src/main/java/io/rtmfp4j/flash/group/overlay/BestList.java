package io.rtmfp4j.flash.group.overlay;

import io.rtmfp4j.flash.group.GroupAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The members a node wants as neighbors, its "best list" (netgroup spec §7.2), for a target
 * address: the node's own, or a neighbor's when choosing which members to advertise to it in a
 * group report (§6).
 *
 * <ol>
 * <li>With at most {@value #SMALL_GROUP} known members: all of them.</li>
 * <li>The {@value #RING_SIDE} members just below the target and the {@value #RING_SIDE} just above
 *     on the ring, so that every member links to its ring predecessor and successor: that alone
 *     keeps the group one connected ring, and makes the nearest member to any address reachable.</li>
 * <li>Long links: for each k from 1 while {@code 2^(256-k)} spans more than the ring neighbors
 *     do, the member nearest to {@code target + 2^(256-k)}. A neighbor session goes both ways, so
 *     each member also has the links others chose to it, about one per k from near
 *     {@code target - 2^(256-k)}: with links at halving distances on both sides, each hop of a
 *     message routed to the member nearest an address about halves the distance left, and routing
 *     takes O(log N) hops (spec §10).</li>
 * <li>Up to {@value #LOWEST_RTT} neighbors with the lowest round-trip time, as librtmfp keeps.</li>
 * <li>The member nearest a random point, if not chosen yet, which keeps the overlay from settling
 *     into cliques; a caller that passes the same seed every time gets the same member for as long
 *     as the members around that point stay.</li>
 * </ol>
 *
 * <p>This is not librtmfp's list (spec §7.2), deliberately. librtmfp takes 2 members below and 4
 * above, and long links at positions {@code known / 2^missing} steps on, cumulatively, which puts
 * them at ring positions 1, 3, 7, ... members away: dense nearby and spread unevenly. Here the
 * links sit at halving distances in address space, which is what makes each routing hop halve the
 * distance left; the property test of this class routes over overlays of up to 1000 members built
 * from these lists. Which neighbors a node asks for is its own business: lists of either kind
 * interoperate.
 */
public final class BestList {
    /**
     * Up to this many known members, all of them: a full mesh, as librtmfp's target of
     * floor(log2 N) + 13 gives in groups of up to 13 members (spec §7.2).
     */
    public static final int SMALL_GROUP = 12;
    public static final int RING_SIDE = 3;
    public static final int LOWEST_RTT = 2;

    private BestList() {
    }

    /**
     * How many long links a member chooses for an estimated {@code estimatedMembers}:
     * {@code floor(log2(N̂ / RING_SIDE))}, at least 1; an estimate below 1 (or NaN) counts as 1.
     */
    public static int longLinksPerSide(double estimatedMembers) {
        double n = estimatedMembers >= 1 ? estimatedMembers : 1;
        int k = (int) Math.floor(Math.log(n / RING_SIDE) / Math.log(2));
        return Math.max(1, Math.min(k, 8 * GroupAddress.LENGTH - 1));
    }

    /**
     * The most members the list holds for {@code known} members to choose from: what a node
     * aims at, beyond which it asks neighbors it does not want to go (spec §5.5).
     */
    public static int targetSize(double estimatedMembers, int known) {
        return Math.min(known, Math.max(SMALL_GROUP, 2 * RING_SIDE + longLinksPerSide(estimatedMembers) + LOWEST_RTT + 1));
    }

    /**
     * Chooses the members for {@code target}.
     *
     * @param members the known members in ring order (a heard list's {@link HeardList#ring()});
     *     {@code target} may be one of them, and is never chosen
     * @param target the address the list is for
     * @param neighborRtts round-trip times (any unit) of the members with a neighbor session; ties go
     *     to the one nearer the target
     * @param estimatedMembers N̂, the estimated member count
     * @param random the source of step 5's choice, so that tests can replay a choice
     * @return the chosen members, in the order chosen
     */
    public static Set<GroupAddress> select(NavigableSet<GroupAddress> members, GroupAddress target,
            Map<GroupAddress, Long> neighborRtts, double estimatedMembers, Random random) {
        int known = members.size() - (members.contains(target) ? 1 : 0);
        Set<GroupAddress> chosen = new LinkedHashSet<>();
        if (known <= SMALL_GROUP) {
            for (GroupAddress m : members) {
                if (!m.equals(target)) {
                    chosen.add(m);
                }
            }
            return Collections.unmodifiableSet(chosen);
        }
        GroupAddress below = target;
        GroupAddress above = target;
        for (int i = 0; i < RING_SIDE; i++) {
            below = Ring.predecessor(members, below).orElseThrow();
            above = Ring.successor(members, above).orElseThrow();
            chosen.add(below);
            chosen.add(above);
        }
        BigInteger t = Ring.value(target);
        int links = longLinksPerSide(estimatedMembers);
        for (int k = 1; k <= links; k++) {
            BigInteger d = BigInteger.ONE.shiftLeft(8 * GroupAddress.LENGTH - k);
            nearestOther(members, Ring.address(t.add(d)), target).ifPresent(chosen::add);
        }
        // Ties go to the neighbor nearer the target on the ring: by address alone, every member would
        // favour the same few lowest addresses wherever round-trip times are alike.
        neighborRtts.entrySet().stream()
                .filter(e -> !e.getKey().equals(target) && members.contains(e.getKey()))
                .sorted(Map.Entry.<GroupAddress, Long>comparingByValue()
                        .thenComparing(Map.Entry::getKey, Ring.byDistanceTo(target)))
                .limit(LOWEST_RTT)
                .forEach(e -> chosen.add(e.getKey()));
        // The member nearest a random point: the same member for as long as the members near that
        // point stay, so that a node asking again with the same seed does not dial someone new each time.
        byte[] point = new byte[GroupAddress.LENGTH];
        random.nextBytes(point);
        Optional<GroupAddress> pick = nearestOther(members, new GroupAddress(point), target);
        for (int tries = 0; pick.isPresent() && chosen.contains(pick.get()) && tries < RING_SIDE; tries++) {
            pick = Ring.successor(members, pick.get()).filter(a -> !a.equals(target));
        }
        pick.ifPresent(chosen::add);
        return Collections.unmodifiableSet(chosen);
    }

    /** The member nearest to {@code point} other than {@code except} (ties to the lower address). */
    private static Optional<GroupAddress> nearestOther(NavigableSet<GroupAddress> members, GroupAddress point,
            GroupAddress except) {
        if (members.contains(point) && !point.equals(except)) {
            return Optional.of(point);
        }
        GroupAddress up = Ring.successor(members, point).orElse(null);
        if (except.equals(up)) {
            up = Ring.successor(members, up).orElse(null);
        }
        GroupAddress down = Ring.predecessor(members, point).orElse(null);
        if (except.equals(down)) {
            down = Ring.predecessor(members, down).orElse(null);
        }
        List<GroupAddress> candidates = new ArrayList<>(2);
        for (GroupAddress c : new GroupAddress[] {up, down}) {
            if (c != null && !c.equals(except)) {
                candidates.add(c);
            }
        }
        return Ring.nearest(candidates, point);
    }
}
