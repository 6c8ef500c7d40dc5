package io.rtmfp4j.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DhGroupTest {
    @Test
    void group2PrimeIsTheSpecsHex() {
        BigInteger spec = new BigInteger(("FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 29024E08 8A67CC74 020BBEA6 3B139B22"
                + "514A0879 8E3404DD EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 E485B576 625E7EC6"
                + "F44C42E9 A637ED6B 0BFF5CB6 F406B7ED EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE65381"
                + "FFFFFFFF FFFFFFFF").replace(" ", ""), 16);
        assertThat(DhGroup.GROUP_2.prime()).isEqualTo(spec);
    }

    @ParameterizedTest
    @EnumSource(DhGroup.class)
    void primesHaveTheMODPShapeAndAreSafePrimes(DhGroup g) {
        int bits = switch (g) {
            case GROUP_2 -> 1024;
            case GROUP_5 -> 1536;
            case GROUP_14 -> 2048;
            case GROUP_16 -> 4096;
        };
        BigInteger p = g.prime();
        assertThat(p.bitLength()).isEqualTo(bits);
        assertThat(g.primeBytes()).isEqualTo(bits / 8);
        BigInteger ones64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        assertThat(p.shiftRight(bits - 64)).isEqualTo(ones64);
        assertThat(p.and(ones64)).isEqualTo(ones64);
        // Every MODP prime starts with the same digits of pi after the top 64 bits.
        assertThat(p.shiftRight(bits - 128).and(ones64).toString(16)).isEqualTo("c90fdaa22168c234");
        assertThat(p.isProbablePrime(8)).isTrue();
        assertThat(p.shiftRight(1).isProbablePrime(8)).isTrue();
    }

    @Test
    void idsAndOrder() {
        assertThat(DhGroup.byId(2)).contains(DhGroup.GROUP_2);
        assertThat(DhGroup.byId(5)).contains(DhGroup.GROUP_5);
        assertThat(DhGroup.byId(14)).contains(DhGroup.GROUP_14);
        assertThat(DhGroup.byId(16)).contains(DhGroup.GROUP_16);
        assertThat(DhGroup.byId(1)).isEmpty();
        assertThat(DhGroup.byId(1L << 40)).isEmpty();
        assertThat(DhGroup.strongestFirst()).containsExactly(DhGroup.GROUP_16, DhGroup.GROUP_14, DhGroup.GROUP_5,
                DhGroup.GROUP_2);
        assertThat(DhGroup.GROUP_2.privateBits()).isEqualTo(160);
        assertThat(DhGroup.GROUP_5.privateBits()).isEqualTo(240);
        assertThat(DhGroup.GROUP_14.privateBits()).isEqualTo(320);
        assertThat(DhGroup.GROUP_16.privateBits()).isEqualTo(384);
    }
}
