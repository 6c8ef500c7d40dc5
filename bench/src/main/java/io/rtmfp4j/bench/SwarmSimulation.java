package io.rtmfp4j.bench;

import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.group.ReplicationStrategy;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.swarm.Swarm;
import io.rtmfp4j.flash.swarm.SwarmManifest;
import io.rtmfp4j.flash.swarm.SwarmProgress;
import io.rtmfp4j.flash.tc.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A swarming download in simulation: one member shares a file, the others fetch it at once, every
 * member's upload limited to the same rate (downloads are not), as BitTorrent's classic
 * experiments set it up. Measures how long until every downloader has the whole file against the
 * ideal (file size × downloaders ÷ the upload capacity of all members, and never less than the
 * time the seed needs to send one copy), and how much the seed sent. Optionally some downloaders
 * crash halfway and some members lie (they claim every chunk and send garbage). {@code rtmfp bench
 * swarm} runs it. Single-threaded, on virtual time.
 */
public final class SwarmSimulation {
    static final long SECOND = GroupSimulation.SECOND;
    static final long MILLI = GroupSimulation.MILLI;
    /** Bytes an uplink queues before it drops: about 50 ms at 10 Mbit/s, a modest home router's buffer. */
    static final int UPLINK_QUEUE = 64 * 1024;
    /** Simulated time between two progress lines. */
    static final long PROGRESS_PERIOD = 10 * SECOND;

    /**
     * @param peers          members: one seed and {@code peers - 1} downloaders
     * @param sizeBytes      the file's size
     * @param chunkSize      its chunks' size, a power of two
     * @param uplinkBytesPerSecond every member's upload rate
     * @param rttMillis      round-trip time between any two hosts
     * @param loss           loss rate of every link
     * @param strategy       the downloaders' replication strategy
     * @param leaveFraction  downloaders that crash halfway through the ideal time
     * @param liars          members besides those that claim every chunk and send garbage
     * @param seed           the simulation's seed
     */
    public record Params(int peers, long sizeBytes, int chunkSize, long uplinkBytesPerSecond, long rttMillis, double loss,
            ReplicationStrategy strategy, double leaveFraction, int liars, long seed) {
        public Params {
            if (peers < 2 || sizeBytes < 1 || sizeBytes > Integer.MAX_VALUE - 8 || uplinkBytesPerSecond < 1000
                    || rttMillis < 1 || loss < 0 || loss >= 1 || leaveFraction < 0 || leaveFraction >= 1 || liars < 0) {
                throw new IllegalArgumentException("peers >= 2, size 1 B..2 GiB, uplink >= 1000 B/s, rtt >= 1 ms, "
                        + "loss and leaving fraction in [0, 1), liars >= 0");
            }
            SwarmManifest.chunkSizeFor(sizeBytes);
        }

        /** The same with {@code liars} lying members. */
        public Params withLiars(int n) {
            return new Params(peers, sizeBytes, chunkSize, uplinkBytesPerSecond, rttMillis, loss, strategy, leaveFraction,
                    n, seed);
        }
    }

    /**
     * What {@link #run} measured.
     *
     * @param completedRatio  downloaders that stayed and have the whole file, over those that stayed
     * @param timeToAllMs     from the start until the last downloader that stayed completed; -1 if
     *                        some never did within the limit
     * @param idealMs         the ideal time (see the class comment)
     * @param medianMs        the median downloader's time
     * @param seedUploadRatio bytes the seed sent on its replication flows over the file's size
     * @param seedResentEarly chunks the seed sent again before it had sent every chunk once (a
     *                        downloader asks the seed for chunks it cannot see elsewhere, which may
     *                        be on their way to others)
     * @param seedBusy        what the seed sent over what its upload could have sent until the last
     *                        downloader completed (1: never idle)
     * @param uploadBusy      the same for every member's upload together
     * @param corruptWrites   chunks kept that differ from the original: must be 0
     * @param corruptReceived objects dropped because their hash was wrong
     * @param liarsAvoided    downloaders that stopped asking a lying member
     * @param honestAvoided   downloaders that stopped asking an honest member: must be 0
     * @param leftCorrupt     chunks the downloaders that crashed held that differ from the original: must be 0
     */
    public record Result(int peers, long sizeBytes, int chunkSize, long uplinkBytesPerSecond, String strategy,
            double leaveFraction, int liars, long seed, double completedRatio, long timeToAllMs, long idealMs,
            long medianMs, double seedUploadRatio, long seedResentEarly, double seedBusy, double uploadBusy,
            long corruptWrites, long corruptReceived, int liarsAvoided, int honestAvoided, long leftCorrupt,
            double simulatedSeconds) {

        public double timeOverIdeal() {
            return timeToAllMs < 0 ? -1 : (double) timeToAllMs / idealMs;
        }

        public String toJson() {
            return String.format(Locale.ROOT, "{\"bench\":\"swarm\",\"peers\":%d,\"sizeBytes\":%d,\"chunkSize\":%d,"
                    + "\"uplinkBytesPerSecond\":%d,\"strategy\":\"%s\",\"leaveFraction\":%s,\"liars\":%d,\"seed\":%d,"
                    + "\"completedRatio\":%.4f,\"timeToAllMs\":%d,\"idealMs\":%d,\"timeOverIdeal\":%.3f,\"medianMs\":%d,"
                    + "\"seedUploadRatio\":%.3f,\"seedResentEarly\":%d,\"seedBusy\":%.3f,\"uploadBusy\":%.3f,"
                    + "\"corruptWrites\":%d,\"corruptReceived\":%d,\"liarsAvoided\":%d,\"honestAvoided\":%d,\"leftCorrupt\":%d,\"simulatedSeconds\":%.1f}",
                    peers, sizeBytes, chunkSize, uplinkBytesPerSecond, strategy, leaveFraction, liars, seed, completedRatio,
                    timeToAllMs, idealMs, timeOverIdeal(), medianMs, seedUploadRatio, seedResentEarly, seedBusy,
                    uploadBusy, corruptWrites, corruptReceived, liarsAvoided, honestAvoided, leftCorrupt, simulatedSeconds);
        }
    }

    /** A downloader and how it fared. */
    private static final class Downloader {
        final GroupSimulation.Member member;
        final SimChunkStore store;
        final Swarm swarm;
        long doneAt = -1;
        boolean left;

        Downloader(GroupSimulation.Member member, SimChunkStore store, Swarm swarm) {
            this.member = member;
            this.store = store;
            this.swarm = swarm;
        }
    }

    private SwarmSimulation() {
    }

    /** The ideal time in microseconds: max(size / seed's upload, size × downloaders / everyone's upload). */
    static long idealMicros(long size, int downloaders, long uplink) {
        double seedBound = (double) size / uplink;
        double swarmBound = (double) size * downloaders / ((double) uplink * (downloaders + 1));
        return (long) (Math.max(seedBound, swarmBound) * 1e6);
    }

    public static Result run(Params p) {
        return run(p, line -> {
        });
    }

    /**
     * Runs it, and every 10 simulated seconds tells {@code progress} how far it got (a JSON line:
     * downloaders complete, chunks held over those wanted, what the seed sent, and the share of
     * the chunks it sent at least once): a long run that has to be stopped still says something.
     */
    public static Result run(Params p, Consumer<String> progress) {
        Random random = new Random(p.seed());
        byte[] content = new byte[(int) p.sizeBytes()];
        random.nextBytes(content);
        SwarmManifest manifest = SwarmManifest.of(content, p.chunkSize());
        String id = manifest.id();
        GroupSimulation sim = new GroupSimulation(p.seed(), p.rttMillis(), p.loss(),
                Swarm.groupSpecifier("bench", id).groupspecWithAuthorizations());
        List<GroupSimulation.Member> members = sim.join(p.peers() + p.liars());
        for (GroupSimulation.Member m : members) {
            sim.network().setUplink(m.host.address(), p.uplinkBytesPerSecond(), UPLINK_QUEUE);
        }
        sim.converge(300 * SECOND);

        long start = sim.network().now();
        GroupSimulation.Member seeder = members.get(0);
        SimChunkStore seedStore = new SimChunkStore(content, manifest, true);
        Swarm.share(seeder.group(), manifest, seedStore, null);
        Set<String> liarIds = new HashSet<>();
        for (GroupSimulation.Member liar : members.subList(p.peers(), members.size())) {
            lie(liar.group(), manifest, random);
            liarIds.add(liar.nc.nearId());
        }
        List<Downloader> downloaders = new ArrayList<>();
        for (GroupSimulation.Member m : members.subList(1, p.peers())) {
            SimChunkStore store = new SimChunkStore(content, manifest, false);
            Swarm swarm = Swarm.fetch(m.group(), id, x -> store, null);
            m.group().setReplicationStrategy(p.strategy());
            Downloader d = new Downloader(m, store, swarm);
            swarm.completion().thenRun(() -> d.doneAt = sim.network().now());
            downloaders.add(d);
        }

        long ideal = idealMicros(p.sizeBytes(), downloaders.size(), p.uplinkBytesPerSecond());
        long limit = start + Math.max(20 * ideal, 600 * SECOND);
        boolean leaving = p.leaveFraction() > 0;
        long nextProgress = start + PROGRESS_PERIOD;
        while (sim.network().now() < limit && !downloaders.stream().allMatch(d -> d.left || d.doneAt >= 0)) {
            sim.network().runFor(100 * MILLI);
            if (sim.network().now() >= nextProgress) {
                nextProgress += PROGRESS_PERIOD;
                progress.accept(progress(downloaders, manifest, seeder.group(), seedStore, p.sizeBytes(),
                        sim.network().now() - start));
            }
            if (leaving && sim.network().now() >= start + ideal / 2) {
                leaving = false;
                crash(downloaders, p.leaveFraction(), random);
            }
        }
        return result(p, manifest, seeder.group(), seedStore, downloaders, liarIds, start, ideal, sim.network().now());
    }

    private static String progress(List<Downloader> downloaders, SwarmManifest manifest, NetGroup seeder,
            SimChunkStore seedStore, long size, long elapsed) {
        long held = 0;
        int complete = 0;
        for (Downloader d : downloaders) {
            held += d.store.heldCount();
            complete += d.doneAt >= 0 ? 1 : 0;
        }
        return String.format(Locale.ROOT, "{\"simulatedSeconds\":%.1f,\"complete\":%d,\"heldRatio\":%.4f,"
                + "\"seedUploadRatio\":%.3f,\"seedSentChunks\":%.4f}", elapsed / 1e6, complete,
                (double) held / ((long) manifest.chunkCount() * downloaders.size()),
                (double) seeder.info().objectReplicationSendBytes() / size,
                (double) seedStore.readCount() / manifest.chunkCount());
    }

    /** Takes a fraction of the downloaders still downloading off the network, without a word. */
    private static void crash(List<Downloader> downloaders, double fraction, Random random) {
        List<Downloader> going = new ArrayList<>(downloaders.stream().filter(d -> d.doneAt < 0).toList());
        Collections.shuffle(going, random);
        for (Downloader d : going.subList(0, Math.min(going.size(), (int) Math.round(downloaders.size() * fraction)))) {
            d.left = true;
            d.member.alive = false;
            d.member.host.close();
        }
    }

    /** A member that claims every object and answers every request with garbage of the right size. */
    private static void lie(NetGroup group, SwarmManifest manifest, Random random) {
        group.addHaveObjects(0, manifest.chunkCount());
        group.addStatusListener((NetStatus s) -> {
            if (s.code().equals(Status.GROUP_REPLICATION_REQUEST)) {
                int index = ((Number) s.info().get("index")).intValue();
                byte[] garbage = new byte[index == 0 ? manifest.encode().length : manifest.chunkLength(index - 1)];
                random.nextBytes(garbage);
                group.writeRequestedObject((Integer) s.info().get("requestID"), garbage);
            }
        });
    }

    private static Result result(Params p, SwarmManifest manifest, NetGroup seeder, SimChunkStore seedStore,
            List<Downloader> downloaders, Set<String> liarIds, long start, long ideal, long now) {
        int stayed = 0;
        int completed = 0;
        long last = 0;
        List<Long> times = new ArrayList<>();
        long corruptWrites = 0;
        long corruptReceived = 0;
        long leftCorrupt = 0;
        int liarsAvoided = 0;
        int honestAvoided = 0;
        for (Downloader d : downloaders) {
            SwarmProgress progress = d.swarm.progress();
            corruptReceived += progress.corrupt();
            if (progress.avoided().stream().anyMatch(liarIds::contains)) {
                liarsAvoided++;
            }
            if (progress.avoided().stream().anyMatch(a -> !liarIds.contains(a))) {
                honestAvoided++;
            }
            if (d.left) {
                leftCorrupt += d.store.corruptWrites();
                continue;
            }
            stayed++;
            corruptWrites += d.store.corruptWrites();
            if (d.doneAt >= 0 && d.store.heldCount() == manifest.chunkCount()) {
                completed++;
                last = Math.max(last, d.doneAt - start);
                times.add(d.doneAt - start);
            }
        }
        Collections.sort(times);
        long seedSent = seeder.info().objectReplicationSendBytes();
        long allSent = seedSent;
        for (Downloader d : downloaders) {
            allSent += d.member.group().info().objectReplicationSendBytes();
        }
        double seconds = (completed == stayed ? last : now - start) / 1e6;
        double capacity = p.uplinkBytesPerSecond() * seconds;
        return new Result(p.peers(), p.sizeBytes(), p.chunkSize(), p.uplinkBytesPerSecond(), p.strategy().flashName(),
                p.leaveFraction(), p.liars(), p.seed(), stayed == 0 ? 1 : (double) completed / stayed,
                completed == stayed ? last / MILLI : -1, ideal / MILLI,
                times.isEmpty() ? -1 : (long) GroupSimulation.percentile(times, 0.5) / MILLI,
                (double) seedSent / p.sizeBytes(), seedStore.rereadEarly(), seedSent / capacity,
                allSent / (capacity * (downloaders.size() + 1)),
                corruptWrites, corruptReceived, liarsAvoided, honestAvoided, leftCorrupt, (now - start) / 1e6);
    }
}
