package io.rtmfp4j.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * {@link FixedBasePower} against {@link BigInteger#modPow} for any odd modulus (Montgomery
 * multiplication needs no prime) and any base: random moduli, and moduli of the shapes that
 * stress the 52-bit limbs (2^b − 1 − 2c with all-ones high limbs, 2^(b−1) + 1 + 2c with a
 * single bit in the top limb; c below 2^40, so both have b bits), with lengths clustered around
 * multiples of 52.
 */
class FixedBasePowerProperties {
    @Provide
    Arbitrary<BigInteger> moduli() {
        Arbitrary<Integer> nearLimbs = Arbitraries.integers().between(2, 21)
                .flatMap(k -> Arbitraries.integers().between(52 * k - 2, 52 * k + 2));
        Arbitrary<Integer> bits = Arbitraries.oneOf(Arbitraries.integers().between(64, 1100), nearLimbs);
        Arbitrary<BigInteger> small = Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(40));
        return Combinators.combine(bits, small, Arbitraries.of(Shape.class), Arbitraries.longs())
                .as((b, c, shape, seed) -> shape.modulus(b, c, seed));
    }

    @Provide
    Arbitrary<List<BigInteger>> exponents() {
        BigInteger max = BigInteger.ONE.shiftLeft(120).subtract(BigInteger.ONE);
        return Arbitraries.bigIntegers().between(BigInteger.ZERO, max).list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 150)
    void agreesWithModPow(@ForAll("moduli") BigInteger modulus, @ForAll @Size(max = 140) byte[] base,
            @ForAll("exponents") List<BigInteger> exponents) {
        BigInteger b = new BigInteger(1, base);
        FixedBasePower f = new FixedBasePower(b, modulus, 120);
        for (BigInteger x : exponents) {
            assertThat(f.pow(x)).as("%s^%s mod %s", b.toString(16), x.toString(16), modulus.toString(16))
                    .isEqualTo(DhKeyPair.minimal(b.modPow(x, modulus)));
        }
    }

    private enum Shape {
        /** 2^b − 1 − 2c: all-ones high limbs. */
        BELOW_POWER {
            @Override
            BigInteger modulus(int bits, BigInteger c, long seed) {
                return BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).subtract(c.shiftLeft(1));
            }
        },
        /** 2^(b−1) + 1 + 2c: a single bit in the top limb. */
        ABOVE_POWER {
            @Override
            BigInteger modulus(int bits, BigInteger c, long seed) {
                return BigInteger.ONE.shiftLeft(bits - 1).add(BigInteger.ONE).add(c.shiftLeft(1));
            }
        },
        RANDOM {
            @Override
            BigInteger modulus(int bits, BigInteger c, long seed) {
                return new BigInteger(bits, new Random(seed)).setBit(bits - 1).setBit(0);
            }
        };

        abstract BigInteger modulus(int bits, BigInteger c, long seed);
    }
}
