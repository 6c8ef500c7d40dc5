package io.rtmfp4j.core.session;

import static io.rtmfp4j.core.session.HandshakeSimulationTest.CLIENT;
import static io.rtmfp4j.core.session.HandshakeSimulationTest.SECOND;
import static io.rtmfp4j.core.session.HandshakeSimulationTest.SERVER;
import static io.rtmfp4j.core.session.HandshakeSimulationTest.URI;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.chunk.IHello;
import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PacketProtection;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.packet.Packet;
import io.rtmfp4j.core.packet.PacketMode;
import io.rtmfp4j.core.session.HandshakeSimulationTest.Host;
import io.rtmfp4j.core.session.HandshakeSimulationTest.Outcome;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimPacket;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.ByteWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The endpoint's own defences: handshake rate per address, session cap, no amplification. */
@ExtendWith(SimSeedExtension.class)
class EndpointProtectionTest {
    static final InetSocketAddress FLOODER = new InetSocketAddress("10.0.0.66", 40000);

    final long seed = SimNetwork.seedFromEnvironment(System.nanoTime());
    final SimNetwork net = new SimNetwork(seed);
    final List<SimPacket> toFlooder = new ArrayList<>();

    EndpointConfig.Builder server() {
        return EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_14, DhGroup.GROUP_2),
                net.newSecureRandom()));
    }

    Host client(InetSocketAddress at) {
        return new Host(net, at, EndpointConfig.builder(PeerIdentity.newFlashClient(net.newSecureRandom()))
                .openTimeout(java.time.Duration.ofSeconds(10)).build());
    }

    Outcome connect(Host client, EndpointDiscriminator epd) {
        Outcome o = new Outcome();
        client.endpoint.connect(epd, List.of(SERVER), net.now(), o);
        net.flush(client.address);
        return o;
    }

    /** An IHello datagram as an initiator would send it. */
    static byte[] iHello(EndpointDiscriminator epd, int tagByte) {
        byte[] tag = new byte[16];
        tag[0] = (byte) tagByte;
        ByteWriter w = new ByteWriter(256);
        new Packet(false, false, PacketMode.STARTUP, 0, Packet.NO_TIMESTAMP, List.of(new IHello(epd.encode(), tag)))
                .encode(w);
        return PacketProtection.startup().seal(0, w.array(), 0, w.size());
    }

    String why() {
        return "seed " + seed;
    }

    @Test
    void aFloodOfHellosFromOneAddressIsCutToItsRateWhileAnotherClientConnects() {
        Host server = new Host(net, SERVER, server().handshakeRate(10).handshakeBurst(20).build());
        net.attach(FLOODER, toFlooder::add);
        byte[] hello = iHello(EndpointDiscriminator.forServerUri(URI), 1);

        for (int i = 0; i < 1000; i++) {
            net.inject(FLOODER, SERVER, hello);
        }
        Outcome legit = connect(client(CLIENT), EndpointDiscriminator.forServerUri(URI));

        assertThat(net.runUntil(legit::done, 5 * SECOND)).as(why()).isTrue();
        assertThat(legit.session).as(why()).isNotNull();
        // The burst is answered, the rest of the instantaneous flood is not.
        assertThat(toFlooder).hasSize(20);
        assertThat(server.endpoint.stats().drops(DropReason.RATE_LIMITED)).isEqualTo(980);

        // The bucket refills at the configured rate: after one second, ten more are answered.
        net.runFor(SECOND);
        for (int i = 0; i < 100; i++) {
            net.inject(FLOODER, SERVER, hello);
        }
        net.runFor(SECOND / 10);
        assertThat(toFlooder).hasSize(30);
    }

    @Test
    void theSessionCapRefusesNewSessionsUntilOneCloses() {
        Host server = new Host(net, SERVER, server().maxSessions(2).build());
        Outcome first = connect(client(CLIENT), EndpointDiscriminator.forServerUri(URI));
        Outcome second = connect(client(new InetSocketAddress("10.0.0.3", 50001)), EndpointDiscriminator.forServerUri(URI));
        assertThat(net.runUntil(() -> first.done() && second.done(), 5 * SECOND)).as(why()).isTrue();

        Outcome third = connect(client(new InetSocketAddress("10.0.0.4", 50002)), EndpointDiscriminator.forServerUri(URI));

        assertThat(net.runUntil(third::done, 15 * SECOND)).as(why()).isTrue();
        assertThat(third.failure).isEqualTo(CloseReason.OPEN_TIMEOUT);
        assertThat(server.endpoint.stats().drops(DropReason.SESSION_LIMIT)).isPositive();
        assertThat(server.opened).hasSize(2);
    }

    /** Clients connect, then go silent: the server's sessions with them as it sees them. */
    List<Session> sessionsWithSilentClients(Host server, int n) {
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            outcomes.add(connect(client(new InetSocketAddress("10.0.1." + (i + 1), 50000)),
                    EndpointDiscriminator.forServerUri(URI)));
        }
        assertThat(net.runUntil(() -> outcomes.stream().allMatch(Outcome::done) && server.opened.size() == n,
                10 * SECOND)).as(why()).isTrue();
        assertThat(outcomes).allMatch(o -> o.session != null);
        // Nothing from those clients reaches the server any more, not even a Close Ack.
        net.addFilter(p -> p.to().equals(SERVER) && p.from().getAddress().getHostAddress().startsWith("10.0.1."));
        return List.copyOf(server.opened);
    }

    /** The server closes each session in turn; they keep resending Close, as nothing answers. */
    void closeEach(List<Session> sessions) {
        for (Session s : sessions) {
            s.close(net.now());
            net.runFor(SECOND / 10);
        }
    }

    @Test
    void closingSessionsDoNotHoldTheSessionCapAgainstNewClients() {
        Host server = new Host(net, SERVER, server().maxSessions(3).build());
        List<Session> closed = sessionsWithSilentClients(server, 3);
        closeEach(closed);
        net.runFor(5 * SECOND);
        // Still resending Close after the first retransmission: the close period is 90 s.
        assertThat(closed).allMatch(s -> s.state() == SessionState.NEAR_CLOSE);
        assertThat(server.endpoint.stats().closingSessions()).isEqualTo(3);
        assertThat(server.endpoint.stats().liveSessions()).isZero();

        Outcome fresh = connect(client(CLIENT), EndpointDiscriminator.forServerUri(URI));

        assertThat(net.runUntil(fresh::done, 10 * SECOND)).as(why()).isTrue();
        assertThat(fresh.session).as(why()).isNotNull();
        assertThat(server.endpoint.stats().drops(DropReason.SESSION_LIMIT)).isZero();
        assertThat(server.endpoint.stats().liveSessions()).isEqualTo(1);
        assertThat(server.endpoint.stats().closingSessions()).isEqualTo(3);
    }

    @Test
    void closingSessionsBeyondTheirOwnCapAreClosedAbruptlyOldestFirst() {
        Host server = new Host(net, SERVER, server().maxClosingSessions(2).build());
        List<Session> closed = sessionsWithSilentClients(server, 3);
        InetSocketAddress first = closed.get(0).destination();
        List<SimPacket> toFirst = new ArrayList<>();
        net.addFilter(p -> p.to().equals(first) && !toFirst.add(p));

        closeEach(closed);

        assertThat(closed.get(0).state()).isEqualTo(SessionState.CLOSED);
        assertThat(closed.subList(1, 3)).allMatch(s -> s.state() == SessionState.NEAR_CLOSE);
        assertThat(server.endpoint.stats().get(EndpointStats.Counter.CLOSING_SESSIONS_EVICTED)).isEqualTo(1);
        assertThat(server.endpoint.stats().closingSessions()).isEqualTo(2);
        assertThat(server.endpoint.sessions()).hasSize(2);
        // Its Close, then a Close Ack when it was evicted: its client closes at once instead of lingering.
        assertThat(toFirst).hasSize(2);
        // The others go on resending Close until the close period ends, then are forgotten too.
        assertThat(net.runUntil(() -> server.endpoint.sessions().isEmpty(), 100 * SECOND)).as(why()).isTrue();
        assertThat(server.endpoint.stats().closingSessions()).isZero();
    }

    @Test
    void aRedirectKeepsOnlyTheDestinationsThatFitInThreeTimesTheRequest() {
        Host server = new Host(net, SERVER, server().build());
        List<Address> many = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            many.add(new Address(new InetSocketAddress("2001:db8::" + Integer.toHexString(i + 1), 1000 + i),
                    Address.Origin.REPORTED));
        }
        List<Integer> sent = new ArrayList<>();
        server.endpoint.setForeignHelloHandler((h, now) -> sent.add(server.endpoint.sendRedirect(h, many, now)));
        net.attach(FLOODER, toFlooder::add);
        byte[] hello = iHello(EndpointDiscriminator.forPeer(new byte[32]), 1);

        net.inject(FLOODER, SERVER, hello);
        net.runFor(SECOND / 10);

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).isBetween(1, 23);
        assertThat(toFlooder).hasSize(1);
        assertThat(toFlooder.get(0).data().length).isLessThanOrEqualTo(3 * hello.length);
    }
}
