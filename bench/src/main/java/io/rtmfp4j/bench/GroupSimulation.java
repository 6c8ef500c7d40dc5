package io.rtmfp4j.bench;

import io.rtmfp4j.core.sim.LinkConditions;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.flash.group.GroupAddress;
import io.rtmfp4j.flash.group.GroupSpecifier;
import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.group.NetGroupInfo;
import io.rtmfp4j.flash.group.ReceiveMode;
import io.rtmfp4j.flash.group.overlay.Ring;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.runtime.sim.SimHost;
import io.rtmfp4j.server.SimRendezvous;
import io.rtmfp4j.server.auth.Authenticator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Members of one NetGroup through one rendezvous server on a simulated network (virtual clock,
 * seeded loss and delay): how fast the overlay converges, how far and how fast postings spread,
 * how many hops directed messages take, and what posting costs each member. {@code rtmfp bench
 * group} runs {@link #run} and prints its {@link Result}; the scale tests drive the steps.
 *
 * <p>Single-threaded, like the network: every method runs the simulation forward itself.
 */
public final class GroupSimulation {
    static final long SECOND = SimRendezvous.SECOND;
    static final long MILLI = 1_000;
    /** Members join at this pace, as people arrive, not all in the same microsecond. */
    static final int JOINS_PER_SECOND = 100;
    /** How long a posting or a directed message may take before it counts as not delivered. */
    static final long DELIVERY_LIMIT_MICROS = 10 * SECOND;
    /** Time given to the overlay after it converged, before measuring what it costs. */
    static final long SETTLE_MICROS = 60 * SECOND;
    /** How often {@link #runUntil} checks its condition, in virtual time. */
    static final long CHECK_MICROS = 100 * MILLI;

    /**
     * @param peers      members
     * @param rttMillis  round-trip time between any two hosts
     * @param loss       loss rate of every one-way link, 0 to 1
     * @param seed       the simulation's seed
     * @param posts      postings to measure, each from a random member
     * @param routes     directed messages to measure in each receive mode
     * @param postBytes  characters in each posting's text (its AMF body is a few bytes more)
     */
    public record Params(int peers, long rttMillis, double loss, long seed, int posts, int routes, int postBytes) {
        public Params {
            if (peers < 2 || rttMillis < 1 || loss < 0 || loss >= 1 || posts < 1 || routes < 1 || postBytes < 1
                    || postBytes > 60_000) {
                throw new IllegalArgumentException("peers >= 2, rtt >= 1 ms, loss in [0, 1), posts and routes >= 1, "
                        + "posting size 1..60000");
            }
        }
    }

    /**
     * What {@link #run} measured.
     *
     * @param convergedMs         from the last member's join until every member has its ring
     *                            predecessor and successor as neighbors and the overlay is connected
     * @param postingCoverage     the fraction of (posting, other member) pairs delivered
     * @param postingP50Ms        delay from post to delivery, median over every delivery
     * @param postingP99Ms        the 99th percentile of the same
     * @param routingHopsMedian   hops of directed messages to the member nearest a random address
     * @param routingHopsMax      the most hops any took
     * @param routingDelivered    the fraction that reached the member nearest their address
     * @param bytesPerMemberPerPost posting bytes (postings and their announcements, all members) per
     *                            member and per posting
     * @param postBytes           the size of each posting's text, for {@link #amplification}
     * @param neighborsMedian     neighbors per member, median
     * @param simulatedSeconds    virtual time the whole run took
     */
    public record Result(int peers, long rttMillis, double loss, long seed, long convergedMs, double postingCoverage,
            double postingP50Ms, double postingP99Ms, double routingHopsMedian, int routingHopsMax,
            double routingDelivered, double bytesPerMemberPerPost, int postBytes, double neighborsMedian,
            double simulatedSeconds) {

        /** Bytes sent per member per posting over the posting's size: 1 would be the ideal of one copy each. */
        public double amplification() {
            return bytesPerMemberPerPost / postBytes;
        }

        public String toJson() {
            return String.format(Locale.ROOT, "{\"bench\":\"group\",\"peers\":%d,\"rttMs\":%d,\"loss\":%s,\"seed\":%d,"
                    + "\"convergedMs\":%d,\"postingCoverage\":%.6f,\"postingP50Ms\":%.1f,\"postingP99Ms\":%.1f,"
                    + "\"routingHopsMedian\":%.1f,\"routingHopsMax\":%d,\"routingDelivered\":%.6f,"
                    + "\"bytesPerMemberPerPost\":%.1f,\"postBytes\":%d,\"amplification\":%.2f,"
                    + "\"neighborsMedian\":%.1f,\"simulatedSeconds\":%.1f}",
                    peers, rttMillis, loss, seed, convergedMs, postingCoverage, postingP50Ms, postingP99Ms,
                    routingHopsMedian, routingHopsMax, routingDelivered, bytesPerMemberPerPost, postBytes,
                    amplification(), neighborsMedian, simulatedSeconds);
        }
    }

    /** One member, and what it received. */
    public final class Member {
        final NetConnection nc;
        final SimHost host;
        final GroupAddress address;
        /** Made once the connection succeeds: a group joins on a connected connection. */
        NetGroup group;
        boolean alive = true;
        /** Posting message IDs, with when they arrived. */
        final Map<String, Long> postings = new HashMap<>();
        final List<Map<String, Object>> directed = new ArrayList<>();

        Member() {
            host = world.host();
            nc = NetConnection.on(host, null, null);
            address = GroupAddress.ofPeer(nc.nearId());
            nc.connect(SimRendezvous.URL).thenRun(() -> {
                group = new NetGroup(nc, spec);
                group.addStatusListener(this::onStatus);
                onGroup.accept(this);
            });
        }

        public NetGroup group() {
            return group;
        }

        public boolean isAlive() {
            return alive;
        }

        void onStatus(NetStatus s) {
            if (s.code().equals(Status.GROUP_POSTING_NOTIFY)) {
                postings.putIfAbsent((String) s.info().get("messageID"), net.now());
            } else if (s.code().equals(Status.GROUP_SEND_TO_NOTIFY)) {
                directed.add(s.info());
            }
        }
    }

    private final SimNetwork net;
    private final SimRendezvous world;
    private final String spec;
    private final Random random;
    private final List<Member> members = new ArrayList<>();
    private Consumer<Member> onGroup = m -> { };

    public GroupSimulation(long seed, long rttMillis, double loss) {
        this(seed, rttMillis, loss, new GroupSpecifier("bench").setPostingEnabled(true).setRoutingEnabled(true)
                .setServerChannelEnabled(true).groupspecWithAuthorizations());
    }

    /** Members of the group {@code groupspec} names. */
    public GroupSimulation(long seed, long rttMillis, double loss, String groupspec) {
        net = new SimNetwork(seed);
        net.keepDelivered(false);
        net.setDefaultConditions(LinkConditions.PERFECT.withDelay(rttMillis * MILLI / 2).withLoss(loss));
        world = new SimRendezvous(net, Authenticator.open());
        spec = groupspec;
        random = new Random(seed);
    }

    public SimNetwork network() {
        return net;
    }

    /**
     * Runs {@code hook} for each member joining from now on, as soon as its NetGroup is made and
     * before it hears of anyone: a service on the group (a store listening for its directed
     * messages) is there from the start, as an application opens it, not only once {@link #join}
     * returns, by when the first members of the batch may have had neighbors for a second.
     */
    public void onGroup(Consumer<Member> hook) {
        onGroup = hook;
    }

    public List<Member> live() {
        return members.stream().filter(m -> m.alive).toList();
    }

    /**
     * Adds {@code n} members, {@link #JOINS_PER_SECOND} a second, and runs until each has
     * connected to the server and made its NetGroup.
     *
     * @throws IllegalStateException if some member could not connect within two minutes
     */
    public List<Member> join(int n) {
        List<Member> added = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Member m = new Member();
            members.add(m);
            added.add(m);
            if ((i + 1) % (JOINS_PER_SECOND / 10) == 0) {
                net.runFor(100 * MILLI);
            }
        }
        if (!runUntil(() -> added.stream().allMatch(m -> m.group != null), 120 * SECOND)) {
            throw new IllegalStateException("some members could not connect to the simulated server");
        }
        return added;
    }

    /** Takes {@code fraction} of the live members off the network at once, without a word. */
    public List<Member> crash(double fraction) {
        List<Member> live = new ArrayList<>(live());
        Collections.shuffle(live, random);
        List<Member> gone = live.subList(0, (int) Math.round(live.size() * fraction));
        for (Member m : gone) {
            m.alive = false;
            m.host.close();
        }
        return List.copyOf(gone);
    }

    /**
     * Runs until every live member has its true ring predecessor and successor among its neighbors
     * and the neighbor graph of live members is connected.
     *
     * @return the virtual microseconds it took, or -1 if not within {@code limitMicros}
     */
    public long converge(long limitMicros) {
        long start = net.now();
        return runUntil(this::converged, limitMicros) ? net.now() - start : -1;
    }

    /**
     * Runs until {@code condition} holds, checking it every {@link #CHECK_MICROS} of virtual time,
     * not after every event as {@link SimNetwork#runUntil} does: a check that walks every member
     * after every event costs members × events, which grows as the square of the members.
     *
     * @return whether it held within {@code limitMicros}
     */
    public boolean runUntil(BooleanSupplier condition, long limitMicros) {
        long end = net.now() + limitMicros;
        while (!condition.getAsBoolean()) {
            if (net.now() >= end) {
                return false;
            }
            net.runFor(Math.min(CHECK_MICROS, end - net.now()));
        }
        return true;
    }

    boolean converged() {
        List<Member> live = live();
        NavigableMap<GroupAddress, Member> ring = new TreeMap<>();
        for (Member m : live) {
            ring.put(m.address, m);
        }
        Map<String, Member> byPeer = new HashMap<>();
        for (Member m : live) {
            byPeer.put(m.nc.nearId(), m);
        }
        for (Member m : live) {
            Set<String> neighbors = new HashSet<>();
            for (NetGroup.NeighborInfo n : m.group.neighbors()) {
                neighbors.add(n.peerId());
            }
            if (live.size() > 1) {
                Map.Entry<GroupAddress, Member> up = ring.higherEntry(m.address);
                Map.Entry<GroupAddress, Member> down = ring.lowerEntry(m.address);
                Member succ = (up != null ? up : ring.firstEntry()).getValue();
                Member pred = (down != null ? down : ring.lastEntry()).getValue();
                if (!neighbors.contains(succ.nc.nearId()) || !neighbors.contains(pred.nc.nearId())) {
                    return false;
                }
            }
        }
        // Connected: a walk over neighbor links from one member reaches them all.
        Set<Member> seen = new HashSet<>();
        ArrayDeque<Member> todo = new ArrayDeque<>();
        todo.add(live.get(0));
        seen.add(live.get(0));
        while (!todo.isEmpty()) {
            for (NetGroup.NeighborInfo n : todo.poll().group.neighbors()) {
                Member o = byPeer.get(n.peerId());
                if (o != null && seen.add(o)) {
                    todo.add(o);
                }
            }
        }
        return seen.size() == live.size();
    }

    /** Postings made and delivered: coverage and delays. */
    public record Spread(int expected, int delivered, List<Long> delaysMicros, long bytes) {
        public double coverage() {
            return expected == 0 ? 1 : (double) delivered / expected;
        }
    }

    /**
     * Posts {@code count} messages from random live members, 100 ms apart, and waits until every
     * member live at the time of the posting has it, or {@link #DELIVERY_LIMIT_MICROS} passed.
     * Members that have no neighbor yet (still joining) are not counted.
     */
    public Spread post(int count) {
        return post(count, 60);
    }

    /** The same with postings of {@code size} characters of text each. */
    public Spread post(int count, int size) {
        long bytesBefore = postingBytes();
        Map<String, Long> postedAt = new HashMap<>();
        Map<String, List<Member>> audience = new HashMap<>();
        for (int i = 0; i < count; i++) {
            List<Member> live = live();
            Member from = live.get(random.nextInt(live.size()));
            String head = "posting " + i + " from " + from.nc.nearId().substring(0, 8) + " at " + net.now() + " ";
            String id = from.group.post(head.length() >= size ? head : head + "x".repeat(size - head.length()));
            postedAt.put(id, net.now());
            audience.put(id, live.stream().filter(m -> m != from && m.group.neighborCount() > 0).toList());
            net.runFor(100 * MILLI);
        }
        long limit = net.now() + DELIVERY_LIMIT_MICROS;
        while (net.now() < limit && !audience.entrySet().stream()
                .allMatch(e -> e.getValue().stream().allMatch(m -> !m.alive || m.postings.containsKey(e.getKey())))) {
            net.runFor(10 * MILLI);
        }
        int expected = 0;
        int delivered = 0;
        List<Long> delays = new ArrayList<>();
        for (Map.Entry<String, List<Member>> e : audience.entrySet()) {
            for (Member m : e.getValue()) {
                if (!m.alive) {
                    continue;
                }
                expected++;
                Long at = m.postings.get(e.getKey());
                if (at != null) {
                    delivered++;
                    delays.add(at - postedAt.get(e.getKey()));
                }
            }
        }
        return new Spread(expected, delivered, delays, postingBytes() - bytesBefore);
    }

    private long postingBytes() {
        long sum = 0;
        for (Member m : members) {
            NetGroupInfo info = m.group.info();
            sum += info.postingSendDataBytes() + info.postingSendControlBytes();
        }
        return sum;
    }

    /** Directed messages sent: where they arrived and in how many hops. */
    public record Routes(int sent, int deliveredToNearest, List<Integer> hops) {
        public double deliveredRatio() {
            return sent == 0 ? 1 : (double) deliveredToNearest / sent;
        }
    }

    /**
     * Sends {@code count} directed messages from random live members with every member in
     * {@code mode}: in {@code NEAREST} mode to random addresses, in {@code EXACT} mode to random
     * members' own addresses; counts those that reached the member nearest their address.
     */
    public Routes route(int count, ReceiveMode mode) {
        for (Member m : live()) {
            m.group.setReceiveMode(mode);
            m.directed.clear();
        }
        net.runFor(SECOND);
        List<Member> live = live();
        Map<String, GroupAddress> expected = new HashMap<>();
        for (int i = 0; i < count; i++) {
            Member from = live.get(random.nextInt(live.size()));
            GroupAddress destination;
            if (mode == ReceiveMode.NEAREST) {
                byte[] b = new byte[GroupAddress.LENGTH];
                random.nextBytes(b);
                destination = new GroupAddress(b);
            } else {
                destination = live.get(random.nextInt(live.size())).address;
            }
            String tag = "route " + i;
            from.group.sendToNearest(tag, destination.hex());
            List<GroupAddress> addresses = live.stream().map(m -> m.address).toList();
            expected.put(tag, Ring.nearest(addresses, destination).orElseThrow());
            net.runFor(20 * MILLI);
        }
        long limit = net.now() + DELIVERY_LIMIT_MICROS;
        while (net.now() < limit && live.stream().mapToInt(m -> m.directed.size()).sum() < count) {
            net.runFor(10 * MILLI);
        }
        int right = 0;
        List<Integer> hops = new ArrayList<>();
        for (Member m : live) {
            for (Map<String, Object> info : m.directed) {
                if (m.address.equals(expected.get((String) info.get("message")))) {
                    right++;
                    hops.add(((Number) info.get("hops")).intValue());
                }
            }
        }
        return new Routes(count, right, hops);
    }

    /** The whole benchmark: join, converge, post, route. */
    public static Result run(Params p) {
        GroupSimulation sim = new GroupSimulation(p.seed(), p.rttMillis(), p.loss());
        sim.join(p.peers());
        long converged = sim.converge(300 * SECOND);
        // Then a while as a group lives: surplus neighbors asked to go, reports exchanged.
        sim.net.runFor(SETTLE_MICROS);
        Spread spread = sim.post(p.posts(), p.postBytes());
        Routes routes = sim.route(p.routes(), ReceiveMode.NEAREST);
        List<Long> delays = new ArrayList<>(spread.delaysMicros());
        Collections.sort(delays);
        List<Integer> hops = new ArrayList<>(routes.hops());
        Collections.sort(hops);
        List<Integer> neighbors = new ArrayList<>();
        for (Member m : sim.live()) {
            neighbors.add(m.group.neighborCount());
        }
        Collections.sort(neighbors);
        return new Result(p.peers(), p.rttMillis(), p.loss(), p.seed(), converged < 0 ? -1 : converged / MILLI,
                spread.coverage(), percentile(delays, 0.5) / MILLI, percentile(delays, 0.99) / MILLI,
                hops.isEmpty() ? 0 : percentile(hops, 0.5), hops.isEmpty() ? 0 : hops.get(hops.size() - 1),
                routes.deliveredRatio(), (double) spread.bytes() / p.peers() / p.posts(), p.postBytes(),
                percentile(neighbors, 0.5),
                sim.net.now() / 1e6);
    }

    static <T extends Number> double percentile(List<T> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
        return sorted.get(Math.max(0, i)).doubleValue();
    }
}
