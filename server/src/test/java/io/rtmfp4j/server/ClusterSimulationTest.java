package io.rtmfp4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.server.auth.Authenticator;
import io.rtmfp4j.server.cluster.Backplane;
import io.rtmfp4j.server.cluster.NodeLink;
import io.rtmfp4j.server.directory.InMemoryPeerDirectory;
import io.rtmfp4j.server.directory.Nickname;
import io.rtmfp4j.server.directory.PeerDirectory;
import io.rtmfp4j.server.directory.PeerRecord;
import io.rtmfp4j.server.groups.Group;
import io.rtmfp4j.server.groups.GroupMembership;
import io.rtmfp4j.server.groups.GroupRegistry;
import io.rtmfp4j.server.groups.LocalGroupMembership;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two rendezvous nodes on one simulated network, sharing a directory and groups as a cluster does,
 * their messages carried on the network's clock: what one node cannot do for a client of the other
 * (forward an IHello through the client's session, announce on its server channel), it asks that
 * node to do. The Hazelcast side of the same interfaces is HazelcastClusterTest's.
 */
@ExtendWith(SimSeedExtension.class)
class ClusterSimulationTest {
    static final long SECOND = 1_000_000;
    /** One way between nodes, as on a LAN. */
    static final long NODE_HOP = 500;
    static final String APP = "/live";

    final long seed = SimNetwork.seedFromEnvironment(System.nanoTime());
    final SimNetwork net = new SimNetwork(seed);
    final InMemoryPeerDirectory shared = new InMemoryPeerDirectory();
    final GroupRegistry groups = new GroupRegistry();
    final Map<String, String> memberNodes = new HashMap<>();
    final Map<String, SimLink> links = new HashMap<>();
    final List<Rendezvous> nodes = new ArrayList<>();
    final List<InetSocketAddress> addresses = new ArrayList<>();
    int nextHost = 2;

    ClusterSimulationTest() {
        for (int i = 0; i < 2; i++) {
            node("n" + i, new InetSocketAddress("10.0.0." + (i + 1), 1935));
        }
        tick();
    }

    private void node(String name, InetSocketAddress address) {
        EndpointConfig config = EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(),
                List.of(DhGroup.GROUP_14, DhGroup.GROUP_2), net.newSecureRandom())).build();
        Endpoint endpoint = new Endpoint(config, net.newSecureRandom(), net.offload(1_000));
        SimLink link = new SimLink(name);
        links.put(name, link);
        nodes.add(new Rendezvous(endpoint, RendezvousSettings.DEFAULTS, Authenticator.open(),
                new Backplane(new NodeDirectory(name), new SharedGroups(name), link), Runnable::run));
        net.attach(address, endpoint);
        addresses.add(address);
    }

    private void tick() {
        net.schedule(net.now() + SECOND, () -> {
            nodes.forEach(n -> n.onTick(net.now()));
            tick();
        });
    }

    /** The shared directory as one node sees it: it removes only its own records, as a cluster's does. */
    private final class NodeDirectory implements PeerDirectory {
        private final String node;

        NodeDirectory(String node) {
            this.node = node;
        }

        @Override
        public CompletionStage<Boolean> register(PeerRecord peer) {
            return shared.register(peer);
        }

        @Override
        public void unregister(String peerId) {
            shared.find(peerId).thenAccept(r -> r.filter(x -> x.node().equals(node)).ifPresent(
                    x -> shared.unregister(peerId)));
        }

        @Override
        public CompletionStage<Optional<PeerRecord>> find(String peerId) {
            return shared.find(peerId);
        }

        @Override
        public CompletionStage<Optional<PeerRecord>> findByNickname(Nickname nickname) {
            return shared.findByNickname(nickname);
        }
    }

    /** One ring per group for both nodes, with each member's node, as the cluster's group owner keeps it. */
    private final class SharedGroups implements GroupMembership {
        private final String node;

        SharedGroups(String node) {
            this.node = node;
        }

        @Override
        public CompletionStage<Change> join(String groupId, String peerId) {
            memberNodes.put(peerId, node);
            return CompletableFuture.completedFuture(LocalGroupMembership.withNodes(groups.join(groupId, peerId),
                    memberNodes::get));
        }

        @Override
        public CompletionStage<Change> leave(String groupId, String peerId) {
            return CompletableFuture.completedFuture(LocalGroupMembership.withNodes(groups.leave(groupId, peerId),
                    memberNodes::get));
        }

        @Override
        public CompletionStage<Map<String, Integer>> largest(int limit) {
            Map<String, Integer> sizes = new HashMap<>();
            for (Group g : groups.groups()) {
                sizes.put(g.id(), g.size());
            }
            return CompletableFuture.completedFuture(LocalGroupMembership.largest(sizes, limit));
        }
    }

    /** Node-to-node messages as events on the network's clock, {@link #NODE_HOP} each way. */
    private final class SimLink implements NodeLink {
        private final String self;
        private Handler handler;
        int forwardsAsked;

        SimLink(String self) {
            this.self = self;
        }

        @Override
        public String self() {
            return self;
        }

        @Override
        public CompletionStage<List<Address>> forwardHello(String node, String peerId, byte[] rawEpd, byte[] tag,
                InetSocketAddress initiator) {
            forwardsAsked++;
            CompletableFuture<List<Address>> answer = new CompletableFuture<>();
            net.schedule(net.now() + NODE_HOP, () -> {
                List<Address> a = links.get(node).handler.onForwardHello(peerId, rawEpd, tag, initiator);
                net.schedule(net.now() + NODE_HOP, () -> answer.complete(a));
            });
            return answer;
        }

        @Override
        public void announce(String node, String groupId, String member, List<String> peerIds) {
            net.schedule(net.now() + NODE_HOP, () -> links.get(node).handler.onAnnounce(groupId, member, peerIds));
        }

        @Override
        public void setHandler(Handler handler) {
            this.handler = handler;
        }
    }

    FlashTestClient client() {
        InetSocketAddress address = new InetSocketAddress("10.0.1." + nextHost++, 50000);
        Endpoint e = new Endpoint(FlashTestClient.config(net.newSecureRandom()), net.newSecureRandom(),
                net.offload(1_000));
        net.attach(address, e);
        return new FlashTestClient(e, address);
    }

    String url(int node) {
        return "rtmfp://" + addresses.get(node).getHostString() + APP;
    }

    FlashTestClient connected(int node) {
        FlashTestClient c = client();
        c.connect(url(node), addresses.get(node));
        run(c::connected);
        return c;
    }

    void run(BooleanSupplier until) {
        assertThat(net.runUntil(until, 10 * SECOND)).as("seed " + seed).isTrue();
    }

    @Test
    void aPeerOnAnotherNodeIsIntroducedThroughItsNode() {
        FlashTestClient player = connected(0);
        FlashTestClient publisher = connected(1);

        player.connectToPeer(publisher.peerId(), addresses.get(0));
        run(() -> !player.peerSessions.isEmpty() && !publisher.peerSessions.isEmpty());

        assertThat(player.peerSessions.get(0).farPeerId()).contains(publisher.peerId());
        // Straight between the two clients: node 1 forwarded the IHello, node 0 redirected the player.
        assertThat(player.peerSessions.get(0).destination()).isEqualTo(publisher.address);
        assertThat(publisher.peerSessions.get(0).destination()).isEqualTo(player.address);
        assertThat(nodes.get(0).stats().introductionsRemote()).isPositive();
        assertThat(nodes.get(1).stats().introductionsForNodes()).isPositive();
        // Node 0 never had a session with the publisher: the forwarded IHello came from node 1.
        assertThat(net.linkStats(addresses.get(0), publisher.address).delivered()).isZero();
    }

    @Test
    void aRecordLeftByANodeThatNoLongerHasThePeerIntroducesNoOne() {
        FlashTestClient player = connected(0);
        String ghost = "cd".repeat(32);
        // The directory says the peer is on node 1, but node 1 has no such client (it left since).
        shared.register(new PeerRecord(ghost, "live", null, new InetSocketAddress("10.0.9.9", 50000), List.of(), "n1"));

        player.connectToPeer(ghost, addresses.get(0));
        net.runFor(5 * SECOND);

        assertThat(player.peerSessions).isEmpty();
        assertThat(links.get("n0").forwardsAsked).isPositive();
        assertThat(nodes.get(0).stats().introductionsUnknownPeer()).isPositive();
        assertThat(nodes.get(0).stats().introductions()).isZero();
    }

    @Test
    void nicknamesAreUniqueAndFoundAcrossNodes() {
        FlashTestClient alice = client();
        alice.connectAs("Alice", url(0), addresses.get(0));
        run(alice::connected);
        FlashTestClient bob = connected(1);
        FlashTestClient impostor = clientRejectedOn(1, "ALICE");

        bob.call(Command.LOOKUP, 2, "alice");
        run(() -> bob.answer(2) != null);
        assertThat(bob.answer(2).name()).isEqualTo(Command.RESULT);
        assertThat(RendezvousSimulationTest.info(bob.answer(2))).containsEntry("peerId", alice.peerId());
        assertThat(RendezvousSimulationTest.info(impostor.last(Command.ERROR)).get("description"))
                .isEqualTo("nickname 'ALICE' is taken");
        assertThat(shared.find(alice.peerId()).toCompletableFuture().join().orElseThrow().node()).isEqualTo("n0");
    }

    private FlashTestClient clientRejectedOn(int node, String nickname) {
        FlashTestClient c = client();
        c.connectAs(nickname, url(node), addresses.get(node));
        run(() -> c.last(Command.ERROR) != null);
        assertThat(RendezvousSimulationTest.info(c.last(Command.ERROR))).containsEntry("code", Status.CONNECT_REJECTED);
        return c;
    }

    @Test
    void aGroupSpanningBothNodesAnnouncesMembersAcrossThem() {
        byte[] group = new byte[32];
        group[0] = 7;
        List<FlashTestClient> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            FlashTestClient c = connected(i % 2);
            c.joinGroup(group);
            members.add(c);
        }
        // Four members: each hears of the three others, those on the other node through it.
        run(() -> members.stream().allMatch(m -> m.announced.size() == 3));
        for (FlashTestClient m : members) {
            assertThat(m.announced).containsExactlyInAnyOrderElementsOf(
                    members.stream().filter(o -> o != m).map(FlashTestClient::peerId).toList());
        }
        assertThat(nodes.get(1).largestGroups(10).toCompletableFuture().join()).containsEntry(Hex.encode(group), 4);
        assertThat(nodes.get(0).stats().groups()).isEqualTo(1);
        assertThat(nodes.get(0).stats().groupMemberships()).isEqualTo(2);
    }
}
