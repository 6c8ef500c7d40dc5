package io.rtmfp4j.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Moduli at the limb boundaries of the 52-bit arithmetic: 52k bits (R = 2^(52k) just above p,
     * so a product's top limb often has 53 bits and the final subtraction is frequent), 52k − 1
     * bits, and 52k + 1 bits (a nearly empty top limb). Each length with 2^b − 1 (all limbs ones,
     * like the high and low limbs of the MODP primes), 2^(b − 1) + 1 (a single bit in the top
     * limb) and a random odd modulus: Montgomery multiplication needs no prime, only an odd one.
     */
    @Test
    void moduliAtLimbBoundaries() {
        Random r = new Random(52);
        for (int bits : new int[] {103, 104, 105, 155, 156, 207, 1039, 1040, 1041}) {
            BigInteger[] moduli = {BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE),
                    BigInteger.ONE.shiftLeft(bits - 1).add(BigInteger.ONE),
                    new BigInteger(bits, r).setBit(bits - 1).setBit(0)};
            for (BigInteger p : moduli) {
                BigInteger base = new BigInteger(bits + 64, r);
                assertAgrees(new FixedBasePower(base, p, 100), base, p, r);
            }
        }
    }

    /**
     * Bases whose residues are the largest possible: p − 1 (powers ±1), p − 2, and the base whose
     * Montgomery form (radix 2^52, R the smallest power above p) is p − 1, so the first squarings
     * of the table build multiply all-ones limbs; with group moduli and moduli of 52k bits.
     */
    @Test
    void basesNearTheModulus() {
        Random r = new Random(7);
        BigInteger[] moduli = {DhGroup.GROUP_2.prime(), DhGroup.GROUP_14.prime(),
                BigInteger.ONE.shiftLeft(1040).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(104).subtract(BigInteger.valueOf(3))};
        for (BigInteger p : moduli) {
            int limbs = (p.bitLength() + 51) / 52;
            BigInteger rInverse = BigInteger.ONE.shiftLeft(52 * limbs).modInverse(p);
            BigInteger pMinusOne = p.subtract(BigInteger.ONE);
            for (BigInteger base : new BigInteger[] {pMinusOne, p.subtract(BigInteger.TWO),
                    pMinusOne.multiply(rInverse).mod(p), p.add(BigInteger.valueOf(3))}) {
                assertAgrees(new FixedBasePower(base, p, 100), base, p, r);
            }
        }
    }

    @Test
    void refusesModuliItCannotHandle() {
        BigInteger big = BigInteger.ONE.shiftLeft(FixedBasePower.MAX_MODULUS_BITS).add(BigInteger.ONE);
        for (BigInteger m : new BigInteger[] {big, BigInteger.ONE.shiftLeft(62).add(BigInteger.ONE),
                DhGroup.GROUP_2.prime().add(BigInteger.ONE)}) {
            assertThatThrownBy(() -> new FixedBasePower(BigInteger.TWO, m, 100))
                    .as("modulus of %d bits", m.bitLength()).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusesExponentsItCannotHandle() {
        FixedBasePower f = new FixedBasePower(DhGroup.GENERATOR, DhGroup.GROUP_2.prime(), 224);
        assertThatThrownBy(() -> f.pow(BigInteger.ONE.shiftLeft(f.maxExponentBits())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.pow(BigInteger.ONE.negate())).isInstanceOf(IllegalArgumentException.class);
    }

    /** Exponents 0, 1, all ones and random ones of every length, against modPow. */
    private static void assertAgrees(FixedBasePower f, BigInteger base, BigInteger p, Random r) {
        int max = f.maxExponentBits();
        List<BigInteger> exponents = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.ONE,
                BigInteger.ONE.shiftLeft(max).subtract(BigInteger.ONE)));
        for (int i = 0; i < 10; i++) {
            exponents.add(new BigInteger(1 + r.nextInt(max), r));
        }
        for (BigInteger x : exponents) {
            assertThat(f.pow(x)).as("%s^%s mod %s", base.toString(16), x.toString(16), p.toString(16))
                    .isEqualTo(DhKeyPair.minimal(base.modPow(x, p)));
        }
    }

    private static byte[] expected(DhGroup group, BigInteger x) {
        return DhKeyPair.minimal(DhGroup.GENERATOR.modPow(x, group.prime()));
    }
}
