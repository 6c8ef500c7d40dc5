package io.rtmfp4j.core.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * {@code 2^x mod p} for the short private exponents of one {@link DhGroup}, by the fixed-base comb
 * method of Lim and Lee ("More Flexible Exponentiation with Precomputation", CRYPTO '94; also
 * HAC algorithm 14.117) over Montgomery multiplication.
 *
 * <p>Key generation always raises the same base, so products of its powers can be tabulated once:
 * a {@value #ROWS}-row, {@value #BLOCKS}-block comb takes an {@code e}-bit exponent in
 * {@code c = ⌈e/40⌉} columns, with {@code c − 1} squarings and at most {@code 4c − 1}
 * multiplications (the first squaring and multiplication, of one, are skipped) plus one to leave
 * Montgomery form, against about {@code e} squarings and {@code e/5} multiplications for
 * {@link BigInteger#modPow}. For group 2's 160-bit exponents that is 19 multiplications instead
 * of about 190, which outweighs the JDK's faster Montgomery intrinsic. Among the combs whose
 * group 2 tables stay under 1 MiB, 10 × 4, 9 × 9 and 11 × 3 need the fewest multiplications
 * and measured the same, 17 % faster than 8 × 4 (24); 10 × 4 has the smallest tables.
 *
 * <p>Multiplication is Montgomery's by finely integrated operand scanning (FIOS in Koç, Acar and
 * Kaliski, "Analyzing and Comparing Montgomery Multiplication Algorithms", IEEE Micro 16(3),
 * 1996): for each limb of b, one inner loop adds {@code a·b[i] + m·p} and shifts by a limb. The
 * limbs are 52 bits in a {@code long}, the radix of the AVX-512 IFMA big-integer code of Gueron
 * and Krasnov ("Accelerating Big Integer Arithmetic Using Intel IFMA Extensions", ARITH 2016),
 * for the same reason: a limb product (below 2^104) is exact with the signed
 * {@link Math#multiplyHigh} (Java 17 has no unsigned one), and the running sum keeps its limbs
 * unnormalised, 11 bits of headroom taking the carries, so the inner loop never tests for a
 * carry; they are propagated once at the end. Stored limbs are scaled by 2^6, so a product of two
 * is scaled by 2^12: {@code multiplyHigh} then gives exactly its high 52 bits and the low word's
 * top 52 bits its low half, two multiplications and a shift per partial product. Measured in
 * one run: about 0.8 µs per 1024-bit multiplication, where the former 64-bit limbs, with an
 * emulated unsigned high half and unsigned-compare carries, took 1.4 µs; product scanning (FIPS,
 * column by column) on the same scaled limbs took 0.75 of the former's time, and without the
 * scaling (three accumulators per column) as long as the former: its triangular loops suit the
 * JIT less than these rows of fixed length.
 *
 * <p>The tables take {@value #BLOCKS} × 2^{@value #ROWS} residues of {@code ⌈bits/52⌉} limbs:
 * 640 KiB for group 2 (20 limbs), 960 KiB for group 5 (30), 1.25 MiB for group 14 (40) and
 * 2.5 MiB for group 16 (79). They are built on a group's first key generation with about 4,200
 * multiplications: some 4 ms for group 2 and 50 to 90 ms for group 16 once the code is compiled;
 * in a fresh JVM the first key costs about 30 ms in group 2 and 150 ms in group 16, as it did
 * with the former 8 × 4 comb.
 *
 * <p>Like {@code modPow}, this is not constant-time: table lookups depend on the exponent. The
 * exponent of an ephemeral key keys one session, or the few of a {@code --dh-key-reuse} window.
 *
 * <p>Immutable after construction and thread-safe; the work arrays are per call.
 */
final class FixedBasePower {
    /** Exponent bits combined per table lookup: tables of 2^10 entries. */
    static final int ROWS = 10;
    /** Tables: each cuts the squarings by this factor. */
    static final int BLOCKS = 4;
    /**
     * The multiplication's unnormalised limbs grow by about 2^54 for each limb of the modulus and
     * must stay below 2^63: that allows some 26,000 bits, and this bound keeps a wide margin.
     */
    static final int MAX_MODULUS_BITS = 16384;

    private static final int LIMB_BITS = 52;
    private static final long MASK = (1L << LIMB_BITS) - 1;
    /** Stored limbs are scaled by 2^SCALE: below 2^58, positive, and a product is scaled by 2^12. */
    private static final int SCALE = 6;
    /** A scaled product's low word holds the product's low 52 bits above this many zero bits. */
    private static final int LOW_SHIFT = 64 - LIMB_BITS;
    private static final long SCALED_MASK = MASK << SCALE;

    private final BigInteger prime;
    /** Limbs of 52 bits, least significant first; R = 2^(52n) > p. */
    private final int n;
    /** The modulus, scaled limbs. */
    private final long[] p;
    /** −p⁻¹ mod 2^52, not scaled. */
    private final long pInv;
    /** Bits per block column: exponents of up to ROWS × BLOCKS × columns bits are handled. */
    private final int columns;
    /**
     * table[j] holds 2^ROWS residues of n limbs one after the other (fewer objects, and adjacent
     * in memory): entry idx = Π over set bits k of idx of base^(2^(k·a + j·columns)), Montgomery
     * form. Entry 0, one, is never read.
     */
    private final long[][] table;
    /** R mod p: one in Montgomery form, scaled limbs like every residue here. */
    private final long[] montOne;
    /** Plain 1, by which a Montgomery multiplication leaves Montgomery form. */
    private final long[] plainOne;

    FixedBasePower(BigInteger base, BigInteger prime, int maxExponentBits) {
        if (!prime.testBit(0) || prime.bitLength() < 64 || prime.bitLength() > MAX_MODULUS_BITS) {
            throw new IllegalArgumentException("an odd modulus of 64 to " + MAX_MODULUS_BITS + " bits is required");
        }
        this.prime = prime;
        this.n = (prime.bitLength() + LIMB_BITS - 1) / LIMB_BITS;
        this.p = toLimbs(prime, n);
        long p0 = p[0] >>> SCALE;
        // Newton's iteration for p0⁻¹ mod 2^64: p0 is its own inverse mod 8, and each step
        // doubles the number of correct low bits; its low 52 bits are the inverse mod 2^52.
        long inv = p0;
        for (int i = 0; i < 5; i++) {
            inv *= 2 - p0 * inv;
        }
        this.pInv = -inv & MASK;
        this.columns = (maxExponentBits + ROWS * BLOCKS - 1) / (ROWS * BLOCKS);
        int a = columns * BLOCKS;
        BigInteger r = BigInteger.ONE.shiftLeft(LIMB_BITS * n);
        this.montOne = toLimbs(r.mod(prime), n);
        this.plainOne = new long[n];
        plainOne[0] = 1L << SCALE;

        long[] t = new long[n];
        // bases[k][j] = base^(2^(k·a + j·columns)) in Montgomery form, by repeated squaring.
        long[][][] bases = new long[ROWS][BLOCKS][];
        long[] x = toLimbs(base.multiply(r).mod(prime), n);
        for (int bit = 0; bit < ROWS * a; bit++) {
            if (bit % columns == 0) {
                bases[bit / a][(bit % a) / columns] = x.clone();
            }
            multiply(x, x, 0, t, x);
        }
        table = new long[BLOCKS][n << ROWS];
        for (int j = 0; j < BLOCKS; j++) {
            long[] entries = table[j];
            System.arraycopy(montOne, 0, entries, 0, n);
            for (int idx = 1; idx < (1 << ROWS); idx++) {
                int top = 31 - Integer.numberOfLeadingZeros(idx);
                int rest = idx & ~(1 << top);
                if (rest == 0) {
                    System.arraycopy(bases[top][j], 0, entries, idx * n, n);
                } else {
                    multiply(bases[top][j], entries, rest * n, t, x);
                    System.arraycopy(x, 0, entries, idx * n, n);
                }
            }
        }
    }

    /** The largest exponent, in bits, that {@link #pow} accepts. */
    int maxExponentBits() {
        return ROWS * BLOCKS * columns;
    }

    /**
     * base^x mod p, minimal big-endian.
     *
     * @throws IllegalArgumentException if x is negative or longer than {@link #maxExponentBits()}
     */
    byte[] pow(BigInteger x) {
        if (x.signum() < 0 || x.bitLength() > maxExponentBits()) {
            throw new IllegalArgumentException("exponent out of range");
        }
        int a = columns * BLOCKS;
        long[] acc = new long[n];
        long[] t = new long[n];
        // While acc is still one, squaring it and multiplying it by an entry are a no-op and a copy.
        boolean one = true;
        for (int c = columns - 1; c >= 0; c--) {
            if (!one) {
                multiply(acc, acc, 0, t, acc);
            }
            for (int j = 0; j < BLOCKS; j++) {
                int idx = 0;
                int bit = j * columns + c;
                for (int k = 0; k < ROWS; k++, bit += a) {
                    idx |= (x.testBit(bit) ? 1 : 0) << k;
                }
                if (idx == 0) {
                    continue;
                }
                if (one) {
                    System.arraycopy(table[j], idx * n, acc, 0, n);
                    one = false;
                } else {
                    multiply(acc, table[j], idx * n, t, acc);
                }
            }
        }
        if (one) {
            System.arraycopy(montOne, 0, acc, 0, n);
        }
        multiply(acc, plainOne, 0, t, acc);
        return toMinimalBytes(acc);
    }

    /**
     * out = a·b·R⁻¹ mod p for a, b < p (scaled limbs), b being the n limbs of {@code b} from
     * {@code bOff}, by finely integrated operand scanning on redundant limbs (see the class
     * comment). {@code t} is scratch of n limbs. out may be a or b: it is written after the last
     * read of either.
     */
    private void multiply(long[] a, long[] b, int bOff, long[] t, long[] out) {
        int n = this.n;
        long[] p = this.p;
        long pInv = this.pInv;
        long a0 = a[0];
        long p0 = p[0];
        Arrays.fill(t, 0);
        // t += a·b[i] + m·p, then t /= 2^52, for each limb b[i]. t's limbs are column sums of
        // weight 2^(52j) that are not normalised here: each row adds about 2^54 at most to a
        // limb, so after n rows they stay below 2^63 for moduli up to MAX_MODULUS_BITS.
        for (int i = 0; i < n; i++) {
            long bi = b[bOff + i];
            // Column 0 first: m makes it 0 mod 2^52, so the division by 2^52 drops it exactly.
            long c0 = t[0] + ((a0 * bi) >>> LOW_SHIFT);
            long carry = Math.multiplyHigh(a0, bi);
            long m = ((c0 * pInv) & MASK) << SCALE;
            c0 += (m * p0) >>> LOW_SHIFT;
            carry += Math.multiplyHigh(m, p0) + (c0 >>> LIMB_BITS);
            // The low halves of column j's products join it; their high halves, the next column.
            for (int j = 1; j < n; j++) {
                long aj = a[j];
                long pj = p[j];
                long c = t[j] + ((aj * bi) >>> LOW_SHIFT) + ((m * pj) >>> LOW_SHIFT) + carry;
                carry = Math.multiplyHigh(aj, bi) + Math.multiplyHigh(m, pj);
                t[j - 1] = c;
            }
            t[n - 1] = carry;
        }
        // Carries once, into scaled 52-bit limbs. The result is below (p² + R·p)/R < 2p, so the
        // top limb has up to 53 bits, and one subtraction brings it below p.
        long carry = 0;
        for (int j = 0; j < n - 1; j++) {
            long c = t[j] + carry;
            out[j] = (c & MASK) << SCALE;
            carry = c >>> LIMB_BITS;
        }
        out[n - 1] = (t[n - 1] + carry) << SCALE;
        if (!lessThanPrime(out)) {
            long borrow = 0;
            for (int j = 0; j < n; j++) {
                long d = out[j] - p[j] - borrow;
                borrow = (d >>> 63) << SCALE;
                out[j] = d & SCALED_MASK;
            }
        }
    }

    private boolean lessThanPrime(long[] t) {
        for (int j = n - 1; j >= 0; j--) {
            if (t[j] != p[j]) {
                return t[j] < p[j];
            }
        }
        return false;
    }

    /** v (below 2^(52·limbs)) as scaled 52-bit limbs, least significant first. */
    private static long[] toLimbs(BigInteger v, int limbs) {
        long[] out = new long[limbs];
        for (int i = 0; i < limbs; i++) {
            out[i] = (v.shiftRight(LIMB_BITS * i).longValue() & MASK) << SCALE;
        }
        return out;
    }

    /** Scaled limbs of values below 2^52 as a minimal big-endian integer. */
    private static byte[] toMinimalBytes(long[] limbs) {
        int top = limbs.length - 1;
        while (top > 0 && limbs[top] == 0) {
            top--;
        }
        int bits = top * LIMB_BITS + 64 - SCALE - Long.numberOfLeadingZeros(limbs[top]);
        byte[] out = new byte[Math.max(1, (bits + 7) / 8)];
        for (int k = 0; k < out.length; k++) {
            int bit = 8 * k;
            int limb = bit / LIMB_BITS;
            int shift = bit % LIMB_BITS;
            long v = limbs[limb] >>> (SCALE + shift);
            if (shift > LIMB_BITS - 8 && limb + 1 < limbs.length) {
                v |= (limbs[limb + 1] >>> SCALE) << (LIMB_BITS - shift);
            }
            out[out.length - 1 - k] = (byte) v;
        }
        return out;
    }

    @Override
    public String toString() {
        return "FixedBasePower[" + prime.bitLength() + "-bit modulus, exponents up to " + maxExponentBits() + " bits]";
    }
}
