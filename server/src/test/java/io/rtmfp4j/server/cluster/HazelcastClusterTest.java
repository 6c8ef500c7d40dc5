package io.rtmfp4j.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.server.directory.Nickname;
import io.rtmfp4j.server.directory.PeerRecord;
import io.rtmfp4j.server.groups.GroupMembership;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import com.hazelcast.core.Hazelcast;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three Hazelcast members in this process, as three nodes would hold the directory and the groups:
 * what one node registers the others find, nicknames stay unique across nodes, a node removes only
 * its own records, a group's ring spans the nodes, and a node that dies leaves nothing behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HazelcastClusterTest {
    private static final int BASE_PORT = 25701;
    /** Bound for events between members on a busy two-core machine, not a timing. */
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final List<HazelcastCluster> nodes = new ArrayList<>();
    private final List<Backplane> planes = new ArrayList<>();
    private final List<ExecutorService> loops = new ArrayList<>();
    /** Announcements delivered to each node's handler, as "group member peers". */
    private final List<ConcurrentLinkedQueue<String>> announced = new ArrayList<>();

    @BeforeAll
    void start() {
        List<String> members = List.of("127.0.0.1:" + BASE_PORT, "127.0.0.1:" + (BASE_PORT + 1),
                "127.0.0.1:" + (BASE_PORT + 2));
        for (int i = 0; i < 3; i++) {
            HazelcastCluster node = HazelcastCluster.start(new ClusterSettings(members, "127.0.0.1", BASE_PORT + i,
                    "rtmfp4j-test-" + ProcessHandle.current().pid(), Duration.ofSeconds(5), false));
            nodes.add(node);
            ExecutorService loop = Executors.newSingleThreadExecutor();
            loops.add(loop);
            Backplane plane = node.backplane(loop);
            ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
            announced.add(got);
            int index = i;
            plane.link().setHandler(new NodeLink.Handler() {
                @Override
                public List<Address> onForwardHello(String peerId, byte[] rawEpd, byte[] tag,
                        InetSocketAddress initiator) {
                    // Node i "has" only the peers whose ID starts with its digit.
                    return peerId.startsWith(Integer.toString(index))
                            ? List.of(new Address(new InetSocketAddress("192.0.2." + index, 1000 + tag.length),
                                    Address.Origin.OBSERVED))
                            : List.of();
                }

                @Override
                public void onAnnounce(String groupId, String member, List<String> peerIds) {
                    got.add(groupId.substring(0, 4) + " " + member.substring(0, 4) + " " + peerIds.size());
                }
            });
            planes.add(plane);
        }
        await().atMost(WAIT).until(() -> nodes.get(0).size() == 3);
    }

    @AfterAll
    void stop() {
        nodes.forEach(HazelcastCluster::close);
        loops.forEach(ExecutorService::shutdownNow);
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private static String id(char c, int n) {
        return (c + String.format("%063x", n));
    }

    private PeerRecord record(String peerId, String nickname, int node) {
        return new PeerRecord(peerId, "app", nickname == null ? null : new Nickname(nickname),
                new InetSocketAddress("198.51.100.1", 40000 + node), List.of(new InetSocketAddress("10.1.1.1", 5000)),
                planes.get(node).node());
    }

    @Test
    void aPeerRegisteredOnOneNodeIsFoundFromTheOthers() {
        String peer = id('a', 1);
        assertThat(join(planes.get(0).directory().register(record(peer, "Alice", 0)))).isTrue();
        for (Backplane p : planes) {
            PeerRecord r = join(p.directory().find(peer)).orElseThrow();
            assertThat(r.node()).isEqualTo(planes.get(0).node());
            assertThat(r.reported()).containsExactly(new InetSocketAddress("10.1.1.1", 5000));
            assertThat(join(p.directory().findByNickname(new Nickname("ALICE"))).map(PeerRecord::peerId))
                    .contains(peer);
        }
    }

    @Test
    void aNicknameHeldOnOneNodeIsRefusedOnAnother() {
        String holder = id('b', 1);
        String other = id('b', 2);
        assertThat(join(planes.get(1).directory().register(record(holder, "Bob", 1)))).isTrue();
        assertThat(join(planes.get(2).directory().register(record(other, "BOB", 2)))).isFalse();
        assertThat(join(planes.get(2).directory().find(other))).isEmpty();
        // The holder registering again elsewhere (it reconnected to another node) keeps its name.
        assertThat(join(planes.get(2).directory().register(record(holder, "bob", 2)))).isTrue();
        assertThat(join(planes.get(0).directory().findByNickname(new Nickname("Bob"))).orElseThrow().node())
                .isEqualTo(planes.get(2).node());
    }

    @Test
    void aNodeRemovesOnlyItsOwnRecord() {
        String peer = id('c', 1);
        join(planes.get(0).directory().register(record(peer, "Carol", 0)));
        join(planes.get(1).directory().register(record(peer, "Carol", 1)));
        // The session the peer left on node 0 ends after it connected to node 1.
        planes.get(0).directory().unregister(peer);
        await().during(Duration.ofMillis(500)).atMost(WAIT)
                .until(() -> join(planes.get(2).directory().find(peer)).isPresent());
        planes.get(1).directory().unregister(peer);
        await().atMost(WAIT).until(() -> join(planes.get(2).directory().find(peer)).isEmpty()
                && join(planes.get(2).directory().findByNickname(new Nickname("carol"))).isEmpty());
        // The name is free again.
        assertThat(join(planes.get(2).directory().register(record(id('c', 2), "carol", 2)))).isTrue();
    }

    @Test
    void aNodeForwardsForAnotherAndAnswersWithTheAddressesItKnows() {
        List<Address> known = join(planes.get(0).link().forwardHello(planes.get(2).node(), id('2', 7), new byte[34],
                new byte[16], new InetSocketAddress("203.0.113.9", 1234)));
        assertThat(known).containsExactly(new Address(new InetSocketAddress("192.0.2.2", 1016), Address.Origin.OBSERVED));
        assertThat(join(planes.get(0).link().forwardHello(planes.get(1).node(), id('2', 7), new byte[34],
                new byte[16], new InetSocketAddress("203.0.113.9", 1234)))).isEmpty();
    }

    @Test
    void aGroupSpansTheNodes() {
        String group = id('d', 0);
        List<String> members = new ArrayList<>();
        int announcedToOthers = 0;
        for (int i = 0; i < 9; i++) {
            String peer = id('e', i);
            GroupMembership.Change c = join(planes.get(i % 3).groups().join(group, peer));
            // Each newcomer hears of members wherever they are connected: of all of them while there are 6 or fewer.
            if (members.size() <= 2 * 3) {
                assertThat(c.toNewcomer()).containsExactlyInAnyOrderElementsOf(members);
            } else {
                assertThat(c.toNewcomer()).hasSizeGreaterThanOrEqualTo(6).isSubsetOf(members);
            }
            for (GroupMembership.Delivery d : c.toMembers()) {
                assertThat(d.node()).isEqualTo(planes.get(members.indexOf(d.member()) % 3).node());
                announcedToOthers++;
            }
            members.add(peer);
        }
        assertThat(announcedToOthers).isGreaterThan(0);
        assertThat(join(planes.get(1).groups().largest(10))).containsEntry(group, 9);
    }

    /** Last: it kills node 2, as kill -9 would (no goodbye to the others). */
    @Test
    @Order(Integer.MAX_VALUE)
    void aNodeThatDiesLeavesNoEntryBehind() {
        String group = id('f', 0);
        String onTwo = id('2', 1);
        String onZero = id('0', 1);
        join(planes.get(2).directory().register(record(onTwo, "Dora", 2)));
        join(planes.get(0).directory().register(record(onZero, null, 0)));
        join(planes.get(0).groups().join(group, onZero));
        join(planes.get(2).groups().join(group, onTwo));
        join(planes.get(1).groups().join(group, id('1', 1)));
        long killedAt = System.nanoTime();
        Hazelcast.getHazelcastInstanceByName("rtmfp-127.0.0.1-" + (BASE_PORT + 2)).getLifecycleService().terminate();
        await().atMost(WAIT).until(() -> join(planes.get(0).directory().find(onTwo)).isEmpty()
                && join(planes.get(1).directory().findByNickname(new Nickname("dora"))).isEmpty()
                && join(planes.get(0).groups().largest(10)).getOrDefault(group, 0) == 2);
        System.out.printf("a killed node's entries were gone %d ms after the kill%n",
                (System.nanoTime() - killedAt) / 1_000_000);
        assertThat(join(planes.get(1).directory().find(onZero))).isPresent();
        // The members on either side of the gap hear of each other (their ring closes again).
        await().atMost(WAIT).until(() -> !announced.get(0).isEmpty() && !announced.get(1).isEmpty());
        nodes.remove(2).close();
    }
}
