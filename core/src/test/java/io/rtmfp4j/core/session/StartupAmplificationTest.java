package io.rtmfp4j.core.session;

import static io.rtmfp4j.core.session.HandshakeSimulationTest.CLIENT;
import static io.rtmfp4j.core.session.HandshakeSimulationTest.OTHER;
import static io.rtmfp4j.core.session.HandshakeSimulationTest.SECOND;
import static io.rtmfp4j.core.session.HandshakeSimulationTest.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.chunk.ChunkType;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every startup exchange sends back against what it received, in bytes on the wire: an
 * answer to an address no cookie has validated yet is at most three times its request, except
 * where interoperability rules it out (librtmfp's 64-byte cookie, a peer's own certificate),
 * and those exceptions are bounded here too. docs/server.md lists the ratios.
 */
@ExtendWith(SimSeedExtension.class)
class StartupAmplificationTest {
    /** Where a flood's spoofed source would point: it only receives. */
    static final InetSocketAddress VICTIM = new InetSocketAddress("10.0.0.99", 40000);
    static final String URI = "rtmfp://10.0.0.1/app";

    final long seed = SimNetwork.seedFromEnvironment(System.nanoTime());
    final SimNetwork net = new SimNetwork(seed);
    final List<SimPacket> toVictim = new ArrayList<>();

    StartupAmplificationTest() {
        net.attach(VICTIM, toVictim::add);
    }

    /** A rendezvous server's endpoint as {@code rtmfp server} makes it by default: groups 16, 14, 2. */
    Host server() {
        return new Host(net, SERVER, EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(),
                List.of(DhGroup.GROUP_16, DhGroup.GROUP_14, DhGroup.GROUP_2), net.newSecureRandom())).build());
    }

    Host flashPeer(InetSocketAddress at) {
        return new Host(net, at, EndpointConfig.builder(PeerIdentity.newFlashClient(net.newSecureRandom())).build());
    }

    static byte[] iHello(byte[] epd, int tagLength) {
        byte[] tag = new byte[tagLength];
        tag[0] = 1;
        ByteWriter w = new ByteWriter(256);
        new Packet(false, false, PacketMode.STARTUP, 0, Packet.NO_TIMESTAMP, List.of(new IHello(epd, tag))).encode(w);
        return PacketProtection.startup().seal(0, w.array(), 0, w.size());
    }

    /** An EPD with only ancillary data, as clients connecting to a server send it (RFC 7425 §4.4.2). */
    static byte[] ancillary(String text) {
        return new EndpointDiscriminator(Optional.empty(), Optional.of(text.getBytes(StandardCharsets.UTF_8)),
                Optional.empty()).encode();
    }

    /** Sends {@code request} to {@code to} as if from the victim; what came back to the victim, in bytes. */
    long answerTo(byte[] request, InetSocketAddress to) {
        toVictim.clear();
        net.inject(VICTIM, to, request);
        net.runFor(SECOND);
        return toVictim.stream().mapToLong(p -> p.data().length).sum();
    }

    static void report(String exchange, long in, long out) {
        System.out.printf(Locale.ROOT, "amplification %-58s %4d -> %4d bytes  %.2fx%n", exchange, in, out,
                (double) out / in);
    }

    String why() {
        return "seed " + seed;
    }

    @Test
    void anIHelloNoRealInitiatorSendsIsNotAnswered() {
        Host server = server();
        // Empty ancillary data and a 1-byte tag: the smallest IHello that selects a server, 20 bytes.
        byte[] tiny = iHello(ancillary(""), 1);
        assertThat(tiny).hasSize(20);

        long out = answerTo(tiny, SERVER);

        report("IHello, 1-byte tag -> nothing", tiny.length, out);
        assertThat(out).isZero();
        assertThat(server.endpoint.stats().drops(DropReason.SHORT_TAG)).isEqualTo(1);
    }

    @Test
    void theServersRHelloToAFullUriIsLessThanTwiceTheIHello() {
        server();
        // The shortest URI that names a host, as Flash Player, rtmfp-cpp and rtmfp4j send it.
        for (String uri : List.of("rtmfp://a", URI, "rtmfp://rendezvous.example.com:1935/application/instance")) {
            byte[] hello = iHello(ancillary(uri), 16);

            long out = answerTo(hello, SERVER);

            report("IHello " + uri + " -> RHello", hello.length, out);
            assertThat(toVictim).hasSize(1);
            assertThat(toVictim.get(0).startupChunkType()).isEqualTo(ChunkType.RHELLO);
            assertThat((double) out / hello.length).as(uri).isLessThan(2);
        }
    }

    @Test
    void theServersRHelloWithLibrtmfpsCookieIsAtMostThreeAndAQuarterTimesTheIHello() {
        server();
        // librtmfp sends the URI's path alone, and takes only a 64-byte cookie (spec P7): for a path
        // of up to five characters its IHello is 36 bytes, and the RHello cannot be under 3x.
        for (String path : List.of("", "test", "live/stream", "a-much-longer-application/instance")) {
            byte[] hello = iHello(ancillary(path), 16);

            long out = answerTo(hello, SERVER);

            report("IHello path '" + path + "' (librtmfp) -> RHello", hello.length, out);
            assertThat(toVictim).hasSize(1);
            assertThat(out).isLessThanOrEqualTo(hello.length <= 36 ? 116 : 3L * hello.length);
        }
    }

    @Test
    void aPeersRHelloCarriesItsCertificateAndLibrtmfpsCookie() {
        Host peer = flashPeer(OTHER);
        byte[] hello = iHello(EndpointDiscriminator.forPeer(peer.endpoint.identity().certificate().fingerprint())
                .encode(), 16);

        long out = answerTo(hello, OTHER);

        report("IHello fingerprint -> RHello (Flash peer, 132-byte cert)", hello.length, out);
        assertThat(toVictim).hasSize(1);
        // A peer's certificate is its 132-byte static key: 228 bytes against 68.
        assertThat(out).isLessThanOrEqualTo(228);
    }

    @Test
    void anIntroductionAnswersTheInitiatorWithABoundedRedirectAndThePeersRHello() {
        Host server = server();
        Host target = flashPeer(OTHER);
        server.endpoint.setForeignHelloHandler((hello, now) -> server.endpoint.openSessionByFingerprint(
                hello.epd().fingerprint().orElseThrow()).map(s -> {
                    server.endpoint.sendRedirect(hello, List.of(new Address(s.destination(), Address.Origin.OBSERVED)),
                            now);
                    s.forwardHello(hello.rawEpd(), new Address(hello.source(), Address.Origin.OBSERVED), hello.tag(), now);
                    return true;
                }).orElse(false));
        Outcome connected = new Outcome();
        target.endpoint.connect(EndpointDiscriminator.forServerUri(URI), List.of(SERVER), net.now(), connected);
        assertThat(net.runUntil(connected::done, 5 * SECOND)).as(why()).isTrue();
        byte[] hello = iHello(EndpointDiscriminator.forPeer(target.endpoint.identity().certificate().fingerprint())
                .encode(), 16);

        answerTo(hello, SERVER);

        long redirect = bytesOf(ChunkType.REDIRECT);
        long rHello = bytesOf(ChunkType.RHELLO);
        report("IHello fingerprint -> Redirect (server)", hello.length, redirect);
        report("IHello fingerprint -> forwarded -> RHello (peer)", hello.length, rHello);
        assertThat(redirect).isBetween(1L, 3L * hello.length);
        assertThat(rHello).isBetween(1L, 228L);
    }

    private long bytesOf(int chunkType) {
        return toVictim.stream().filter(p -> p.startupChunkType() == chunkType).mapToLong(p -> p.data().length).sum();
    }

    @Test
    void keyingAndCookieChangeAnswerLessThanTheyReceive() {
        server();
        Host client = flashPeer(CLIENT);
        InetSocketAddress remapped = new InetSocketAddress("10.0.0.2", 61000);
        // The client's NAT picks a new mapping as the RHello leaves: its IIKeying then earns a Cookie Change.
        net.addFilter(p -> {
            if (p.startupChunkType() == ChunkType.RHELLO) {
                net.rebind(CLIENT, remapped);
            }
            return false;
        });
        Outcome o = new Outcome();
        client.endpoint.connect(EndpointDiscriminator.forServerUri(URI), List.of(SERVER), net.now(), o);
        assertThat(net.runUntil(o::done, 5 * SECOND)).as(why()).isTrue();
        assertThat(o.session).as(why()).isNotNull();

        long iiKeying = firstOf(ChunkType.IIKEYING);
        long cookieChange = firstOf(ChunkType.COOKIE_CHANGE);
        long riKeying = firstOf(ChunkType.RIKEYING);
        report("IIKeying (Flash client) -> Cookie Change", iiKeying, cookieChange);
        report("IIKeying (Flash client) -> RIKeying (group 2)", iiKeying, riKeying);
        assertThat(cookieChange).isPositive().isLessThan(iiKeying);
        assertThat(riKeying).isPositive().isLessThan(iiKeying);
    }

    private long firstOf(int chunkType) {
        return net.delivered().stream().filter(p -> p.startupChunkType() == chunkType).findFirst()
                .map(p -> (long) p.data().length).orElse(0L);
    }

    @Test
    void aSessionPacketFromANewAddressEarnsAProbeOfLessThanTwiceItsSize() {
        Host server = server();
        Host client = flashPeer(CLIENT);
        Outcome o = new Outcome();
        client.endpoint.connect(EndpointDiscriminator.forServerUri(URI), List.of(SERVER), net.now(), o);
        assertThat(net.runUntil(o::done, 5 * SECOND)).as(why()).isTrue();
        o.session.ping(net.now());
        assertThat(net.runUntil(() -> !client.pingReplies.isEmpty(), SECOND)).as(why()).isTrue();
        // A recorded keepalive replayed from a spoofed source: the server validates the new address
        // with a Ping before it moves the session (RFC 7016 §3.5.4.2).
        byte[] keepalive = net.delivered().stream()
                .filter(p -> p.to().equals(SERVER) && p.startupChunkType() < 0)
                .reduce((a, b) -> a.data().length <= b.data().length ? a : b).orElseThrow().data();

        long out = answerTo(keepalive.clone(), SERVER);

        report("session packet from a new address -> validation Ping", keepalive.length, out);
        assertThat(out).isPositive().isLessThan(2L * keepalive.length);
        assertThat(server.opened.get(0).destination()).isEqualTo(CLIENT);
    }
}
