package io.rtmfp4j.bench;

import io.rtmfp4j.flash.group.GroupAddress;
import io.rtmfp4j.flash.group.overlay.Ring;
import io.rtmfp4j.flash.store.GroupStore;
import io.rtmfp4j.flash.store.StoreCounters;
import io.rtmfp4j.flash.store.StoreEntry;
import io.rtmfp4j.flash.store.WriterKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link GroupStore} on many members of one group in simulation, as Kademlia is measured: every
 * key written once from a random member, then members leave without a word and others join, in
 * waves the store has time to repair between, then every key looked up from a random member.
 * {@code rtmfp bench dht} runs {@link #run} and prints its {@link Result}.
 */
public final class DhtSimulation {
    static final long SECOND = GroupSimulation.SECOND;
    static final long MILLI = GroupSimulation.MILLI;
    /** Writes and lookups started per second of virtual time, across the group. */
    static final int REQUESTS_PER_SECOND = 500;

    /**
     * @param peers  members
     * @param keys   keys written, then looked up
     * @param churn  the fraction of members that leave (and as many join) between writing and reading
     * @param waves  in how many waves they leave, the store repairing between
     * @param seed   the simulation's seed
     */
    public record Params(int peers, int keys, double churn, int waves, long rttMillis, double loss, long seed) {
        public Params {
            if (peers < 4 || keys < 1 || churn < 0 || churn > 0.9 || waves < 1 || rttMillis < 1 || loss < 0
                    || loss >= 1) {
                throw new IllegalArgumentException("peers >= 4, keys >= 1, churn 0..0.9, waves >= 1, rtt >= 1 ms, "
                        + "loss in [0, 1)");
            }
        }
    }

    /**
     * What {@link #run} measured.
     *
     * @param storedRatio      the writes the member nearest their key kept
     * @param replicatedRatio  the keys each of the 3 live members nearest them held after the churn
     * @param retrievableRatio the keys whose lookup after the churn found the value written
     * @param lookupHopsMedian hops of those lookups to the member that answered, median
     * @param hopBound         ⌈log2 N⌉ + 2 for the members at lookup time
     */
    public record Result(int peers, int keys, double churn, int waves, long seed, double storedRatio,
            double replicatedRatio, double retrievableRatio, double lookupHopsMedian, double lookupHopsP99, int lookupHopsMax, int hopBound,
            long writesSent, long copiesSent, long lookupsSent, long answersSent, double simulatedSeconds) {

        /** Store messages sent, all members: writes, copies between holders, lookups, answers. */
        public long messages() {
            return writesSent + copiesSent + lookupsSent + answersSent;
        }

        public String toJson() {
            return String.format(Locale.ROOT, "{\"bench\":\"dht\",\"peers\":%d,\"keys\":%d,\"churn\":%s,\"waves\":%d,"
                    + "\"seed\":%d,\"storedRatio\":%.6f,\"replicatedRatio\":%.6f,\"retrievableRatio\":%.6f,"
                    + "\"lookupHopsMedian\":%.1f,\"lookupHopsP99\":%.1f,\"lookupHopsMax\":%d,\"hopBound\":%d,\"messages\":%d,\"writesSent\":%d,"
                    + "\"copiesSent\":%d,\"lookupsSent\":%d,\"answersSent\":%d,\"messagesPerKey\":%.1f,"
                    + "\"simulatedSeconds\":%.1f}",
                    peers, keys, churn, waves, seed, storedRatio, replicatedRatio, retrievableRatio, lookupHopsMedian,
                    lookupHopsP99, lookupHopsMax, hopBound, messages(), writesSent, copiesSent, lookupsSent, answersSent,
                    (double) messages() / keys, simulatedSeconds);
        }
    }

    private final GroupSimulation sim;
    private final Random random;
    private final Map<GroupSimulation.Member, GroupStore> stores = new HashMap<>();
    private final List<StoreCounters> counters = new ArrayList<>();

    DhtSimulation(long seed, long rttMillis, double loss) {
        sim = new GroupSimulation(seed, rttMillis, loss,
                GroupStore.groupSpecifier("bench-dht").groupspecWithAuthorizations());
        random = new Random(seed);
        sim.onGroup(m -> {
            GroupStore s = GroupStore.open(m.group, m.nc, WriterKey.generate(), GroupStore.Settings.DEFAULT);
            stores.put(m, s);
            counters.add(s.counters());
        });
    }

    /**
     * Runs until the overlay of live members converged and no member still counts a member that
     * left among its neighbors (its session timed out), then gives the store {@code settleMicros}
     * to pass entries on.
     *
     * @throws IllegalStateException if that takes more than five minutes
     */
    void settle(long settleMicros) {
        long limit = sim.network().now() + 300 * SECOND;
        if (sim.converge(300 * SECOND) < 0 || !sim.runUntil(this::noDeadNeighbors, limit - sim.network().now())) {
            throw new IllegalStateException("the overlay did not settle");
        }
        sim.network().runFor(settleMicros);
    }

    private boolean noDeadNeighbors() {
        java.util.Set<String> live = new java.util.HashSet<>();
        for (GroupSimulation.Member m : sim.live()) {
            live.add(m.nc.nearId());
        }
        for (GroupSimulation.Member m : sim.live()) {
            for (var n : m.group.neighbors()) {
                if (!live.contains(n.peerId())) {
                    return false;
                }
            }
        }
        return true;
    }

    private GroupStore randomLive() {
        List<GroupSimulation.Member> live = sim.live();
        return stores.get(live.get(random.nextInt(live.size())));
    }

    /** Requests started at {@link #REQUESTS_PER_SECOND}, then run until all are done or two minutes pass. */
    private <T> List<CompletableFuture<T>> paced(int count, java.util.function.IntFunction<CompletableFuture<T>> start) {
        List<CompletableFuture<T>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(start.apply(i));
            if ((i + 1) % (REQUESTS_PER_SECOND / 100) == 0) {
                sim.network().runFor(10 * MILLI);
            }
        }
        sim.runUntil(() -> all.stream().allMatch(CompletableFuture::isDone), 120 * SECOND);
        return all;
    }

    private String progress(String step, int wave, double replicated) {
        long held = 0;
        for (GroupSimulation.Member m : sim.live()) {
            held += stores.get(m).heldCount();
        }
        return String.format(Locale.ROOT, "{\"step\":\"%s\",\"wave\":%d,\"seed\":%d,\"simulatedSeconds\":%.1f,"
                + "\"members\":%d,\"heldEntries\":%d,\"replicatedRatio\":%.6f}", step, wave, sim.network().seed(),
                sim.network().now() / 1e6, sim.live().size(), held, replicated);
    }

    /**
     * The fraction of the keys 0 … {@code keys - 1} that every one of the {@code replicas} live
     * members nearest them holds, as the store means to keep them.
     */
    double replicated(int keys) {
        NavigableMap<GroupAddress, GroupStore> ring = new TreeMap<>();
        for (GroupSimulation.Member m : sim.live()) {
            ring.put(m.address, stores.get(m));
        }
        int replicas = Math.min(GroupStore.Settings.DEFAULT.replicas(), ring.size());
        List<List<CompletableFuture<Boolean>>> copies = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            String key = "key " + i;
            GroupAddress at = StoreEntry.address(key);
            // The nearest are among the replicas members on either side of the key's address.
            List<GroupAddress> around = new ArrayList<>();
            GroupAddress up = at;
            GroupAddress down = at;
            for (int j = 0; j < replicas; j++) {
                up = Ring.successor(ring.navigableKeySet(), up).orElseThrow();
                down = Ring.predecessor(ring.navigableKeySet(), down).orElseThrow();
                around.add(up);
                around.add(down);
            }
            copies.add(around.stream().distinct().sorted(Ring.byDistanceTo(at)).limit(replicas)
                    .map(a -> ring.get(a).holds(key)).toList());
        }
        sim.network().runFor(0);
        long full = copies.stream().filter(c -> c.stream().allMatch(f -> f.getNow(false))).count();
        return (double) full / keys;
    }

    static byte[] value(int i) {
        return ("value of key " + i).getBytes(StandardCharsets.UTF_8);
    }

    /** The whole benchmark. */
    public static Result run(Params p) {
        return run(p, line -> { });
    }

    /**
     * The whole benchmark, telling {@code progress} how far it got after each step (a JSON line:
     * the step, the virtual time, the entries the live members hold): a long run that has to be
     * stopped still says something.
     */
    public static Result run(Params p, Consumer<String> progress) {
        DhtSimulation d = new DhtSimulation(p.seed(), p.rttMillis(), p.loss());
        d.sim.join(p.peers());
        d.settle(10 * SECOND);
        progress.accept(d.progress("converged", 0, 1));
        List<CompletableFuture<GroupStore.PutResult>> puts = d.paced(p.keys(),
                i -> d.randomLive().put("key " + i, value(i)));
        long stored = puts.stream().filter(f -> !f.isCompletedExceptionally() && f.join().stored()).count();
        d.settle(5 * SECOND);
        double replicated = d.replicated(p.keys());
        progress.accept(d.progress("written", 0, replicated));
        int total = (int) Math.round(p.peers() * p.churn());
        for (int w = 0; w < p.waves(); w++) {
            int n = total * (w + 1) / p.waves() - total * w / p.waves();
            if (n == 0) {
                continue;
            }
            for (GroupSimulation.Member gone : d.sim.crash((double) n / d.sim.live().size())) {
                d.stores.remove(gone);
            }
            d.sim.join(n);
            d.settle(5 * SECOND);
            replicated = d.replicated(p.keys());
            progress.accept(d.progress("wave", w + 1, replicated));
        }
        List<CompletableFuture<GroupStore.GetResult>> gets = d.paced(p.keys(), i -> d.randomLive().get("key " + i));
        progress.accept(d.progress("looked up", 0, replicated));
        int found = 0;
        List<Integer> hops = new ArrayList<>();
        for (int i = 0; i < gets.size(); i++) {
            CompletableFuture<GroupStore.GetResult> f = gets.get(i);
            if (f.isDone() && !f.isCompletedExceptionally() && f.join().found()
                    && Arrays.equals(f.join().value(), value(i))) {
                found++;
                hops.add(f.join().hops());
            }
        }
        Collections.sort(hops);
        int n = d.sim.live().size();
        int bound = 32 - Integer.numberOfLeadingZeros(n - 1) + 2;
        long writes = 0;
        long copies = 0;
        long lookups = 0;
        long answers = 0;
        for (StoreCounters c : d.counters) {
            writes += c.storesSent();
            copies += c.replicasSent();
            lookups += c.lookupsSent();
            answers += c.answersSent();
        }
        return new Result(p.peers(), p.keys(), p.churn(), p.waves(), p.seed(), (double) stored / p.keys(),
                replicated, (double) found / p.keys(), GroupSimulation.percentile(hops, 0.5), GroupSimulation.percentile(hops, 0.99),
                hops.isEmpty() ? 0 : hops.get(hops.size() - 1), bound, writes, copies, lookups, answers,
                d.sim.network().now() / 1e6);
    }
}
