package io.rtmfp4j.server.groups;

import io.rtmfp4j.flash.group.GroupAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * One NetGroup as the server sees it: its members on the ring of group addresses (netgroup spec
 * §2.3), and the selection policy that decides who hears about whom on the server channel.
 *
 * <p>The policy keeps any group connected however large it grows, without telling anyone more than
 * a few dozen peer IDs:
 * <ul>
 * <li>a newcomer is told its {@link #RING_SIDE} nearest members on each side of its group address,
 *     plus one member at each halving distance around the ring (N/2, N/4, ... positions away), the
 *     long links Flash's overlay keeps (about log2 N of them);</li>
 * <li>those ring neighbours are told about the newcomer, so members that never hear from the server
 *     again (older Flash clients only act on what they are told) still link to it;</li>
 * <li>when a member leaves, the members on either side of the gap it leaves are told about each
 *     other, so the ring closes again.</li>
 * </ul>
 * Every member thus learns its ring predecessor and successor, which alone makes the group one
 * connected ring; the long links keep its diameter logarithmic.
 *
 * <p>Not thread-safe: the server's loop thread owns it.
 */
public final class Group {
    /** Ring neighbours announced on each side of a newcomer or of a gap. */
    public static final int RING_SIDE = 3;

    private final String id;
    private final NavigableMap<GroupAddress, String> ring = new TreeMap<>();
    private final Map<String, GroupAddress> byPeer = new LinkedHashMap<>();

    public Group(String id) {
        this.id = id;
    }

    /** The group ID, 64 lowercase hex digits (netgroup spec §3.5). */
    public String id() {
        return id;
    }

    public int size() {
        return byPeer.size();
    }

    public boolean contains(String peerId) {
        return byPeer.containsKey(peerId);
    }

    public Collection<String> members() {
        return byPeer.keySet();
    }

    /**
     * Adds a member (a 64-hex peer ID) and says who must hear about whom.
     *
     * @return the announcements; empty if it was already a member
     */
    public Announcements join(String peerId) {
        if (byPeer.containsKey(peerId)) {
            return Announcements.NONE;
        }
        GroupAddress address = GroupAddress.ofPeer(peerId);
        List<String> neighbours = ringNeighbours(address);
        Set<String> toNewcomer = new LinkedHashSet<>(neighbours);
        toNewcomer.addAll(longLinks(address));
        ring.put(address, peerId);
        byPeer.put(peerId, address);
        Map<String, List<String>> toOthers = new LinkedHashMap<>();
        for (String n : neighbours) {
            toOthers.put(n, List.of(peerId));
        }
        return new Announcements(List.copyOf(toNewcomer), toOthers);
    }

    /**
     * Removes a member and says who must hear about whom to close the gap it leaves.
     *
     * @return the announcements (to existing members only); empty if it was not a member
     */
    public Announcements leave(String peerId) {
        GroupAddress address = byPeer.remove(peerId);
        if (address == null) {
            return Announcements.NONE;
        }
        ring.remove(address);
        List<String> below = walk(address, false, RING_SIDE);
        List<String> above = walk(address, true, RING_SIDE);
        Map<String, List<String>> toOthers = new LinkedHashMap<>();
        for (String b : below) {
            addAll(toOthers, b, above);
        }
        for (String a : above) {
            addAll(toOthers, a, below);
        }
        return new Announcements(List.of(), toOthers);
    }

    private static void addAll(Map<String, List<String>> to, String member, List<String> peers) {
        for (String p : peers) {
            if (!p.equals(member)) {
                to.computeIfAbsent(member, k -> new ArrayList<>()).add(p);
            }
        }
    }

    /** Up to {@link #RING_SIDE} members on each side of {@code address}, nearest first, no repeats. */
    private List<String> ringNeighbours(GroupAddress address) {
        Set<String> out = new LinkedHashSet<>(walk(address, false, RING_SIDE));
        out.addAll(walk(address, true, RING_SIDE));
        return List.copyOf(out);
    }

    /** Members at N/2, N/4, ... positions ahead of {@code address} on the ring, for log2 N long links. */
    private List<String> longLinks(GroupAddress address) {
        int n = ring.size();
        List<String> out = new ArrayList<>();
        if (n <= 2 * RING_SIDE) {
            return out;
        }
        List<String> ahead = walk(address, true, n);
        for (int distance = n / 2; distance > RING_SIDE; distance /= 2) {
            out.add(ahead.get(distance - 1));
        }
        return out;
    }

    /** Walks the ring from {@code address} (exclusive), wrapping, collecting up to {@code count} distinct members. */
    private List<String> walk(GroupAddress address, boolean up, int count) {
        List<String> out = new ArrayList<>();
        int limit = Math.min(count, ring.size());
        GroupAddress at = address;
        while (out.size() < limit) {
            Map.Entry<GroupAddress, String> e = up ? ring.higherEntry(at) : ring.lowerEntry(at);
            if (e == null) {
                e = up ? ring.firstEntry() : ring.lastEntry();
            }
            if (e.getKey().equals(address)) {
                break;
            }
            out.add(e.getValue());
            at = e.getKey();
        }
        return out;
    }

    /**
     * Who must be told which peer IDs.
     *
     * @param toNewcomer peer IDs to announce to the member that joined
     * @param toMembers  peer IDs to announce to existing members, by member
     */
    public record Announcements(List<String> toNewcomer, Map<String, List<String>> toMembers) {
        public static final Announcements NONE = new Announcements(List.of(), Map.of());
    }
}
