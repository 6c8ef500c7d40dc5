package io.rtmfp4j.server;

import static io.rtmfp4j.server.SimRendezvous.SECOND;
import static io.rtmfp4j.server.SimRendezvous.URL;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimPacket;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.PeerPath;
import io.rtmfp4j.flash.net.RelayPolicy;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.server.P2pSimulationTest.Recorder;
import io.rtmfp4j.server.auth.Authenticator;
import io.rtmfp4j.server.relay.Relay;
import io.rtmfp4j.server.relay.RelaySettings;
import io.rtmfp4j.server.relay.RelayStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Peers that cannot reach each other directly meet through the server's relay, in simulation:
 * the direct path between two hosts is cut the way two symmetric NATs would cut it, and the
 * stream between them still plays, relayed, while the relay forwards nothing for strangers.
 */
@ExtendWith(SimSeedExtension.class)
class RelaySimulationTest {
    final long seed = SimNetwork.seedFromEnvironment(System.nanoTime());
    final SimNetwork net = new SimNetwork(seed);
    final SimRendezvous world = new SimRendezvous(net, Authenticator.open());
    final Set<InetSocketAddress> cut = new HashSet<>();

    RelaySimulationTest() {
        // Hosts in `cut` reach nobody but the server and its relay ports: no direct path between them.
        net.addFilter(p -> cut.contains(p.from()) && cut.contains(p.to()));
    }

    void run(BooleanSupplier until) {
        assertThat(net.runUntil(until, 60 * SECOND)).as("seed " + seed).isTrue();
    }

    NetConnection connected(RelayPolicy policy) {
        NetConnection nc = world.connection(null, policy, Duration.ofSeconds(3));
        cut.add(nc.host().localAddresses().get(0));
        CompletableFuture<NetConnection> f = nc.connect(URL);
        run(f::isDone);
        assertThat(f).isCompletedWithValue(nc);
        return nc;
    }

    /** Bob plays Alice's stream and gets 20 data messages; returns Bob's recorder. */
    Recorder play(NetConnection alice, NetConnection bob) {
        NetStream out = NetStream.publisher(alice);
        out.publish("s");
        NetStream in = NetStream.player(bob, alice.nearId());
        Recorder events = new Recorder();
        in.setHandler(events);
        in.play("s");
        run(() -> events.codes.contains(Status.PLAY_START) && out.peerStreams().size() == 1);
        for (int i = 0; i < 20; i++) {
            out.send("line", (double) i);
        }
        run(() -> events.data.size() == 20);
        return events;
    }

    Optional<PeerPath> path(NetConnection from, NetConnection to) {
        CompletableFuture<Optional<PeerPath>> f = from.peerPath(to.nearId());
        run(f::isDone);
        return f.join();
    }

    @Test
    void peersWithoutADirectPathMeetThroughTheRelay() {
        Relay relay = world.enableRelay(RelaySettings.DEFAULTS);
        NetConnection alice = connected(RelayPolicy.AUTO);
        NetConnection bob = connected(RelayPolicy.AUTO);

        Recorder events = play(alice, bob);

        assertThat(events.data).hasSize(20);
        assertThat(path(bob, alice)).hasValueSatisfying(p -> assertThat(p.relayed()).isTrue());
        assertThat(path(alice, bob)).hasValueSatisfying(p -> {
            assertThat(p.relayed()).isTrue();
            assertThat(p.address().getAddress()).isEqualTo(SimRendezvous.SERVER.getAddress());
        });
        RelayStats stats = relay.stats();
        assertThat(stats.made()).isEqualTo(1);
        assertThat(stats.bound()).isEqualTo(1);
        assertThat(stats.active()).isEqualTo(1);
        // The handshake and the stream's messages, both ways.
        assertThat(stats.datagramsRelayed()).isGreaterThan(6);
        assertThat(stats.bytesRelayed()).isGreaterThan(1000);
    }

    @Test
    void peersWithADirectPathDoNotUseTheRelay() {
        Relay relay = world.enableRelay(RelaySettings.DEFAULTS);
        NetConnection alice = connected(RelayPolicy.AUTO);
        NetConnection bob = connected(RelayPolicy.AUTO);
        cut.clear();

        play(alice, bob);
        net.runFor(5 * SECOND);

        assertThat(path(bob, alice)).hasValueSatisfying(p -> assertThat(p.relayed()).isFalse());
        assertThat(relay.stats().made()).isZero();
    }

    @Test
    void alwaysGoesThroughTheRelayEvenWhenADirectPathExists() {
        Relay relay = world.enableRelay(RelaySettings.DEFAULTS);
        NetConnection alice = connected(RelayPolicy.AUTO);
        NetConnection bob = connected(RelayPolicy.ALWAYS);
        cut.clear();

        play(alice, bob);

        assertThat(path(bob, alice)).hasValueSatisfying(p -> assertThat(p.relayed()).isTrue());
        assertThat(path(alice, bob)).hasValueSatisfying(p -> assertThat(p.relayed()).isTrue());
        assertThat(relay.stats().made()).isEqualTo(1);
    }

    @Test
    void theRelayForwardsNothingForStrangersAndTokensItDidNotGive() {
        Relay relay = world.enableRelay(RelaySettings.DEFAULTS);
        NetConnection alice = connected(RelayPolicy.AUTO);
        NetConnection bob = connected(RelayPolicy.AUTO);
        play(alice, bob);
        InetSocketAddress bobsPort = path(bob, alice).orElseThrow().address();
        InetSocketAddress alicesAddress = alice.host().localAddresses().get(0);
        InetSocketAddress stranger = new InetSocketAddress("10.0.9.9", 5000);
        List<SimPacket> toAlice = net.delivered();
        int before = (int) toAlice.stream().filter(p -> p.data().length == 300).count();

        net.attach(stranger, p -> { });
        for (int i = 0; i < 10; i++) {
            net.inject(stranger, bobsPort, new byte[300]);
        }
        net.inject(stranger, bobsPort, new byte[Relay.TOKEN_LENGTH]);
        net.runFor(SECOND);

        assertThat(relay.stats().drops(RelayStats.Drop.STRANGER)).isEqualTo(10);
        assertThat(relay.stats().drops(RelayStats.Drop.BAD_TOKEN)).isEqualTo(1);
        assertThat(net.delivered().stream().filter(p -> p.to().equals(alicesAddress) && p.data().length == 300))
                .hasSize(before);
    }

    @Test
    void aServerWithoutRelayLeavesCutPeersApart() {
        Relay relay = world.enableRelay(RelaySettings.OFF);
        NetConnection alice = connected(RelayPolicy.AUTO);
        NetConnection bob = connected(RelayPolicy.AUTO);
        NetStream.publisher(alice).publish("s");
        NetStream in = NetStream.player(bob, alice.nearId());
        Recorder events = new Recorder();
        in.setHandler(events);
        in.play("s");

        net.runFor(10 * SECOND);

        assertThat(events.codes).doesNotContain(Status.PLAY_START);
        assertThat(relay.stats().refusals(RelayStats.Refusal.DISABLED)).isEqualTo(1);
    }

    @Test
    void aClientThatLeavesEndsItsRelays() {
        Relay relay = world.enableRelay(RelaySettings.DEFAULTS);
        NetConnection alice = connected(RelayPolicy.AUTO);
        NetConnection bob = connected(RelayPolicy.AUTO);
        play(alice, bob);

        alice.close();
        run(() -> relay.stats().active() == 0);

        assertThat(relay.stats().ends(RelayStats.End.CLIENT_LEFT)).isEqualTo(1);
    }
}
