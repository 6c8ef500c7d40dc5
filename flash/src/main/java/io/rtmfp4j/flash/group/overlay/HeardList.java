package io.rtmfp4j.flash.group.overlay;

import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.flash.group.GroupAddress;
import io.rtmfp4j.flash.net.PeerIds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The members of a group this node has heard of (netgroup spec §7.1): from the server channel,
 * from sessions, from group reports. Each has its group address, its addresses and when it was
 * last heard of; members not heard of for {@link #EXPIRY_MICROS} are dropped by {@link #expire},
 * and members reported dead are refused for {@link #DIED_MICROS}.
 *
 * <p>Bounded: at most {@code capacity} members (default {@value #DEFAULT_CAPACITY}). Honest
 * groups need far fewer (reports advertise a few dozen members each and entries age out after
 * 5 minutes), but a report's entries are only claims, and a hostile neighbor could invent
 * members without end. When full, a newcomer replaces the member heard of least recently if the
 * newcomer was heard of more recently, and is refused otherwise; callers refresh their neighbors
 * with {@link #heard} whenever they hear from them, so neighbors are not the ones replaced. At
 * about half a kilobyte per member the default bounds the list to a few megabytes.
 *
 * <p>This node is never a member of its own list. Times are the caller's clock in microseconds.
 * Not thread-safe: the group's loop thread owns it.
 */
public final class HeardList {
    /** Members not heard of for longer are dropped (spec §7.1, §15: 300 s). */
    public static final long EXPIRY_MICROS = 300_000_000L;
    /** Members reported dead are refused this long (spec §7.1: 5 min). */
    public static final long DIED_MICROS = 300_000_000L;
    /** Addresses kept per member besides its server's ("as in Flash" per librtmfp, spec §15). */
    public static final int MAX_ADDRESSES = 7;
    public static final int DEFAULT_CAPACITY = 4096;

    /**
     * A member as last heard of.
     *
     * @param peerId 64 lowercase hex digits
     * @param address its group address
     * @param addresses its own addresses (origins {@code REPORTED} and {@code OBSERVED}), oldest first
     * @param serverAddress the rendezvous server it is connected to (origin {@code RELAY}), if known
     * @param lastHeardMicros when it was last heard of
     */
    public record Member(String peerId, GroupAddress address, List<Address> addresses, Optional<Address> serverAddress,
            long lastHeardMicros) {
        public Member {
            Objects.requireNonNull(peerId, "peerId");
            Objects.requireNonNull(address, "address");
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(serverAddress, "serverAddress");
        }
    }

    /**
     * What {@link #heard} did.
     *
     * @param member the member as it now stands
     * @param isNew whether it was not a member before
     * @param newAddresses addresses it did not have before (to feed to a handshake in progress)
     */
    public record Heard(Member member, boolean isNew, List<Address> newAddresses) {
    }

    private final String self;
    private final int capacity;
    private final Map<String, Member> byPeer = new HashMap<>();
    private final NavigableMap<GroupAddress, String> byAddress = new TreeMap<>();
    private final NavigableSet<GroupAddress> ring = Collections.unmodifiableNavigableSet(byAddress.navigableKeySet());
    private final Map<String, Long> diedUntil = new HashMap<>();

    /** A list for the node {@code selfPeerId}, of {@link #DEFAULT_CAPACITY}. */
    public HeardList(String selfPeerId) {
        this(selfPeerId, DEFAULT_CAPACITY);
    }

    public HeardList(String selfPeerId, int capacity) {
        this.self = PeerIds.normalize(selfPeerId);
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Records that a member was heard of at {@code heardAtMicros} (now for a session or a server
     * announcement; now minus the reported elapsed time for a report entry), with addresses, if
     * any. {@code lastHeard} only moves forward. Addresses of origin {@code RELAY} replace the
     * server address; others are added when new, up to {@link #MAX_ADDRESSES}; origin
     * {@code UNKNOWN} carries nothing usable and is ignored.
     *
     * @return what changed; empty if {@code peerId} is this node, died less than
     *     {@link #DIED_MICROS} ago, or is new and the list is full of members heard of more recently
     */
    public Optional<Heard> heard(String peerId, long heardAtMicros, Collection<Address> addresses) {
        String id = PeerIds.normalize(peerId);
        if (id.equals(self) || diedUntil.containsKey(id)) {
            return Optional.empty();
        }
        Member old = byPeer.get(id);
        boolean isNew = old == null;
        if (isNew) {
            if (byPeer.size() >= capacity && !evictOlderThan(heardAtMicros)) {
                return Optional.empty();
            }
            old = new Member(id, GroupAddress.ofPeer(id), List.of(), Optional.empty(), heardAtMicros);
        }
        List<Address> merged = new ArrayList<>(old.addresses());
        List<Address> added = new ArrayList<>();
        Optional<Address> server = old.serverAddress();
        for (Address a : addresses) {
            if (a.origin() == Address.Origin.RELAY) {
                if (!server.map(s -> s.socketAddress().equals(a.socketAddress())).orElse(false)) {
                    server = Optional.of(a);
                    added.add(a);
                }
            } else if (a.origin() != Address.Origin.UNKNOWN && merged.size() < MAX_ADDRESSES
                    && merged.stream().noneMatch(m -> m.socketAddress().equals(a.socketAddress()))) {
                merged.add(a);
                added.add(a);
            }
        }
        Member now = new Member(id, old.address(), merged, server, Math.max(old.lastHeardMicros(), heardAtMicros));
        byPeer.put(id, now);
        byAddress.put(now.address(), id);
        return Optional.of(new Heard(now, isNew, List.copyOf(added)));
    }

    private boolean evictOlderThan(long heardAtMicros) {
        Member oldest = null;
        for (Member m : byPeer.values()) {
            if (oldest == null || m.lastHeardMicros() < oldest.lastHeardMicros()) {
                oldest = m;
            }
        }
        if (oldest == null || oldest.lastHeardMicros() >= heardAtMicros) {
            return false;
        }
        remove(oldest.peerId());
        return true;
    }

    /** Removes a member (for instance one that cannot be reached). */
    public Optional<Member> remove(String peerId) {
        Member m = byPeer.remove(PeerIds.normalize(peerId));
        if (m != null) {
            byAddress.remove(m.address());
        }
        return Optional.ofNullable(m);
    }

    /**
     * Removes a member reported dead (spec §4.4: the server's redirect to {@code 0.0.0.0:0}) and
     * refuses it for {@link #DIED_MICROS}.
     */
    public Optional<Member> died(String peerId, long nowMicros) {
        String id = PeerIds.normalize(peerId);
        diedUntil.put(id, nowMicros + DIED_MICROS);
        return remove(id);
    }

    /** Whether {@link #heard} refuses {@code peerId} as dead (until the next {@link #expire} after its time). */
    public boolean isDead(String peerId) {
        return diedUntil.containsKey(PeerIds.normalize(peerId));
    }

    /**
     * Drops members not heard of for more than {@link #EXPIRY_MICROS} and forgets deaths older
     * than {@link #DIED_MICROS}. librtmfp does this every 19 s (spec §15).
     *
     * @return the members dropped, whose sessions the caller closes
     */
    public List<Member> expire(long nowMicros) {
        List<Member> dropped = new ArrayList<>();
        for (Iterator<Member> it = byPeer.values().iterator(); it.hasNext(); ) {
            Member m = it.next();
            if (nowMicros - m.lastHeardMicros() > EXPIRY_MICROS) {
                it.remove();
                byAddress.remove(m.address());
                dropped.add(m);
            }
        }
        diedUntil.values().removeIf(until -> until <= nowMicros);
        return dropped;
    }

    public Optional<Member> get(String peerId) {
        return Optional.ofNullable(byPeer.get(PeerIds.normalize(peerId)));
    }

    /** The member at a group address. */
    public Optional<Member> at(GroupAddress address) {
        return Optional.ofNullable(byAddress.get(address)).map(byPeer::get);
    }

    /** The members' group addresses in ring order: a live, read-only view. */
    public NavigableSet<GroupAddress> ring() {
        return ring;
    }

    public Collection<Member> members() {
        return Collections.unmodifiableCollection(byPeer.values());
    }

    public int size() {
        return byPeer.size();
    }

    public int capacity() {
        return capacity;
    }
}
