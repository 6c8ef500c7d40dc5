package io.rtmfp4j.flash.group.overlay;

import io.rtmfp4j.flash.group.GroupAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Random;
import java.util.Set;

/**
 * The members a node wants as neighbors, its "best list" (netgroup spec §7.2, librtmfp's
 * {@code NetGroup::buildBestList}), for a target address: the node's own, or a neighbor's when
 * choosing which members to advertise to it in a group report (§6).
 *
 * <ol>
 * <li>With at most {@value #SMALL_GROUP} known members: all of them.</li>
 * <li>The {@value #RING_BELOW} members just below the target and the {@value #RING_ABOVE} just
 *     above, on the ring: so every member links to its ring predecessor and successor, which keeps
 *     the group one connected ring.</li>
 * <li>Up to {@value #LOWEST_RTT} connected neighbors with the lowest round-trip time.</li>
 * <li>One random member not chosen yet.</li>
 * <li>Long links until the list has {@link #targetSize} members: walking up the ring from the
 *     target by {@code known / 2^missing} positions at a time, cumulatively, and taking the next
 *     member not chosen yet, which gives links at roughly halving distances.</li>
 * </ol>
 *
 * <p>Where this deliberately differs from librtmfp, and why:
 * <ul>
 * <li>Step 3 takes the neighbor with the lowest RTT too; librtmfp's loop increments its iterator
 *     before the first use and skips it, an off-by-one that drops the best candidate.</li>
 * <li>Step 2 is 2 below and 4 above wherever the target is; librtmfp takes 3 and 3 when the target
 *     is above every known address, an artefact of not wrapping its starting iterator.</li>
 * <li>Step 1 leaves out the target's own member (librtmfp lists a report's receiver to itself
 *     in groups of up to 6, which receivers skip anyway).</li>
 * <li>Step 4 draws uniformly among the members not chosen; librtmfp takes the first free member
 *     after a uniformly drawn position, which favours members after runs of chosen ones.</li>
 * </ul>
 * Any of these choices interoperates: which neighbors a node asks for is its own business.
 */
public final class BestList {
    public static final int SMALL_GROUP = 6;
    public static final int RING_BELOW = 2;
    public static final int RING_ABOVE = 4;
    public static final int LOWEST_RTT = 6;
    /** T = floor(log2 N̂) + this (spec §7.2, §15). */
    public static final int TARGET_BASE = 13;

    private BestList() {
    }

    /**
     * How many members the list holds: min(floor(log2 N̂) + 13, known), where N̂ is the estimated
     * member count ({@link MemberCountEstimate}); an estimate below 1 (or NaN) counts as 1.
     *
     * @param known the members to choose from (the target's own member left out)
     */
    public static int targetSize(double estimatedMembers, int known) {
        double n = estimatedMembers >= 1 ? estimatedMembers : 1;
        int log2 = 63 - Long.numberOfLeadingZeros((long) Math.min(n, Long.MAX_VALUE));
        return (int) Math.min((long) log2 + TARGET_BASE, known);
    }

    /**
     * Chooses the members for {@code target}.
     *
     * @param members the known members in ring order (a heard list's {@link HeardList#ring()});
     *     {@code target} may be one of them, and is never chosen
     * @param target the address the list is for
     * @param neighborRtts round-trip times (any unit, ties broken by address) of the members with a
     *     neighbor session
     * @param estimatedMembers N̂, the estimated member count
     * @param random the source of step 4's choice, so that tests can replay a choice
     * @return the chosen members, in the order chosen
     */
    public static Set<GroupAddress> select(NavigableSet<GroupAddress> members, GroupAddress target,
            Map<GroupAddress, Long> neighborRtts, double estimatedMembers, Random random) {
        List<GroupAddress> ring = new ArrayList<>(members);
        int known = ring.size() - (members.contains(target) ? 1 : 0);
        Set<GroupAddress> chosen = new LinkedHashSet<>();
        if (known <= SMALL_GROUP) {
            for (GroupAddress m : ring) {
                if (!m.equals(target)) {
                    chosen.add(m);
                }
            }
            return Collections.unmodifiableSet(chosen);
        }
        int n = ring.size();
        int above = Collections.binarySearch(ring, target);
        // Index of the first member at or above the target (0 past the top: the ring wraps).
        int start = above >= 0 ? above : (-above - 1) % n;
        int firstAbove = above >= 0 ? start + 1 : start;
        for (int i = RING_BELOW; i >= 1; i--) {
            chosen.add(ring.get(Math.floorMod(start - i, n)));
        }
        for (int i = 0; i < RING_ABOVE; i++) {
            chosen.add(ring.get(Math.floorMod(firstAbove + i, n)));
        }
        neighborRtts.entrySet().stream()
                .filter(e -> !e.getKey().equals(target) && members.contains(e.getKey()))
                .sorted(Map.Entry.<GroupAddress, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .limit(LOWEST_RTT)
                .forEach(e -> chosen.add(e.getKey()));
        List<GroupAddress> free = new ArrayList<>();
        for (GroupAddress m : ring) {
            if (!m.equals(target) && !chosen.contains(m)) {
                free.add(m);
            }
        }
        if (!free.isEmpty()) {
            chosen.add(free.get(random.nextInt(free.size())));
        }
        int at = start;
        for (int missing = targetSize(estimatedMembers, known) - chosen.size(); missing > 0; missing--) {
            at += missing >= Integer.SIZE - 1 ? 0 : n >> missing;
            while (ring.get(Math.floorMod(at, n)).equals(target) || !chosen.add(ring.get(Math.floorMod(at, n)))) {
                at++;
            }
        }
        return Collections.unmodifiableSet(chosen);
    }
}
