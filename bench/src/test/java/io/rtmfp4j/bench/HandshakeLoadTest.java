package io.rtmfp4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.DhKeyPair;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.runtime.UdpEndpoint;
import io.rtmfp4j.server.RendezvousServer;
import io.rtmfp4j.server.ServerConfig;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HandshakeLoadTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static HandshakeLoad.Params params(DhGroup group, int clientExponentBits) {
        return new HandshakeLoad.Params("rtmfp://127.0.0.1:1935", new InetSocketAddress("127.0.0.1", 1935),
                Duration.ofSeconds(1), 1, group, false, false, Duration.ZERO, clientExponentBits, 1, null);
    }

    @ParameterizedTest
    @EnumSource(value = DhGroup.class, names = {"GROUP_2", "GROUP_16"})
    void clientsHaveStaticKeysWithExponentsAsLongAsAsked(DhGroup group) {
        for (int bits : new int[] {16, 32, 64, 0}) {
            PeerIdentity id = HandshakeLoad.clientIdentity(params(group, bits), RANDOM);
            assertThat(id.isStatic()).isTrue();
            DhKeyPair key = id.staticKey(group).orElseThrow();
            assertThat(new BigInteger(1, key.privateKey()).bitLength()).isEqualTo(bits == 0 ? group.privateBits() : bits);
            // What a server checks before any exponentiation (RFC 7425 §4.6.2).
            DhKeyPair.checkPublicKey(group, key.publicKey());
            // And the agreement works like any other.
            DhKeyPair server = DhKeyPair.generate(group, RANDOM);
            assertThat(key.agree(server.publicKey())).isEqualTo(server.agree(key.publicKey()));
        }
    }

    @Test
    void eachHandshakeInFlightIsARealSessionOfItsOwnEvenWithTheClientsOnFewerThreads() throws Exception {
        Set<InetSocketAddress> clientAddresses = ConcurrentHashMap.newKeySet();
        AtomicLong opened = new AtomicLong();
        EndpointConfig config = EndpointConfig.builder(
                PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2), RANDOM)).build();
        try (UdpEndpoint server = UdpEndpoint.bind(config, new InetSocketAddress("127.0.0.1", 0))) {
            server.setListener(new EndpointListener() {
                @Override
                public void onSessionOpen(Session session) {
                    opened.incrementAndGet();
                    clientAddresses.add(session.destination());
                }
            });
            InetSocketAddress address = server.localAddresses().get(0);
            HandshakeLoad.Result result = HandshakeLoad.run(new HandshakeLoad.Params(
                    // Long enough for every client's first handshake on a loaded machine: all four must open one.
                    "rtmfp://127.0.0.1:" + address.getPort(), address, Duration.ofSeconds(10), 4, DhGroup.GROUP_2,
                    false, false, Duration.ZERO, HandshakeLoad.DEFAULT_CLIENT_EXPONENT_BITS, 2, null));

            assertThat(result.failures()).isZero();
            assertThat(result.sessions()).isPositive();
            // Every session counted was one the server opened: none joined another already open.
            assertThat(opened.get()).isGreaterThanOrEqualTo(result.sessions());
            assertThat(clientAddresses).hasSize(4);
            assertThat(result.toJson()).contains("\"clientThreads\":2", "\"concurrency\":4");
        }
    }

    /** A rendezvous server on loopback that answers {@code rate} startup packets a second per address. */
    private static RendezvousServer server(int rate) {
        EndpointConfig config = EndpointConfig.builder(
                PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2), RANDOM))
                .handshakeRate(rate).handshakeBurst(rate).build();
        return RendezvousServer.start(ServerConfig.of(config, List.of(new InetSocketAddress("127.0.0.1", 0)))
                .withCryptoThreads(1).withAdmin(new InetSocketAddress("127.0.0.1", 0)));
    }

    private static HandshakeLoad.Result load(RendezvousServer server, boolean askAdmin) throws InterruptedException {
        InetSocketAddress address = server.localAddresses().get(0);
        URI admin = askAdmin ? URI.create("http://127.0.0.1:" + server.adminAddress().getPort()) : null;
        return HandshakeLoad.run(new HandshakeLoad.Params("rtmfp://127.0.0.1:" + address.getPort(), address,
                Duration.ofSeconds(2), 8, DhGroup.GROUP_2, false, false, Duration.ZERO,
                HandshakeLoad.DEFAULT_CLIENT_EXPONENT_BITS, 1, admin));
    }

    @Test
    void aServerThatRateLimitsTheDriverIsCaughtThroughItsAdminListener() throws Exception {
        // One startup packet a second: the eight clients start with eight IHellos at once.
        try (RendezvousServer server = server(1)) {
            HandshakeLoad.Result result = load(server, true);

            assertThat(result.serverRateLimited()).isPositive();
            assertThat(result.heldBack()).isTrue();
            assertThat(result.toJson()).contains("\"serverRateLimited\":" + result.serverRateLimited());
        }
    }

    @Test
    void withoutAnAdminListenerTheResentStartupPacketsGiveTheLimitAway() throws Exception {
        try (RendezvousServer server = server(1)) {
            HandshakeLoad.Result result = load(server, false);

            assertThat(result.serverRateLimited()).isNull();
            // One packet a second: at most one client is answered, the others resend after a second.
            assertThat(result.startupRetransmissions()).isGreaterThan(result.sessions() / 100);
            assertThat(result.heldBack()).isTrue();
        }
    }

    @Test
    void aServerThatKeepsUpIsNotSaidToHoldTheLoadBack() throws Exception {
        try (RendezvousServer server = server(1_000_000)) {
            HandshakeLoad.Result result = load(server, true);

            assertThat(result.sessions()).isPositive();
            assertThat(result.serverRateLimited()).isZero();
            assertThat(result.heldBack()).isFalse();
        }
    }

    @Test
    void theRateLimitCountIsReadFromTheStatusDocument() {
        assertThat(ServerRateLimit.parse("{ \"drops\" : { \"bad_size\" : 3, \"rate_limited\" : 1234, \"x\" : 1 } }"))
                .hasValue(1234);
        assertThat(ServerRateLimit.parse("{ \"drops\" : { } }")).isEmpty();
        assertThat(ServerRateLimit.parse("\"rate_limited\" : 99999999999999999999999")).isEmpty();
        assertThat(ServerRateLimit.drops(URI.create("http://127.0.0.1:1"))).isEmpty();
    }

    @Test
    void clientThreadsMustBeBetweenOneAndTheConcurrency() {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", 1935);
        for (int threads : new int[] {0, 5}) {
            assertThatThrownBy(() -> new HandshakeLoad.Params("rtmfp://127.0.0.1:1935", server, Duration.ofSeconds(1),
                    4, DhGroup.GROUP_2, false, false, Duration.ZERO, 32, threads, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client threads");
        }
    }

    @Test
    void exponentLengthsOutsideTheGroupsRangeAreRefused() {
        assertThatThrownBy(() -> params(DhGroup.GROUP_2, 15)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> params(DhGroup.GROUP_2, DhGroup.GROUP_2.privateBits() + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
