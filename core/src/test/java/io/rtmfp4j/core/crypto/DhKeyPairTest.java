package io.rtmfp4j.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.WireFormatException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DhKeyPairTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @ParameterizedTest
    @EnumSource(DhGroup.class)
    void bothEndsAgreeOnMinimalSecret(DhGroup g) {
        DhKeyPair a = DhKeyPair.generate(g, RANDOM);
        DhKeyPair b = DhKeyPair.generate(g, RANDOM);
        byte[] s1 = a.agree(b.publicKey());
        assertThat(s1).isEqualTo(b.agree(a.publicKey()));
        assertThat(s1[0]).isNotZero();
        assertThat(a.publicKey()[0]).isNotZero();
        assertThat(a.publicKey().length).isLessThanOrEqualTo(g.primeBytes());
        BigInteger x = new BigInteger(1, a.privateKey());
        assertThat(x.bitLength()).isEqualTo(g.privateBits());
    }

    @Test
    void flashStaticKeyIsExactly128Bytes() {
        for (int i = 0; i < 20; i++) {
            assertThat(DhKeyPair.generateFlashStatic(RANDOM).publicKey()).hasSize(128);
        }
    }

    @Test
    void shortKeysAndSecretsStayMinimal() {
        // Find, deterministically, a pair whose public key or secret is shorter than the modulus:
        // about 1 in 256, so a few thousand tries always find one.
        Random r = new Random(42);
        boolean foundShortKey = false;
        for (int i = 0; i < 4000 && !foundShortKey; i++) {
            byte[] x = new byte[28];
            r.nextBytes(x);
            x[0] |= (byte) 0x80;
            DhKeyPair kp = DhKeyPair.fromPrivateKey(DhGroup.GROUP_2, x);
            BigInteger y = DhGroup.GENERATOR.modPow(new BigInteger(1, x), DhGroup.GROUP_2.prime());
            assertThat(kp.publicKey()).hasSize((y.bitLength() + 7) / 8);
            foundShortKey = kp.publicKey().length < 128;
        }
        assertThat(foundShortKey).isTrue();
    }

    @Test
    void fromPrivateKeyRebuildsThePair() {
        DhKeyPair a = DhKeyPair.generate(DhGroup.GROUP_14, RANDOM);
        DhKeyPair b = DhKeyPair.fromPrivateKey(DhGroup.GROUP_14, a.privateKey());
        assertThat(b).isEqualTo(a);
        assertThat(b.publicKey()).isEqualTo(a.publicKey());
        assertThat(a.toString()).doesNotContain(io.rtmfp4j.core.wire.Hex.encode(a.privateKey()));
        assertThatThrownBy(() -> DhKeyPair.fromPrivateKey(DhGroup.GROUP_2, new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(DhGroup.class)
    void rejectsInvalidFarKeys(DhGroup g) {
        DhKeyPair a = DhKeyPair.generate(g, RANDOM);
        BigInteger p = g.prime();
        BigInteger two24 = BigInteger.ONE.shiftLeft(24);
        BigInteger[] bad = {
            BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, two24.subtract(BigInteger.ONE),
            p.subtract(two24).add(BigInteger.ONE), p.subtract(BigInteger.ONE), p, p.add(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(200), // in range but a single one bit
            BigInteger.ONE.shiftLeft(200).subtract(BigInteger.ONE), // in range but no zero bits
            BigInteger.ONE.shiftLeft(p.bitLength() + 8), // longer than the modulus
        };
        for (BigInteger y : bad) {
            byte[] key = DhKeyPair.minimal(y);
            assertThatThrownBy(() -> a.agree(key)).as("y=%s", y.toString(16)).isInstanceOf(WireFormatException.class);
            assertThatThrownBy(() -> DhKeyPair.checkPublicKey(g, key)).isInstanceOf(WireFormatException.class);
        }
        assertThatThrownBy(() -> a.agree(new byte[0])).isInstanceOf(WireFormatException.class);
        // The boundaries themselves are fine when the bit pattern is.
        BigInteger lowOk = two24.add(BigInteger.valueOf(0xaaaaaaaaL).shiftLeft(40));
        assertThat(a.agree(DhKeyPair.minimal(lowOk))).isNotEmpty();
        // Leading zero bytes in a far key are tolerated: the value is what counts.
        byte[] padded = TestVectors.concat(new byte[3], DhKeyPair.generate(g, RANDOM).publicKey());
        assertThat(a.agree(padded)).isNotEmpty();
    }
}
