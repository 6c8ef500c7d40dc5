package io.rtmfp4j.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.ConnectListener;
import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.Session;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The simulated network itself: determinism, serialization at a bandwidth, drop-tail queues,
 * reordering, shared uplinks and the counters. Hosts here are raw receivers fed by
 * {@link SimNetwork#inject}, so every expected time is exact arithmetic on the virtual clock.
 */
@ExtendWith(SimSeedExtension.class)
class SimNetworkTest {
    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 1000);
    static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 2000);
    static final InetSocketAddress C = new InetSocketAddress("10.0.0.3", 3000);
    static final long MS = 1_000;
    static final long SECOND = 1_000_000;

    /** What a raw host heard: arrival time and the sequence number the sender wrote. */
    record Arrival(long at, InetSocketAddress from, InetSocketAddress to, int seq) {
    }

    static final class Recorder {
        final List<Arrival> arrivals = new ArrayList<>();

        Recorder(SimNetwork net, InetSocketAddress... addresses) {
            for (InetSocketAddress a : addresses) {
                net.attach(a, p -> arrivals.add(new Arrival(net.now(), p.from(), p.to(),
                        ByteBuffer.wrap(p.data()).getInt())));
            }
        }

        List<Integer> seqs() {
            return arrivals.stream().map(Arrival::seq).toList();
        }

        List<Long> times() {
            return arrivals.stream().map(Arrival::at).toList();
        }
    }

    static byte[] datagram(int seq, int size) {
        return ByteBuffer.allocate(size).putInt(seq).array();
    }

    // ---- determinism ----

    /** A busy little network with every impairment on; returns everything that arrived, with times. */
    static List<Arrival> impairedTrace(long seed) {
        SimNetwork net = new SimNetwork(seed);
        net.setDefaultConditions(LinkConditions.PERFECT.withJitter(5 * MS).withLoss(0.1).withDuplicate(0.1)
                .withReorder(0.1, 30 * MS).withBandwidth(200_000).withQueueLimit(20_000));
        net.setUplink(A, 300_000, 30_000);
        Recorder r = new Recorder(net, A, B, C);
        int seq = 0;
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 10; i++) {
                net.inject(A, i % 2 == 0 ? B : C, datagram(seq++, 600 + 37 * i));
                net.inject(B, A, datagram(seq++, 1200));
            }
            net.runFor(20 * MS);
        }
        net.runFor(SECOND);
        assertThat(net.totalStats().inFlight()).isZero();
        return r.arrivals;
    }

    @Test
    void sameSeedGivesTheSameTrace() {
        long seed = SimNetwork.seedFromEnvironment(System.nanoTime());

        List<Arrival> first = impairedTrace(seed);
        List<Arrival> second = impairedTrace(seed);

        assertThat(first).hasSizeGreaterThan(100).isEqualTo(second);
    }

    @Test
    void differentSeedsGiveDifferentTraces() {
        assertThat(impairedTrace(1)).isNotEqualTo(impairedTrace(2));
    }

    /** A real handshake over a bad link: every delivered byte and time must replay. */
    static List<String> handshakeTrace(long seed) {
        SimNetwork net = new SimNetwork(seed);
        net.setDefaultConditions(LinkConditions.PERFECT.withLoss(0.2).withJitter(20 * MS).withDuplicate(0.2)
                .withReorder(0.2, 50 * MS).withBandwidth(100_000).withQueueLimit(4_000));
        Endpoint server = new Endpoint(EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(),
                List.of(DhGroup.GROUP_2), net.newSecureRandom())).build(), net.newSecureRandom(), net.offload(2 * MS));
        Endpoint client = new Endpoint(EndpointConfig.builder(PeerIdentity.newFlashClient(net.newSecureRandom()))
                .build(), net.newSecureRandom(), net.offload(2 * MS));
        net.attach(A, server);
        net.attach(B, client);
        List<Session> opened = new ArrayList<>();
        client.connect(EndpointDiscriminator.forServerUri("rtmfp://10.0.0.1/app"), List.of(A), net.now(),
                new ConnectListener() {
                    @Override
                    public void onOpen(Session session) {
                        opened.add(session);
                    }

                    @Override
                    public void onFailure(CloseReason reason) {
                    }
                });
        assertThat(net.runUntil(() -> !opened.isEmpty(), 60 * SECOND)).as("seed %d", seed).isTrue();
        List<String> trace = new ArrayList<>();
        for (SimPacket p : net.delivered()) {
            trace.add(p.sentAt() + " " + p.from() + ">" + p.to() + " " + HexFormat.of().formatHex(p.data()));
        }
        trace.add("opened at " + net.now());
        return trace;
    }

    @Test
    void sameSeedGivesTheSameHandshakeBetweenRealEndpoints() {
        long seed = SimNetwork.seedFromEnvironment(System.nanoTime());

        assertThat(handshakeTrace(seed)).isEqualTo(handshakeTrace(seed));
    }

    // ---- bandwidth ----

    @Test
    void backToBackDatagramsLeaveAtTheLinkRate() {
        SimNetwork net = new SimNetwork(7);
        // 1000 bytes at 125 kB/s: 8 ms each, then 10 ms of propagation.
        net.setConditions(A, B, LinkConditions.PERFECT.withBandwidth(125_000));
        Recorder r = new Recorder(net, B);
        long t0 = net.now();

        for (int i = 0; i < 100; i++) {
            net.inject(A, B, datagram(i, 1000));
        }
        net.runFor(2 * SECOND);

        assertThat(r.seqs()).as("FIFO").isEqualTo(range(100));
        for (int i = 0; i < 100; i++) {
            assertThat(r.arrivals.get(i).at()).isEqualTo(t0 + (i + 1) * 8 * MS + 10 * MS);
        }
        assertThat(net.linkStats(A, B).bytesDelivered()).isEqualTo(100_000);
    }

    @Test
    void serializationTimesDoNotAccumulateRounding() {
        SimNetwork net = new SimNetwork(7);
        // 1000 bytes at 300 kB/s is 3333.3 µs: rounding each would drift by 0.3 µs per datagram.
        net.setConditions(A, B, LinkConditions.PERFECT.withDelay(0).withBandwidth(300_000));
        Recorder r = new Recorder(net, B);
        long t0 = net.now();

        for (int i = 0; i < 300; i++) {
            net.inject(A, B, datagram(i, 1000));
        }
        net.runFor(2 * SECOND);

        assertThat(r.arrivals).hasSize(300);
        for (int k = 1; k <= 300; k++) {
            long exact = -Math.floorDiv(-k * 1000L * SECOND, 300_000); // ceil
            assertThat(r.arrivals.get(k - 1).at()).isEqualTo(t0 + exact);
        }
        assertThat(r.arrivals.get(299).at() - t0).as("N·S/B").isEqualTo(SECOND);
    }

    @Test
    void anIdleLinkOnlyCostsTheSerializationTime() {
        SimNetwork net = new SimNetwork(7);
        net.setConditions(A, B, LinkConditions.PERFECT.withBandwidth(125_000));
        Recorder r = new Recorder(net, B);
        List<Long> sent = new ArrayList<>();

        for (int i = 0; i < 5; i++) {
            sent.add(net.now());
            net.inject(A, B, datagram(i, 1000));
            net.runFor(50 * MS); // far longer than the 8 ms the datagram occupies the link
        }

        for (int i = 0; i < 5; i++) {
            assertThat(r.arrivals.get(i).at()).isEqualTo(sent.get(i) + 8 * MS + 10 * MS);
        }
    }

    // ---- queue limit ----

    @Test
    void aFullQueueDropsTheExcessAndCountsIt() {
        SimNetwork net = new SimNetwork(7);
        net.setConditions(A, B, LinkConditions.PERFECT.withBandwidth(125_000).withQueueLimit(10_000));
        Recorder r = new Recorder(net, B);
        long t0 = net.now();

        for (int i = 0; i < 25; i++) {
            net.inject(A, B, datagram(i, 1000));
        }

        // Ten fit, counting the one being serialized; drop-tail keeps the oldest.
        assertThat(net.linkStats(A, B).queueDropped()).isEqualTo(15);
        net.runFor(8 * MS);
        // The first has left: room for exactly one more.
        net.inject(A, B, datagram(100, 1000));
        net.inject(A, B, datagram(101, 1000));
        net.runFor(SECOND);

        assertThat(r.seqs()).isEqualTo(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100));
        assertThat(r.arrivals.get(10).at()).isEqualTo(t0 + 11 * 8 * MS + 10 * MS);
        LinkStats s = net.linkStats(A, B);
        assertThat(s.sent()).isEqualTo(27);
        assertThat(s.queueDropped()).isEqualTo(16);
        assertThat(s.delivered()).isEqualTo(11);
        assertThat(s.inFlight()).isZero();
    }

    @Test
    void aDatagramLargerThanTheQueueNeverFits() {
        SimNetwork net = new SimNetwork(7);
        net.setConditions(A, B, LinkConditions.PERFECT.withBandwidth(125_000).withQueueLimit(1_000));
        Recorder r = new Recorder(net, B);

        net.inject(A, B, datagram(0, 1_001));
        net.inject(A, B, datagram(1, 1_000));
        net.runFor(SECOND);

        assertThat(r.seqs()).containsExactly(1);
        assertThat(net.linkStats(A, B).queueDropped()).isEqualTo(1);
    }

    // ---- reordering ----

    @Test
    void reorderingHoldsSomeDatagramsBackWhileTheRestStayInOrder() {
        SimNetwork net = new SimNetwork(SimNetwork.seedFromEnvironment(System.nanoTime()));
        net.setConditions(A, B, LinkConditions.PERFECT.withReorder(0.2, 50 * MS));
        Recorder r = new Recorder(net, B);

        for (int i = 0; i < 200; i++) {
            net.inject(A, B, datagram(i, 100));
            net.runFor(MS);
        }
        net.runFor(SECOND);

        assertThat(r.arrivals).hasSize(200);
        List<Integer> onTime = new ArrayList<>();
        int late = 0;
        int overtaken = 0;
        for (int i = 0; i < 200; i++) {
            Arrival a = r.arrivals.get(i);
            long sentAt = net.delivered().get(i).sentAt();
            if (a.at() - sentAt == 10 * MS) {
                onTime.add(a.seq());
            } else {
                assertThat(a.at() - sentAt).isEqualTo(60 * MS);
                late++;
            }
            if (i > 0 && a.seq() < r.arrivals.get(i - 1).seq()) {
                overtaken++;
            }
        }
        assertThat(late).isEqualTo(net.linkStats(A, B).reordered()).isBetween(10, 80);
        assertThat(overtaken).as("later datagrams overtook held ones").isPositive();
        assertThat(onTime).as("unlike jitter, the others keep their order").isSorted();
    }

    @Test
    void withoutReorderingOrJitterALinkIsFifo() {
        SimNetwork net = new SimNetwork(SimNetwork.seedFromEnvironment(System.nanoTime()));
        net.setConditions(A, B, LinkConditions.PERFECT.withLoss(0.3).withDuplicate(0.3).withBandwidth(1_000_000));
        Recorder r = new Recorder(net, B);

        for (int i = 0; i < 300; i++) {
            net.inject(A, B, datagram(i, 100 + i));
            if (i % 7 == 0) {
                net.runFor(MS);
            }
        }
        net.runFor(SECOND);

        // Duplicates arrive next to their original; nothing else moves.
        assertThat(r.seqs()).isSorted();
        assertThat(r.times()).isSorted();
    }

    // ---- uplinks ----

    @Test
    void anUplinkIsSharedByEveryLinkLeavingTheHost() {
        SimNetwork net = new SimNetwork(7);
        net.setUplink(A, 100_000, 0); // 1000 bytes every 10 ms, whatever the destination
        Recorder r = new Recorder(net, B, C);
        long t0 = net.now();

        for (int i = 0; i < 100; i++) {
            net.inject(A, i % 2 == 0 ? B : C, datagram(i, 1000));
        }
        net.runFor(2 * SECOND);

        assertThat(r.seqs()).as("one FIFO for both destinations").isEqualTo(range(100));
        assertThat(r.arrivals.get(99).at() - t0).as("N·S/B plus one delay").isEqualTo(SECOND + 10 * MS);
        assertThat(net.linkStats(A, B).delivered()).isEqualTo(50);
        assertThat(net.linkStats(A, C).delivered()).isEqualTo(50);
        // Another host is not behind A's uplink.
        net.inject(B, C, datagram(1000, 1000));
        long sent = net.now();
        net.runFor(SECOND);
        assertThat(r.arrivals.get(100).at()).isEqualTo(sent + 10 * MS);
    }

    @Test
    void theSlowerOfUplinkAndLinkSetsThePace() {
        SimNetwork net = new SimNetwork(7);
        net.setUplink(A, 100_000, 0);
        net.setConditions(A, B, LinkConditions.PERFECT.withBandwidth(50_000));
        Recorder r = new Recorder(net, B, C);
        long t0 = net.now();

        for (int i = 0; i < 10; i++) {
            net.inject(A, B, datagram(i, 1000));
        }
        net.runFor(SECOND);

        // The uplink releases the first after 10 ms; the link then needs 20 ms for each; 10 ms to cross.
        for (int i = 0; i < 10; i++) {
            assertThat(r.arrivals.get(i).at() - t0).isEqualTo(10 * MS + (i + 1) * 20 * MS + 10 * MS);
        }
    }

    @Test
    void aFullUplinkDropsAndChargesTheLinkOfTheDroppedDatagram() {
        SimNetwork net = new SimNetwork(7);
        net.setUplink(A, 100_000, 5_000);
        Recorder r = new Recorder(net, B, C);

        for (int i = 0; i < 10; i++) {
            net.inject(A, i < 3 ? B : C, datagram(i, 1000));
        }
        net.runFor(SECOND);

        assertThat(r.seqs()).isEqualTo(range(5));
        assertThat(net.linkStats(A, B).queueDropped()).isZero();
        assertThat(net.linkStats(A, C).queueDropped()).isEqualTo(5);
        assertThat(net.totalStats().queueDropped()).isEqualTo(5);
    }

    @Test
    void theUplinkBelongsToTheHostAndSurvivesANatRebinding() {
        SimNetwork net = new SimNetwork(7);
        InetSocketAddress mapped = new InetSocketAddress("192.0.2.1", 40000);
        net.setUplink(A, 100_000, 0);
        net.rebind(A, mapped);
        Recorder r = new Recorder(net, B);
        long t0 = net.now();

        net.inject(A, B, datagram(0, 1000));
        net.inject(A, B, datagram(1, 1000));
        net.runFor(SECOND);

        assertThat(r.arrivals).extracting(Arrival::from).containsOnly(mapped);
        assertThat(r.times()).containsExactly(t0 + 20 * MS, t0 + 30 * MS);
        assertThat(net.linkStats(mapped, B).delivered()).isEqualTo(2);
        assertThat(net.linkStats(A, B)).isEqualTo(LinkStats.NONE);
    }

    // ---- counters ----

    @Test
    void countersAccountForEveryDatagram() {
        SimNetwork net = new SimNetwork(SimNetwork.seedFromEnvironment(System.nanoTime()));
        net.setDefaultConditions(LinkConditions.PERFECT.withLoss(0.2).withDuplicate(0.2).withReorder(0.2, 5 * MS)
                .withBandwidth(100_000).withQueueLimit(3_000));
        net.addFilter(p -> ByteBuffer.wrap(p.data()).getInt() % 10 == 0);
        Recorder r = new Recorder(net, B);
        InetSocketAddress nobody = new InetSocketAddress("10.9.9.9", 9);

        for (int i = 0; i < 500; i++) {
            net.inject(A, i % 5 == 4 ? nobody : B, datagram(i, 500));
            if (i % 4 == 0) {
                net.runFor(10 * MS);
            }
        }
        net.runFor(SECOND);

        LinkStats ab = net.linkStats(A, B);
        LinkStats an = net.linkStats(A, nobody);
        assertThat(ab.sent()).isEqualTo(400);
        assertThat(an.sent()).isEqualTo(100);
        assertThat(ab.filtered() + an.filtered()).isEqualTo(50);
        assertThat(ab.queueDropped()).isPositive();
        assertThat(ab.lost()).isPositive();
        assertThat(ab.duplicated()).isPositive();
        assertThat(ab.reordered()).isPositive();
        assertThat(an.delivered()).isZero();
        assertThat(an.unreachable()).isPositive();
        assertThat(ab.delivered()).isEqualTo(r.arrivals.size()).isEqualTo(net.delivered().size());
        assertThat(ab.bytesSent()).isEqualTo(400 * 500);
        assertThat(ab.bytesDelivered()).isEqualTo(ab.delivered() * 500);
        assertThat(ab.inFlight()).isZero();
        assertThat(an.inFlight()).isZero();
        assertThat(net.totalStats()).isEqualTo(ab.plus(an));
    }

    @Test
    void aLinkNeverUsedHasNoStats() {
        assertThat(new SimNetwork(7).linkStats(A, B)).isEqualTo(LinkStats.NONE);
    }

    // ---- conditions and configuration ----

    @Test
    void theFourArgumentConditionsHaveNoQueueNoRateAndNoReordering() {
        LinkConditions c = new LinkConditions(5_000, 1_000, 0.1, 0.2);

        assertThat(c).isEqualTo(new LinkConditions(5_000, 1_000, 0.1, 0.2, 0, 0, 0, 0));
        assertThat(LinkConditions.PERFECT).isEqualTo(new LinkConditions(10_000, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void buildersChangeOneThingEach() {
        LinkConditions c = LinkConditions.PERFECT.withDelay(1).withJitter(2).withLoss(0.3).withDuplicate(0.4)
                .withReorder(0.5, 6).withBandwidth(7).withQueueLimit(8);

        assertThat(c).isEqualTo(new LinkConditions(1, 2, 0.3, 0.4, 0.5, 6, 7, 8));
        assertThat(c.withReorder(0, 0)).isEqualTo(new LinkConditions(1, 2, 0.3, 0.4, 0, 0, 7, 8));
    }

    @Test
    void invalidConditionsAreRefusedWithTheReason() {
        LinkConditions p = LinkConditions.PERFECT;
        assertThatThrownBy(() -> p.withDelay(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delay must be >= 0, was -1");
        assertThatThrownBy(() -> p.withJitter(-5)).hasMessage("jitter must be >= 0, was -5");
        assertThatThrownBy(() -> p.withLoss(1.5)).hasMessage("loss must be a probability in [0, 1], was 1.5");
        assertThatThrownBy(() -> p.withDuplicate(Double.NaN)).hasMessageContaining("duplicate must be a probability");
        assertThatThrownBy(() -> p.withReorder(-0.1, 10)).hasMessageContaining("reorder must be a probability");
        assertThatThrownBy(() -> p.withReorder(0.1, 0)).hasMessage("reorder 0.1 needs a positive reorderDelay");
        assertThatThrownBy(() -> p.withBandwidth(-1)).hasMessage("bandwidth must be >= 0, was -1");
        assertThatThrownBy(() -> p.withQueueLimit(-1)).hasMessage("queueLimit must be >= 0, was -1");
        SimNetwork net = new SimNetwork(7);
        assertThatThrownBy(() -> net.setUplink(A, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> net.setUplink(A, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSeedPropertyOverridesTheDefaultSeed() {
        String saved = System.getProperty(SimNetwork.SEED_PROPERTY);
        try {
            System.clearProperty(SimNetwork.SEED_PROPERTY);
            assertThat(SimNetwork.seedFromEnvironment(42)).isEqualTo(42);
            System.setProperty(SimNetwork.SEED_PROPERTY, "-9876543210");
            assertThat(SimNetwork.seedFromEnvironment(42)).isEqualTo(-9876543210L);
            System.setProperty(SimNetwork.SEED_PROPERTY, "0x12");
            assertThatThrownBy(() -> SimNetwork.seedFromEnvironment(42)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(SimNetwork.SEED_PROPERTY);
        } finally {
            if (saved == null) {
                System.clearProperty(SimNetwork.SEED_PROPERTY);
            } else {
                System.setProperty(SimNetwork.SEED_PROPERTY, saved);
            }
        }
    }

    static List<Integer> range(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }
}
