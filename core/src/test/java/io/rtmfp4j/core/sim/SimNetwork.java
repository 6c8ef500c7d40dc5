package io.rtmfp4j.core.sim;

import io.rtmfp4j.core.session.CryptoOffload;
import io.rtmfp4j.core.session.Datagram;
import io.rtmfp4j.core.session.Endpoint;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * A deterministic network of sans-IO endpoints on a virtual clock. Every datagram an endpoint
 * emits is delivered (or lost, duplicated, delayed) according to per-link conditions drawn from
 * a seeded random source, so a failing run replays exactly from its seed.
 *
 * <p>Single-threaded: endpoints, timers and crypto completions all run in {@link #step()}.
 */
public final class SimNetwork {
    private final long seed;
    private final Random random;
    private final Map<InetSocketAddress, Endpoint> hosts = new LinkedHashMap<>();
    private final Map<List<InetSocketAddress>, LinkConditions> links = new HashMap<>();
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final List<SimPacket> delivered = new ArrayList<>();
    private final List<Predicate<SimPacket>> filters = new ArrayList<>();
    /** Inside address → the address its datagrams appear to come from (a NAT mapping). */
    private final Map<InetSocketAddress, InetSocketAddress> outsideOf = new HashMap<>();
    private final Map<InetSocketAddress, InetSocketAddress> insideOf = new HashMap<>();
    private LinkConditions defaults = LinkConditions.PERFECT;
    private long now = 1_000_000;
    private long sequence;

    private record Event(long at, long order, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    public SimNetwork(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
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
        return new CryptoOffload() {
            @Override
            public void execute(Runnable work) {
                work.run();
            }

            @Override
            public void runOnLoop(LongConsumer task) {
                schedule(now + latency, () -> task.accept(now));
            }
        };
    }

    public void attach(InetSocketAddress address, Endpoint endpoint) {
        hosts.put(address, endpoint);
    }

    public void detach(InetSocketAddress address) {
        hosts.remove(address);
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

    /** Conditions of the one-way link {@code from → to}. */
    public void setConditions(InetSocketAddress from, InetSocketAddress to, LinkConditions conditions) {
        links.put(List.of(from, to), conditions);
    }

    /** Drops every datagram the predicate accepts (evaluated at send time, in order of addition). */
    public void addFilter(Predicate<SimPacket> dropIf) {
        filters.add(dropIf);
    }

    /** Every datagram delivered so far, in delivery order. */
    public List<SimPacket> delivered() {
        return delivered;
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
            send(new SimPacket(source, d.destination(), d.data(), now));
        }
    }

    private void send(SimPacket p) {
        for (Predicate<SimPacket> f : filters) {
            if (f.test(p)) {
                return;
            }
        }
        LinkConditions c = links.getOrDefault(List.of(p.from(), p.to()), defaults);
        if (random.nextDouble() < c.loss()) {
            return;
        }
        int copies = random.nextDouble() < c.duplicate() ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long delay = c.delay() + (c.jitter() == 0 ? 0 : (long) (random.nextDouble() * c.jitter()));
            schedule(now + delay, () -> deliver(p));
        }
    }

    private void deliver(SimPacket p) {
        Endpoint target = hosts.get(insideOf.getOrDefault(p.to(), p.to()));
        if (target == null) {
            return;
        }
        delivered.add(p);
        target.receive(p.from(), p.data(), 0, p.data().length, now);
    }

    /** Runs {@code action} at virtual time {@code at}. */
    public void schedule(long at, Runnable action) {
        events.add(new Event(Math.max(at, now), sequence++, action));
    }

    /** Advances to the next event or timer and runs it; false when nothing is left to do. */
    public boolean step() {
        long next = events.isEmpty() ? Long.MAX_VALUE : events.peek().at;
        Endpoint timerOwner = null;
        for (Endpoint e : hosts.values()) {
            long d = e.nextDeadline();
            if (d < next) {
                next = d;
                timerOwner = e;
            }
        }
        if (next == Long.MAX_VALUE) {
            return false;
        }
        now = Math.max(now, next);
        if (timerOwner != null) {
            timerOwner.onTimer(now);
        } else {
            events.poll().action.run();
        }
        flushAll();
        return true;
    }

    /** Puts on the wire whatever every endpoint queued, e.g. after a test called a session directly. */
    public void flushAll() {
        for (InetSocketAddress a : new ArrayList<>(hosts.keySet())) {
            flush(a);
        }
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
        for (Endpoint e : hosts.values()) {
            next = Math.min(next, e.nextDeadline());
        }
        return next;
    }

    @Override
    public String toString() {
        return "SimNetwork[seed=" + seed + ", now=" + now + "]";
    }
}
