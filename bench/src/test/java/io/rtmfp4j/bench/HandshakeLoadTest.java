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
import java.math.BigInteger;
import java.net.InetSocketAddress;
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
                Duration.ofSeconds(1), 1, group, false, false, Duration.ZERO, clientExponentBits, 1);
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
                    false, false, Duration.ZERO, HandshakeLoad.DEFAULT_CLIENT_EXPONENT_BITS, 2));

            assertThat(result.failures()).isZero();
            assertThat(result.sessions()).isPositive();
            // Every session counted was one the server opened: none joined another already open.
            assertThat(opened.get()).isGreaterThanOrEqualTo(result.sessions());
            assertThat(clientAddresses).hasSize(4);
            assertThat(result.toJson()).contains("\"clientThreads\":2", "\"concurrency\":4");
        }
    }

    @Test
    void clientThreadsMustBeBetweenOneAndTheConcurrency() {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", 1935);
        for (int threads : new int[] {0, 5}) {
            assertThatThrownBy(() -> new HandshakeLoad.Params("rtmfp://127.0.0.1:1935", server, Duration.ofSeconds(1),
                    4, DhGroup.GROUP_2, false, false, Duration.ZERO, 32, threads))
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
