package io.rtmfp4j.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.chunk.ChunkType;
import io.rtmfp4j.core.crypto.Certificate;
import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.DhKeyReuse;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.HandshakeSettings;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.sim.LinkConditions;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimPacket;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.core.wire.Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Session startup (RFC 7016 §3.5.1) between real endpoints on a simulated network: every test is
 * deterministic from its seed, and the seed is in every failure message.
 */
@ExtendWith(SimSeedExtension.class)
class HandshakeSimulationTest {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 1935);
    static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 50000);
    static final InetSocketAddress OTHER = new InetSocketAddress("10.0.0.3", 50001);
    static final String URI = "rtmfp://10.0.0.1/app";
    static final long SECOND = 1_000_000;

    /** Test endpoint: an Endpoint on the network plus everything its listeners heard. */
    static final class Host implements EndpointListener {
        final Endpoint endpoint;
        final InetSocketAddress address;
        final List<Session> opened = new ArrayList<>();
        final List<CloseReason> closed = new ArrayList<>();
        final List<Long> pingReplies = new ArrayList<>();

        Host(SimNetwork net, InetSocketAddress address, EndpointConfig config) {
            this(net, address, config, net.offload(2_000));
        }

        Host(SimNetwork net, InetSocketAddress address, EndpointConfig config, CryptoOffload offload) {
            this.address = address;
            this.endpoint = new Endpoint(config, net.newSecureRandom(), offload);
            endpoint.setListener(this);
            net.attach(address, endpoint);
        }

        @Override
        public void onSessionOpen(Session session) {
            opened.add(session);
        }

        @Override
        public void onSessionClosed(Session session, CloseReason reason) {
            closed.add(reason);
        }

        @Override
        public void onPingReply(Session session, long rttMicros) {
            pingReplies.add(rttMicros);
        }

        @Override
        public void onInternalError(RuntimeException error) {
            throw new AssertionError("internal error escaped into the endpoint", error);
        }
    }

    /** The outcome of one connect call. */
    static final class Outcome implements ConnectListener {
        Session session;
        CloseReason failure;
        int calls;

        @Override
        public void onOpen(Session s) {
            session = s;
            calls++;
        }

        @Override
        public void onFailure(CloseReason reason) {
            failure = reason;
            calls++;
        }

        boolean done() {
            return calls > 0;
        }
    }

    final long seed = SimNetwork.seedFromEnvironment(System.nanoTime());
    final SimNetwork net = new SimNetwork(seed);

    EndpointConfig server() {
        return EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_14, DhGroup.GROUP_2),
                net.newSecureRandom())).build();
    }

    EndpointConfig flashClient() {
        return EndpointConfig.builder(PeerIdentity.newFlashClient(net.newSecureRandom())).build();
    }

    Outcome connect(Host from, EndpointDiscriminator epd, InetSocketAddress... candidates) {
        Outcome o = new Outcome();
        from.endpoint.connect(epd, List.of(candidates), net.now(), o);
        net.flush(from.address);
        return o;
    }

    Outcome connectToServer(Host client) {
        return connect(client, EndpointDiscriminator.forServerUri(URI), SERVER);
    }

    String why() {
        return "seed " + seed;
    }

    @Test
    void clientOpensSessionWithServerAndBothSeeTheOtherIdentity() {
        Host server = new Host(net, SERVER, server());
        Host client = new Host(net, CLIENT, flashClient());

        Outcome o = connectToServer(client);

        assertThat(net.runUntil(o::done, 5 * SECOND)).as(why()).isTrue();
        assertThat(o.session).as(why()).isNotNull();
        assertThat(o.session.state()).isEqualTo(SessionState.OPEN);
        assertThat(o.session.farPeerId()).contains(server.endpoint.identity().certificate().peerId());
        assertThat(net.runUntil(() -> server.opened.size() == 1, SECOND)).as(why()).isTrue();
        Session atServer = server.opened.get(0);
        assertThat(atServer.farPeerId()).contains(client.endpoint.identity().certificate().peerId());
        assertThat(atServer.farSessionId()).isEqualTo(o.session.nearSessionId());
        assertThat(o.session.farSessionId()).isEqualTo(atServer.nearSessionId());
        // Flash client (group 2 only) and a server offering 14 and 2: the common group is 2.
        assertThat(o.session.security().orElseThrow().group()).isEqualTo(DhGroup.GROUP_2);
        assertThat(server.endpoint.stats().totalDrops()).as(why()).isZero();
        assertThat(client.endpoint.stats().totalDrops()).as(why()).isZero();
        assertThat(client.endpoint.stats().get(EndpointStats.Counter.STARTUP_RETRANSMISSIONS)).isZero();
    }

    @Test
    void strongestCommonGroupIsChosen() {
        Host server = new Host(net, SERVER, server());
        Host client = new Host(net, CLIENT, EndpointConfig.builder(PeerIdentity.newStatic(Optional.empty(),
                List.of(DhGroup.GROUP_16, DhGroup.GROUP_14, DhGroup.GROUP_2), net.newSecureRandom())).build());

        Outcome o = connectToServer(client);

        assertThat(net.runUntil(o::done, 5 * SECOND)).as(why()).isTrue();
        assertThat(o.session.security().orElseThrow().group()).isEqualTo(DhGroup.GROUP_14);
    }

    @Test
    void pingIsAnsweredAndMeasured() {
        new Host(net, SERVER, server());
        Host client = new Host(net, CLIENT, flashClient());
        Outcome o = connectToServer(client);
        net.runUntil(o::done, 5 * SECOND);

        o.session.ping(net.now());

        assertThat(net.runUntil(() -> !client.pingReplies.isEmpty(), SECOND)).as(why()).isTrue();
        // Two 10 ms hops on the default link.
        assertThat(client.pingReplies.get(0)).isEqualTo(20_000);
    }

    @ParameterizedTest(name = "first {0} lost")
    @ValueSource(ints = {ChunkType.IHELLO, ChunkType.RHELLO, ChunkType.IIKEYING, ChunkType.RIKEYING})
    void sessionOpensWhenTheFirstCopyOfAnyStartupPacketIsLost(int chunkType) {
        Host server = new Host(net, SERVER, server());
        Host client = new Host(net, CLIENT, flashClient());
        AtomicInteger dropped = new AtomicInteger();
        net.addFilter(p -> p.startupChunkType() == chunkType && dropped.getAndIncrement() == 0);

        Outcome o = connectToServer(client);

        assertThat(net.runUntil(o::done, 10 * SECOND)).as(why()).isTrue();
        assertThat(o.session).as(why()).isNotNull();
        assertThat(dropped.get()).as("the filter saw the packet type").isGreaterThanOrEqualTo(1);
        // Recovery waited for the 1 s startup retransmission, and the initiator counted it.
        assertThat(net.now()).isGreaterThan(2 * SECOND);
        assertThat(client.endpoint.stats().get(EndpointStats.Counter.STARTUP_RETRANSMISSIONS)).isEqualTo(1);
        net.runFor(SECOND);
        assertThat(server.opened).as(why()).hasSize(1);
        if (chunkType == ChunkType.RIKEYING) {
            // The retransmitted IIKeying was answered from the stored RIKeying, not a second session.
            assertThat(server.endpoint.stats().get(EndpointStats.Counter.RIKEYING_RESENT)).isEqualTo(1);
        }
    }

    @Test
    void aLateCopyOfTheIIKeyingIsAnsweredUntilTheInitiatorKeysTheSessionThenDropped() {
        Host server = new Host(net, SERVER, server());
        Host client = new Host(net, CLIENT, flashClient());
        Outcome o = connectToServer(client);
        assertThat(net.runUntil(o::done, 5 * SECOND)).as(why()).isTrue();
        SimPacket iikeying = net.delivered().stream()
                .filter(p -> p.startupChunkType() == ChunkType.IIKEYING).findFirst().orElseThrow();

        // Before any keyed packet from the initiator, a copy is answered with the stored RIKeying.
        net.inject(CLIENT, SERVER, iikeying.data().clone());
        net.runFor(SECOND);
        assertThat(server.endpoint.stats().get(EndpointStats.Counter.RIKEYING_RESENT)).isEqualTo(1);

        o.session.ping(net.now());
        assertThat(net.runUntil(() -> !client.pingReplies.isEmpty(), SECOND)).as(why()).isTrue();
        net.inject(CLIENT, SERVER, iikeying.data().clone());
        net.runFor(SECOND);

        // Afterwards the initiator has no use for it: dropped, and the session goes on undisturbed.
        assertThat(server.endpoint.stats().get(EndpointStats.Counter.RIKEYING_RESENT)).isEqualTo(1);
        assertThat(server.endpoint.stats().drops(DropReason.STALE_IIKEYING)).isEqualTo(1);
        assertThat(server.opened).hasSize(1);
        assertThat(server.endpoint.sessions()).hasSize(1);
        o.session.ping(net.now());
        assertThat(net.runUntil(() -> client.pingReplies.size() == 2, SECOND)).as(why()).isTrue();
    }

    @Test
    void anOpenSessionKeepsNoOpeningStateAndLateStartupPacketsLeaveItAlone() {
        Host server = new Host(net, SERVER, server());
        Host client = new Host(net, CLIENT, flashClient());
        Outcome o = connectToServer(client);
        Session opening = client.endpoint.sessions().iterator().next();
        assertThat(opening.opening()).isNotNull();

        assertThat(net.runUntil(o::done, 5 * SECOND)).as(why()).isTrue();
        assertThat(o.session).isSameAs(opening);
        assertThat(o.session.opening()).isNull();
        assertThat(net.runUntil(() -> !server.opened.isEmpty(), SECOND)).as(why()).isTrue();
        assertThat(server.opened.get(0).opening()).isNull();

        // Late copies of the server's RHello and RIKeying find no opening session, as before.
        SimPacket rhello = net.delivered().stream()
                .filter(p -> p.startupChunkType() == ChunkType.RHELLO).findFirst().orElseThrow();
        SimPacket riKeying = net.delivered().stream()
                .filter(p -> p.startupChunkType() == ChunkType.RIKEYING).findFirst().orElseThrow();
        net.inject(SERVER, CLIENT, rhello.data().clone());
        net.inject(SERVER, CLIENT, riKeying.data().clone());
        net.runFor(SECOND);
        assertThat(client.endpoint.stats().drops(DropReason.UNMATCHED_STARTUP)).isEqualTo(1);
        // The RIKeying names the session, which now expects its own keys.
        assertThat(client.endpoint.stats().drops(DropReason.BAD_PROTECTION)).isEqualTo(1);
        assertThat(client.endpoint.sessions()).containsExactly(o.session);
        o.session.ping(net.now());
        assertThat(net.runUntil(() -> !client.pingReplies.isEmpty(), SECOND)).as(why()).isTrue();
    }

    @Test
    void duplicatedAndReorderedStartupPacketsMakeOneSession() {
        net.setDefaultConditions(LinkConditions.PERFECT.withDuplicate(0.5).withJitter(300_000));
        Host server = new Host(net, SERVER, server());
        Host client = new Host(net, CLIENT, flashClient());

        Outcome o = connectToServer(client);

        assertThat(net.runUntil(o::done, 10 * SECOND)).as(why()).isTrue();
        net.runFor(3 * SECOND);
        assertThat(o.calls).isEqualTo(1);
        assertThat(server.opened).as(why()).hasSize(1);
        assertThat(server.endpoint.sessions()).as(why()).hasSize(1);
        assertThat(client.endpoint.sessions()).as(why()).hasSize(1);
    }

    @Test
    void lossyLinkStillOpensTheSession() {
        net.setDefaultConditions(LinkConditions.PERFECT.withLoss(0.3).withJitter(50_000));
        new Host(net, SERVER, server());
        Host client = new Host(net, CLIENT, flashClient());

        Outcome o = connectToServer(client);

        // At 30 % loss each way a handshake round trip fails half the time, and each retransmission
        // waits 1.5 s longer than the last (RFC 7016 §3.5.1): on some seeds the session opens only
        // after a minute. What must hold is that it opens before the endpoint gives up (95 s).
        assertThat(net.runUntil(o::done, 120 * SECOND)).as(why()).isTrue();
        assertThat(o.session).as(why()).isNotNull();
    }

    @Test
    void redirectSendsTheInitiatorToAnotherAddress() {
        Host server = new Host(net, SERVER, server());
        Host redirector = new Host(net, OTHER, server());
        redirector.endpoint.setForeignHelloHandler((hello, now) -> {
            redirector.endpoint.sendRedirect(hello, List.of(new Address(SERVER, Address.Origin.REPORTED)), now);
            return true;
        });
        Host client = new Host(net, CLIENT, flashClient());
        byte[] serverFingerprint = server.endpoint.identity().certificate().fingerprint();

        // The client only knows the redirector's address, and asks for the server by fingerprint.
        Outcome o = connect(client, EndpointDiscriminator.forPeer(serverFingerprint), OTHER);

        assertThat(net.runUntil(o::done, 5 * SECOND)).as(why()).isTrue();
        assertThat(o.session).as(why()).isNotNull();
        assertThat(o.session.destination()).isEqualTo(SERVER);
        assertThat(redirector.endpoint.stats().get(EndpointStats.Counter.FOREIGN_HELLOS)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void unknownPeerGetsNoAnswerAndTheOpenTimesOut() {
        Host server = new Host(net, SERVER, server());
        Host client = new Host(net, CLIENT, EndpointConfig.builder(PeerIdentity.newFlashClient(net.newSecureRandom()))
                .openTimeout(java.time.Duration.ofSeconds(20)).build());

        Outcome o = connect(client, EndpointDiscriminator.forPeer(new byte[32]), SERVER);

        assertThat(net.runUntil(o::done, 30 * SECOND)).as(why()).isTrue();
        assertThat(o.failure).isEqualTo(CloseReason.OPEN_TIMEOUT);
        assertThat(server.endpoint.stats().drops(DropReason.UNMATCHED_HELLO)).isGreaterThanOrEqualTo(1);
        assertThat(client.endpoint.sessions()).isEmpty();
    }

    @Test
    void introductionOpensADirectSessionBetweenTwoClients() {
        Host server = new Host(net, SERVER, server());
        Host target = new Host(net, OTHER, flashClient());
        Host initiator = new Host(net, CLIENT, flashClient());
        // The rendezvous logic in miniature: redirect to the target and forward the hello to it.
        server.endpoint.setForeignHelloHandler((hello, now) -> {
            byte[] wanted = hello.epd().fingerprint().orElse(null);
            if (wanted == null) {
                return false;
            }
            return server.endpoint.openSessionByFingerprint(wanted).map(s -> {
                server.endpoint.sendRedirect(hello, List.of(new Address(s.destination(), Address.Origin.OBSERVED)), now);
                s.forwardHello(hello.rawEpd(), new Address(hello.source(), Address.Origin.OBSERVED), hello.tag(), now);
                return true;
            }).orElse(false);
        });
        Outcome t = connectToServer(target);
        Outcome i = connectToServer(initiator);
        assertThat(net.runUntil(() -> t.done() && i.done(), 5 * SECOND)).as(why()).isTrue();

        Outcome p2p = connect(initiator, EndpointDiscriminator.forPeer(
                target.endpoint.identity().certificate().fingerprint()), SERVER);

        assertThat(net.runUntil(p2p::done, 5 * SECOND)).as(why()).isTrue();
        assertThat(p2p.session).as(why()).isNotNull();
        assertThat(p2p.session.destination()).isEqualTo(OTHER);
        assertThat(p2p.session.farPeerId()).contains(target.endpoint.identity().certificate().peerId());
        assertThat(target.endpoint.stats().get(EndpointStats.Counter.FORWARDED_HELLOS_RECEIVED)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void cookieChangeWhenTheInitiatorAddressChangesDuringKeying() {
        Host server = new Host(net, SERVER, server());
        Host client = new Host(net, CLIENT, flashClient());
        InetSocketAddress remapped = new InetSocketAddress("10.0.0.2", 61000);
        AtomicInteger rhellos = new AtomicInteger();
        // Just after the RHello leaves the server, the client's NAT picks a new mapping.
        net.addFilter(p -> {
            if (p.startupChunkType() == ChunkType.RHELLO && rhellos.getAndIncrement() == 0) {
                net.rebind(CLIENT, remapped);
            }
            return false;
        });

        Outcome o = connectToServer(client);

        assertThat(net.runUntil(o::done, 5 * SECOND)).as(why()).isTrue();
        assertThat(o.session).as(why()).isNotNull();
        assertThat(server.endpoint.stats().get(EndpointStats.Counter.COOKIE_CHANGES_SENT)).isEqualTo(1);
        net.runUntil(() -> !server.opened.isEmpty(), SECOND);
        assertThat(server.opened.get(0).destination()).isEqualTo(remapped);
    }

    @Test
    void simultaneousOpenBetweenTwoPeersEndsWithOneSessionEach() {
        Host a = new Host(net, CLIENT, flashClient());
        Host b = new Host(net, OTHER, flashClient());

        Outcome ab = connect(a, EndpointDiscriminator.forPeer(b.endpoint.identity().certificate().fingerprint()), OTHER);
        Outcome ba = connect(b, EndpointDiscriminator.forPeer(a.endpoint.identity().certificate().fingerprint()), CLIENT);

        assertThat(net.runUntil(() -> ab.done() && ba.done(), 10 * SECOND)).as(why()).isTrue();
        assertThat(ab.session).as(why()).isNotNull();
        assertThat(ba.session).as(why()).isNotNull();
        net.runFor(2 * SECOND);
        assertThat(ab.session.state()).isEqualTo(SessionState.OPEN);
        assertThat(ba.session.state()).isEqualTo(SessionState.OPEN);
        // Both ends agree on which pair of session IDs won.
        assertThat(ab.session.farSessionId()).isEqualTo(ba.session.nearSessionId());
        assertThat(a.endpoint.sessions()).as(why()).hasSize(1);
        assertThat(b.endpoint.sessions()).as(why()).hasSize(1);
    }

    /** Two Flash client identities, the one that wins glare by RFC 7425 §4.3.6 first. */
    PeerIdentity[] glarePair() {
        PeerIdentity a = PeerIdentity.newFlashClient(net.newSecureRandom());
        PeerIdentity b = PeerIdentity.newFlashClient(net.newSecureRandom());
        return Certificate.nearWinsGlare(a.certificate(), b.certificate()) ? new PeerIdentity[] {a, b}
                : new PeerIdentity[] {b, a};
    }

    static EndpointDiscriminator epdOf(Host h) {
        return EndpointDiscriminator.forPeer(h.endpoint.identity().certificate().fingerprint());
    }

    @Test
    void glareWithAFarEndThatNeverAnswersOurKeyingEndsOnItsSession() {
        // librtmfp lets the larger peer ID win glare once its IIKeying is out, whatever the
        // certificates; so it may refuse our IIKeying while we, with the smaller certificate,
        // refuse its own. Such a far end: every IIKeying of ours to it is lost, it repeats its own.
        PeerIdentity[] ids = glarePair();
        Host near = new Host(net, CLIENT, EndpointConfig.builder(ids[0]).build());
        Host far = new Host(net, OTHER, EndpointConfig.builder(ids[1]).build());
        net.addFilter(p -> p.from().equals(CLIENT) && p.startupChunkType() == ChunkType.IIKEYING);

        Outcome ours = connect(near, epdOf(far), OTHER);
        Outcome theirs = connect(far, epdOf(near), CLIENT);

        assertThat(net.runUntil(() -> ours.done() && theirs.done(), 20 * SECOND)).as(why()).isTrue();
        assertThat(ours.session).as(why()).isNotNull();
        assertThat(theirs.session).as(why()).isNotNull();
        assertThat(ours.session.farSessionId()).as(why()).isEqualTo(theirs.session.nearSessionId());
        assertThat(theirs.session.farSessionId()).as(why()).isEqualTo(ours.session.nearSessionId());
        net.runFor(5 * SECOND);
        assertThat(near.endpoint.sessions()).as(why()).containsExactly(ours.session);
        assertThat(ours.session.state()).isEqualTo(SessionState.OPEN);
    }

    @Test
    void glareWithAFarEndThatAnswersOurKeyingTooEndsOnOurSession() {
        // librtmfp lets the smaller peer ID give way, whatever the certificates; so it may answer
        // our IIKeying although we, with the larger certificate, answered its own and it drops the
        // session we answered. Such a far end: our answer to it is lost, and our IIKeying reaches
        // it once its own opening gave up, so it answers as a responder.
        PeerIdentity[] ids = glarePair();
        Host near = new Host(net, CLIENT, EndpointConfig.builder(ids[1]).build());
        Host far = new Host(net, OTHER, EndpointConfig.builder(ids[0]).openTimeout(java.time.Duration.ofSeconds(1))
                .build());
        List<SimPacket> held = new ArrayList<>();
        boolean[] released = {false};
        net.addFilter(p -> p.from().equals(CLIENT) && p.startupChunkType() == ChunkType.RIKEYING);
        net.addFilter(p -> !released[0] && p.from().equals(CLIENT) && p.startupChunkType() == ChunkType.IIKEYING
                && held.add(p));
        net.schedule(net.now() + 3 * SECOND / 2, () -> {
            released[0] = true;
            held.forEach(p -> net.inject(CLIENT, OTHER, p.data()));
        });

        Outcome ours = connect(near, epdOf(far), OTHER);
        Outcome theirs = connect(far, epdOf(near), CLIENT);

        assertThat(net.runUntil(() -> ours.done() && theirs.done(), 10 * SECOND)).as(why()).isTrue();
        assertThat(theirs.failure).as(why()).isEqualTo(CloseReason.OPEN_TIMEOUT);
        assertThat(held).as(why()).isNotEmpty();
        assertThat(net.runUntil(() -> !far.opened.isEmpty(), 5 * SECOND)).as(why()).isTrue();
        Session atFar = far.opened.get(0);
        assertThat(ours.session).as(why()).isNotNull();
        assertThat(ours.session.farSessionId()).as(why()).isEqualTo(atFar.nearSessionId());
        assertThat(atFar.farSessionId()).as(why()).isEqualTo(ours.session.nearSessionId());
        net.runFor(5 * SECOND);
        assertThat(near.endpoint.sessions()).as(why()).containsExactly(ours.session);
        assertThat(near.closed).as(why()).containsExactly(CloseReason.SUPERSEDED);
    }

    @Test
    void orderlyCloseReachesTheFarEndAndBothForgetTheSession() {
        Host server = new Host(net, SERVER, server());
        Host client = new Host(net, CLIENT, flashClient());
        Outcome o = connectToServer(client);
        net.runUntil(o::done, 5 * SECOND);

        o.session.close(net.now());

        assertThat(net.runUntil(() -> server.closed.contains(CloseReason.REMOTE_CLOSE), SECOND)).as(why()).isTrue();
        assertThat(client.closed).containsExactly(CloseReason.LOCAL_CLOSE);
        assertThat(net.runUntil(() -> client.endpoint.sessions().isEmpty() && server.endpoint.sessions().isEmpty(),
                30 * SECOND)).as(why()).isTrue();
    }

    @Test
    void aCloseLostOnTheWayIsRepeatedAfterAnErtoNotAfterFiveSeconds() {
        Host server = new Host(net, SERVER, server());
        Host client = new Host(net, CLIENT, flashClient());
        Outcome o = connectToServer(client);
        net.runUntil(o::done, 5 * SECOND);
        o.session.ping(net.now());
        net.runUntil(() -> !client.pingReplies.isEmpty(), SECOND);
        int[] lost = {0};
        net.addFilter(p -> p.from().equals(CLIENT) && lost[0]++ == 0);
        long closedAt = net.now();

        o.session.close(net.now());

        assertThat(net.runUntil(() -> server.closed.contains(CloseReason.REMOTE_CLOSE), 10 * SECOND)).as(why()).isTrue();
        assertThat(lost[0]).as("datagrams the client sent after its close").isGreaterThanOrEqualTo(2);
        // One ERTO of a session with an RTT sample: well under the 5 s at which the Close is repeated at the latest.
        assertThat(net.now() - closedAt).as(why()).isLessThan(2 * SECOND);
        assertThat(net.runUntil(() -> client.endpoint.sessions().isEmpty(), 2 * SECOND)).as(why()).isTrue();
    }

    @Test
    void silentPeerIsDeclaredDeadWithinTheRetransmitLimit() {
        Host server = new Host(net, SERVER, server());
        Host client = new Host(net, CLIENT, EndpointConfig.builder(PeerIdentity.newFlashClient(net.newSecureRandom()))
                .keepalive(java.time.Duration.ofSeconds(5)).retransmitLimit(java.time.Duration.ofSeconds(20)).build());
        Outcome o = connectToServer(client);
        net.runUntil(o::done, 5 * SECOND);
        long silentFrom = net.now();

        net.detach(SERVER);

        assertThat(net.runUntil(() -> client.closed.contains(CloseReason.RETRANSMIT_LIMIT), 60 * SECOND))
                .as(why()).isTrue();
        // Keepalive after 5 s of silence, then the 20 s limit, plus at most one backed-off ERTO (10 s).
        assertThat(net.now() - silentFrom).isBetween(25 * SECOND, 35 * SECOND);
        assertThat(server.endpoint.sessions()).hasSize(1);
    }

    @Test
    void garbageDatagramsAreCountedAndDoNotDisturbAnOpenSession() {
        Host server = new Host(net, SERVER, server());
        Host client = new Host(net, CLIENT, flashClient());
        Outcome o = connectToServer(client);
        net.runUntil(o::done, 5 * SECOND);
        java.util.Random r = new java.util.Random(seed);

        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[r.nextInt(100) + (i % 2 == 0 ? 0 : 1200)];
            r.nextBytes(junk);
            if (i % 3 == 0 && junk.length >= 4) {
                // Aim at the open session's ID half of the time.
                int ssid = server.opened.get(0).nearSessionId();
                junk[0] ^= (byte) (ssid >>> 24);
            }
            server.endpoint.receive(OTHER, junk, 0, junk.length, net.now());
        }
        o.session.ping(net.now());

        assertThat(net.runUntil(() -> !client.pingReplies.isEmpty(), SECOND)).as(why()).isTrue();
        assertThat(server.endpoint.stats().totalDrops()).isEqualTo(2000);
        assertThat(server.endpoint.stats().drops(DropReason.INTERNAL_ERROR)).isZero();
        assertThat(server.opened.get(0).state()).isEqualTo(SessionState.OPEN);
    }

    @ParameterizedTest(name = "key pair reused: {0}")
    @ValueSource(booleans = {false, true})
    void aReplayedIIKeyingIsRefusedWhileTheServerReusesItsKeyPair(boolean reuse) {
        DhKeyReuse policy = reuse ? new DhKeyReuse(100, java.time.Duration.ofSeconds(600)) : DhKeyReuse.none();
        Host server = new Host(net, SERVER, server().toBuilder().dhKeyReuse(policy).build());
        Host client = new Host(net, CLIENT, flashClient());
        Outcome o = connectToServer(client);
        assertThat(net.runUntil(o::done, 5 * SECOND)).as(why()).isTrue();
        byte[] iikeying = net.delivered().stream()
                .filter(p -> p.to().equals(SERVER) && p.startupChunkType() == ChunkType.IIKEYING)
                .findFirst().orElseThrow().data();
        o.session.close(net.now());
        assertThat(net.runUntil(() -> server.endpoint.sessions().isEmpty(), 30 * SECOND)).as(why()).isTrue();

        // Within the cookie's lifetime, from the same address: only the refusal stops it.
        net.inject(CLIENT, SERVER, iikeying.clone());
        net.runFor(SECOND);

        if (reuse) {
            assertThat(server.opened).as(why()).hasSize(1);
            assertThat(server.endpoint.stats().drops(DropReason.KEYING_FAILED)).isEqualTo(1);
        } else {
            // A fresh key pair keys a session whose keys the recorded packets do not match.
            assertThat(server.opened).as(why()).hasSize(2);
            assertThat(server.endpoint.stats().drops(DropReason.KEYING_FAILED)).isZero();
        }
        // A new session of the same client is keyed with the reused key pair as usual.
        Outcome again = connectToServer(client);
        assertThat(net.runUntil(again::done, 5 * SECOND)).as(why()).isTrue();
        assertThat(again.session).as(why()).isNotNull();
    }

    @Test
    void strictHandshakeSettingsNegotiateHmacAndSequenceNumbersBothWays() {
        Host server = new Host(net, SERVER, server().toBuilder().handshake(HandshakeSettings.strict()).build());
        Host client = new Host(net, CLIENT, flashClient());

        Outcome o = connectToServer(client);

        assertThat(net.runUntil(o::done, 5 * SECOND)).as(why()).isTrue();
        var sec = o.session.security().orElseThrow();
        assertThat(sec.txHmac()).isTrue();
        assertThat(sec.rxHmac()).isTrue();
        assertThat(sec.txSseq()).isTrue();
        assertThat(sec.rxSseq()).isTrue();
        o.session.ping(net.now());
        assertThat(net.runUntil(() -> !client.pingReplies.isEmpty(), SECOND)).as(why()).isTrue();
        assertThat(server.endpoint.stats().totalDrops()).isZero();
    }
}
