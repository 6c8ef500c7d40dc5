package io.rtmfp4j.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FixedBasePowerTest {
    @ParameterizedTest
    @EnumSource(DhGroup.class)
    void agreesWithModPow(DhGroup group) {
        FixedBasePower f = new FixedBasePower(DhGroup.GENERATOR, group.prime(), group.privateBits());
        assertThat(f.maxExponentBits()).isGreaterThanOrEqualTo(group.privateBits());
        Random r = new Random(group.id());
        int max = f.maxExponentBits();
        BigInteger allOnes = BigInteger.ONE.shiftLeft(max).subtract(BigInteger.ONE);
        for (BigInteger x : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(3),
                BigInteger.ONE.shiftLeft(max - 1), allOnes, allOnes.shiftRight(1), BigInteger.valueOf(0xffffffffL)}) {
            assertThat(f.pow(x)).as("x = %s", x.toString(16)).isEqualTo(expected(group, x));
        }
        for (int i = 0; i < 40; i++) {
            BigInteger x = new BigInteger(1 + r.nextInt(max), r);
            assertThat(f.pow(x)).as("x = %s", x.toString(16)).isEqualTo(expected(group, x));
        }
    }

    @Test
    void otherBasesAndModuli() {
        Random r = new Random(5);
        for (int bits : new int[] {64, 65, 95, 96, 97, 521, 1023}) {
            BigInteger p = BigInteger.probablePrime(bits, r);
            BigInteger base = new BigInteger(bits - 1, r).add(BigInteger.TWO);
            FixedBasePower f = new FixedBasePower(base, p, 100);
            for (int i = 0; i < 20; i++) {
                BigInteger x = new BigInteger(f.maxExponentBits(), r);
                assertThat(new BigInteger(1, f.pow(x))).isEqualTo(base.modPow(x, p));
            }
        }
    }

    @Test
    void refusesExponentsItCannotHandle() {
        FixedBasePower f = new FixedBasePower(DhGroup.GENERATOR, DhGroup.GROUP_2.prime(), 224);
        assertThatThrownBy(() -> f.pow(BigInteger.ONE.shiftLeft(f.maxExponentBits())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.pow(BigInteger.ONE.negate())).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] expected(DhGroup group, BigInteger x) {
        return DhKeyPair.minimal(DhGroup.GENERATOR.modPow(x, group.prime()));
    }
}
