package io.rtmfp4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.DhKeyPair;
import io.rtmfp4j.core.crypto.PeerIdentity;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HandshakeLoadTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static HandshakeLoad.Params params(DhGroup group, int clientExponentBits) {
        return new HandshakeLoad.Params("rtmfp://127.0.0.1:1935", new InetSocketAddress("127.0.0.1", 1935),
                Duration.ofSeconds(1), 1, group, false, false, Duration.ZERO, clientExponentBits);
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
    void exponentLengthsOutsideTheGroupsRangeAreRefused() {
        assertThatThrownBy(() -> params(DhGroup.GROUP_2, 15)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> params(DhGroup.GROUP_2, DhGroup.GROUP_2.privateBits() + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
