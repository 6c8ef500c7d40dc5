package io.rtmfp4j.core.sim;

import io.rtmfp4j.core.session.CryptoOffload;
import io.rtmfp4j.core.session.Datagram;
import io.rtmfp4j.core.session.Endpoint;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * A deterministic network of sans-IO endpoints on a virtual clock. Every datagram an endpoint
 * emits is queued, serialized, delivered (or lost, duplicated, delayed, reordered) according to
 * per-link {@link LinkConditions} and optional per-host uplinks, with all randomness drawn from
 * one seeded source in a fixed order, so a failing run replays exactly from its seed.
 *
 * <p>A datagram from host H to address D travels: H's test filters; H's uplink queue, if
 * {@linkplain #setUplink set} (a bottleneck shared by everything H sends, so two sessions from H
 * compete for it); the transmit queue of the one-way link (H, D), serialized at the link's
 * bandwidth; then loss, duplication and propagation delay with jitter and reordering. Both
 * queues are FIFO and drop-tail. {@link #linkStats} counts what happened to each link's traffic.
 * Links are named by the addresses on the wire, i.e. after NAT {@linkplain #rebind mapping};
 * uplinks by the host's own address.
 *
 * <p>Single-threaded: endpoints, timers and crypto completions all run in {@link #step()}.
 *
 * <h2>Seeds and replaying a failure</h2>
 * Pick the seed with {@link #seedFromEnvironment(long)} and register {@code SimSeedExtension} (core test-jar):
 * <pre>{@code
 * @ExtendWith(SimSeedExtension.class)
 * class MyTest {
 *     final SimNetwork net = new SimNetwork(SimNetwork.seedFromEnvironment(System.nanoTime()));
 * }}</pre>
 * A failing test then prints the seed of every network it built. Replay it with the system
 * property {@value #SEED_PROPERTY}, which Maven passes on to the tests:
 * <pre>{@code
 * ./mvnw -pl core test -Dtest='MyTest#theFailingTest' -Drtmfp.sim.seed=1234567890
 * }</pre>
 * The property gives every network the same seed, so a test that must replay should build one
 * network from it (further randomness can come from {@link #newSecureRandom()}).
 */
public final class SimNetwork {
    /** System property that, when set, overrides the seed {@link #seedFromEnvironment} returns. */
    public static final String SEED_PROPERTY = "rtmfp.sim.seed";
    /**
     * Seeds of the networks recently built on this thread, for {@code SimSeedExtension} (core test-jar). Seeds
     * rather than networks, and bounded, so tests that do not use the extension leak nothing.
     */
    private static final ThreadLocal<ArrayDeque<Long>> RECENT_SEEDS = ThreadLocal.withInitial(ArrayDeque::new);
    private static final int RECENT_SEEDS_KEPT = 32;

    private final long seed;
    private final Random random;
    private final Map<InetSocketAddress, Endpoint> hosts = new LinkedHashMap<>();
    /** Hosts that are not endpoints: they only receive, and send with {@link #inject}. */
    private final Map<InetSocketAddress, Consumer<SimPacket>> rawHosts = new LinkedHashMap<>();
    private final Map<Link, LinkConditions> links = new HashMap<>();
    private final Map<Link, LinkState> linkStates = new LinkedHashMap<>();
    private final Map<InetSocketAddress, Uplink> uplinks = new HashMap<>();
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    /**
     * Endpoints' timers: each endpoint's deadline is read again whenever something touched it (a
     * datagram, a timer, an action on its host), so a step costs O(log n) however many hosts there are.
     */
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Map<InetSocketAddress, Long> armed = new HashMap<>();
    private final List<SimPacket> delivered = new ArrayList<>();
    private boolean keepDelivered = true;
    private final List<Predicate<SimPacket>> filters = new ArrayList<>();
    /** Inside address → the address its datagrams appear to come from (a NAT mapping). */
    private final Map<InetSocketAddress, InetSocketAddress> outsideOf = new HashMap<>();
    private final Map<InetSocketAddress, InetSocketAddress> insideOf = new HashMap<>();
    private LinkConditions defaults = LinkConditions.PERFECT;
    private long now = 1_000_000;
    private long sequence;

    /** An action at a time; {@code host} names the one endpoint it touches, or is null for any. */
    private record Event(long at, long order, InetSocketAddress host, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    /** An endpoint's timer as it was armed; entries the endpoint re-armed since are skipped. */
    private record Timer(long at, long order, InetSocketAddress host) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    /** A one-way link, named by the addresses on the wire. */
    private record Link(InetSocketAddress from, InetSocketAddress to) {
    }

    /** A one-way link's transmit queue and counters. */
    private static final class LinkState {
        final TransmitQueue queue = new TransmitQueue();
        long sent;
        long filtered;
        long queueDropped;
        long lost;
        long duplicated;
        long reordered;
        long delivered;
        long unreachable;
        long bytesSent;
        long bytesDelivered;

        LinkStats snapshot() {
            return new LinkStats(sent, filtered, queueDropped, lost, duplicated, reordered, delivered, unreachable,
                    bytesSent, bytesDelivered);
        }
    }

    private static final class Uplink {
        final TransmitQueue queue = new TransmitQueue();
        long rate;
        int limit;
    }

    public SimNetwork(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        ArrayDeque<Long> recent = RECENT_SEEDS.get();
        if (recent.size() == RECENT_SEEDS_KEPT) {
            recent.removeFirst();
        }
        recent.addLast(seed);
    }

    /**
     * The seed named by the system property {@value #SEED_PROPERTY} if it is set, else
     * {@code defaultSeed} (typically {@code System.nanoTime()}, so every run explores a new one).
     *
     * @throws IllegalArgumentException if the property is set but is not a decimal long
     */
    public static long seedFromEnvironment(long defaultSeed) {
        String value = System.getProperty(SEED_PROPERTY);
        if (value == null || value.isBlank()) {
            return defaultSeed;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SEED_PROPERTY + " must be a decimal long, was '" + value + "'", e);
        }
    }

    /** Seeds of the networks built on this thread since {@link #forgetRecentSeeds()}, oldest first. */
    static List<Long> recentSeeds() {
        return List.copyOf(RECENT_SEEDS.get());
    }

    static void forgetRecentSeeds() {
        RECENT_SEEDS.get().clear();
    }

    public long seed() {
        return seed;
    }

    public long now() {
        return now;
    }

    /** Deterministic randomness for the endpoints' keys, tags and session IDs. */
    public java.security.SecureRandom newSecureRandom() {
        return new DeterministicRandom(random.nextLong());
    }

    /**
     * Crypto completions delayed by {@code latency} of virtual time, as if DH ran on a worker
     * thread: exercises the asynchrony of keying without threads.
     */
    public CryptoOffload offload(long latency) {
        return offload(latency, null);
    }

    /**
     * The same, for the endpoint at {@code host} alone: its completions touch nothing else, so only
     * that endpoint is looked at afterwards (null: any endpoint, as {@link #offload(long)}).
     */
    public CryptoOffload offload(long latency, InetSocketAddress host) {
        return new CryptoOffload() {
            @Override
            public void execute(Runnable work) {
                work.run();
            }

            @Override
            public void runOnLoop(LongConsumer task) {
                schedule(now + latency, host, () -> task.accept(now));
            }
        };
    }

    public void attach(InetSocketAddress address, Endpoint endpoint) {
        rawHosts.remove(address);
        hosts.put(address, endpoint);
        touched(address);
    }

    /**
     * Attaches a host that is not an {@link Endpoint}: {@code receiver} gets every datagram that
     * arrives at {@code address} (at {@link #now()}), and the host sends with {@link #inject}.
     * For tests of the network itself and for scripted or misbehaving peers.
     */
    public void attach(InetSocketAddress address, Consumer<SimPacket> receiver) {
        hosts.remove(address);
        rawHosts.put(address, receiver);
    }

    public void detach(InetSocketAddress address) {
        hosts.remove(address);
        rawHosts.remove(address);
        armed.remove(address);
    }

    /**
     * From now on, datagrams from {@code inside} appear to come from {@code outside}, and datagrams
     * to {@code outside} reach {@code inside}: a NAT that picked a new mapping.
     */
    public void rebind(InetSocketAddress inside, InetSocketAddress outside) {
        InetSocketAddress old = outsideOf.put(inside, outside);
        if (old != null) {
            insideOf.remove(old);
        }
        insideOf.put(outside, inside);
    }

    public void setDefaultConditions(LinkConditions conditions) {
        defaults = conditions;
    }

    /**
     * Conditions of the one-way link {@code from → to}. A datagram takes the conditions in force
     * when it is sent; its queue position is kept if the bandwidth changes.
     */
    public void setConditions(InetSocketAddress from, InetSocketAddress to, LinkConditions conditions) {
        links.put(new Link(from, to), conditions);
    }

    /**
     * Puts a bottleneck in front of everything the host at {@code host} sends, to any
     * destination, before each link's own queue: the host's access link. Two sessions from one
     * host then share its bandwidth, as they would behind one DSL line.
     *
     * @param bytesPerSecond serialization rate; 0 for unlimited
     * @param queueLimitBytes bytes the uplink queue holds (drop-tail); 0 for unlimited
     */
    public void setUplink(InetSocketAddress host, long bytesPerSecond, int queueLimitBytes) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("uplink bandwidth must be >= 0, was " + bytesPerSecond);
        }
        if (queueLimitBytes < 0) {
            throw new IllegalArgumentException("uplink queue limit must be >= 0, was " + queueLimitBytes);
        }
        Uplink u = uplinks.computeIfAbsent(host, h -> new Uplink());
        u.rate = bytesPerSecond;
        u.limit = queueLimitBytes;
    }

    /** What happened so far to datagrams sent from {@code from} to {@code to} (addresses on the wire). */
    public LinkStats linkStats(InetSocketAddress from, InetSocketAddress to) {
        LinkState s = linkStates.get(new Link(from, to));
        return s == null ? LinkStats.NONE : s.snapshot();
    }

    /** The sum of {@link #linkStats} over every link. */
    public LinkStats totalStats() {
        LinkStats total = LinkStats.NONE;
        for (LinkState s : linkStates.values()) {
            total = total.plus(s.snapshot());
        }
        return total;
    }

    /** Drops every datagram the predicate accepts (evaluated at send time, in order of addition). */
    public void addFilter(Predicate<SimPacket> dropIf) {
        filters.add(dropIf);
    }

    /**
     * Every datagram delivered to an attached host so far, in delivery order; empty once
     * {@link #keepDelivered} was turned off.
     */
    public List<SimPacket> delivered() {
        return delivered;
    }

    /**
     * Whether {@link #delivered()} keeps every datagram (the default, for tests that look at them).
     * A long or large simulation turns it off: the link statistics still count everything.
     */
    public void keepDelivered(boolean keep) {
        keepDelivered = keep;
        if (!keep) {
            delivered.clear();
        }
    }

    /**
     * Sends {@code data} now as if the host at {@code from} had: through its NAT mapping, filters,
     * uplink and the link to {@code to}. The array is not copied.
     */
    public void inject(InetSocketAddress from, InetSocketAddress to, byte[] data) {
        send(from, new SimPacket(outsideOf.getOrDefault(from, from), to, data, now));
    }

    /** Collects what {@code endpoint} wants to send and puts it on the wire. */
    public void flush(InetSocketAddress from) {
        Endpoint e = hosts.get(from);
        if (e == null) {
            return;
        }
        Datagram d;
        InetSocketAddress source = outsideOf.getOrDefault(from, from);
        while ((d = e.pollTransmit()) != null) {
            send(from, new SimPacket(source, d.destination(), d.data(), now));
        }
    }

    /**
     * Puts {@code p}, sent by the host at {@code host}, on the wire. Queues are computed eagerly
     * (departure times are known now), and random draws come in a fixed order, each only when
     * its condition is non-zero: loss, duplication, then per copy jitter and reordering.
     */
    private void send(InetSocketAddress host, SimPacket p) {
        Link link = new Link(p.from(), p.to());
        LinkState state = linkStates.computeIfAbsent(link, l -> new LinkState());
        int size = p.data().length;
        state.sent++;
        state.bytesSent += size;
        for (Predicate<SimPacket> f : filters) {
            if (f.test(p)) {
                state.filtered++;
                return;
            }
        }
        LinkConditions c = links.getOrDefault(link, defaults);
        long departure = now;
        Uplink uplink = uplinks.get(host);
        if (uplink != null) {
            departure = uplink.queue.enqueue(departure, size, uplink.rate, uplink.limit);
        }
        if (departure != TransmitQueue.FULL) {
            // Leaving the uplink in FIFO order keeps this link's entry times nondecreasing.
            departure = state.queue.enqueue(departure, size, c.bandwidth(), c.queueLimit());
        }
        if (departure == TransmitQueue.FULL) {
            state.queueDropped++;
            return;
        }
        if (random.nextDouble() < c.loss()) {
            state.lost++;
            return;
        }
        int copies = random.nextDouble() < c.duplicate() ? 2 : 1;
        if (copies == 2) {
            state.duplicated++;
        }
        for (int i = 0; i < copies; i++) {
            long delay = c.delay() + (c.jitter() == 0 ? 0 : (long) (random.nextDouble() * c.jitter()));
            if (c.reorder() > 0 && random.nextDouble() < c.reorder()) {
                delay += c.reorderDelay();
                state.reordered++;
            }
            schedule(departure + delay, insideOf.getOrDefault(p.to(), p.to()), () -> deliver(state, p));
        }
    }

    private void deliver(LinkState link, SimPacket p) {
        InetSocketAddress address = insideOf.getOrDefault(p.to(), p.to());
        Endpoint target = hosts.get(address);
        Consumer<SimPacket> raw = rawHosts.get(address);
        if (target == null && raw == null) {
            link.unreachable++;
            return;
        }
        link.delivered++;
        link.bytesDelivered += p.data().length;
        if (keepDelivered) {
            delivered.add(p);
        }
        if (target != null) {
            target.receive(p.from(), p.data(), 0, p.data().length, now);
        } else {
            raw.accept(p);
        }
    }

    /** Runs {@code action} at virtual time {@code at}; it may touch any endpoint. */
    public void schedule(long at, Runnable action) {
        events.add(new Event(Math.max(at, now), sequence++, null, action));
    }

    /**
     * Runs {@code action} at virtual time {@code at}; it touches the endpoint at {@code host} alone
     * (a host's own work), so only that endpoint's output and timer are looked at afterwards; a
     * null {@code host} means any endpoint.
     */
    public void schedule(long at, InetSocketAddress host, Runnable action) {
        events.add(new Event(Math.max(at, now), sequence++, host, action));
    }

    /** Advances to the next event or timer and runs it; false when nothing is left to do. */
    public boolean step() {
        Timer timer = nextTimer();
        long eventAt = events.isEmpty() ? Long.MAX_VALUE : events.peek().at;
        if (timer == null && eventAt == Long.MAX_VALUE) {
            return false;
        }
        // On a tie the event goes first, then the timer.
        if (timer != null && timer.at < eventAt) {
            timers.poll();
            armed.remove(timer.host);
            now = Math.max(now, timer.at);
            hosts.get(timer.host).onTimer(now);
            touched(timer.host);
        } else {
            Event e = events.poll();
            now = Math.max(now, e.at);
            e.action.run();
            if (e.host != null) {
                touched(e.host);
            } else {
                flushAll();
            }
        }
        return true;
    }

    /**
     * Puts on the wire whatever every endpoint queued and reads every endpoint's timer again, e.g.
     * after a test called a session directly.
     */
    public void flushAll() {
        for (InetSocketAddress a : new ArrayList<>(hosts.keySet())) {
            touched(a);
        }
    }

    /** Sends what the endpoint at {@code a} queued and re-arms its timer. */
    private void touched(InetSocketAddress a) {
        flush(a);
        Endpoint e = hosts.get(a);
        long deadline = e == null ? Long.MAX_VALUE : e.nextDeadline();
        if (deadline == Long.MAX_VALUE) {
            armed.remove(a);
            return;
        }
        Long current = armed.put(a, deadline);
        if (current == null || current != deadline) {
            timers.add(new Timer(deadline, sequence++, a));
        }
    }

    /** The earliest timer still armed as queued, stale entries dropped on the way. */
    private Timer nextTimer() {
        Timer t;
        while ((t = timers.peek()) != null) {
            Long at = armed.get(t.host);
            if (at != null && at == t.at && hosts.containsKey(t.host)) {
                return t;
            }
            timers.poll();
        }
        return null;
    }

    /** Steps until the condition holds; false if it did not within {@code maxMicros} of virtual time. */
    public boolean runUntil(BooleanSupplier condition, long maxMicros) {
        flushAll();
        long end = now + maxMicros;
        while (!condition.getAsBoolean()) {
            long next = nextTime();
            if (next == Long.MAX_VALUE || next > end) {
                now = Math.max(now, Math.min(end, next));
                return condition.getAsBoolean();
            }
            step();
        }
        return true;
    }

    /** Runs every event and timer up to {@code micros} from now. */
    public void runFor(long micros) {
        flushAll();
        long end = now + micros;
        while (nextTime() <= end) {
            step();
        }
        now = Math.max(now, end);
    }

    private long nextTime() {
        long next = events.isEmpty() ? Long.MAX_VALUE : events.peek().at;
        Timer t = nextTimer();
        return t == null ? next : Math.min(next, t.at);
    }

    @Override
    public String toString() {
        return "SimNetwork[seed=" + seed + ", now=" + now + "]";
    }
}
