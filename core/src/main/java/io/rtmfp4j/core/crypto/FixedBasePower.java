package io.rtmfp4j.core.crypto;

import java.math.BigInteger;

/**
 * {@code 2^x mod p} for the short private exponents of one {@link DhGroup}, by the fixed-base comb
 * method of Lim and Lee ("More Flexible Exponentiation with Precomputation", CRYPTO '94; also
 * HAC algorithm 14.117) over Montgomery multiplication.
 *
 * <p>Key generation always raises the same base, so products of its powers can be tabulated once:
 * a {@value #ROWS}-row, {@value #BLOCKS}-block comb needs about {@code e/32} squarings and
 * {@code e/8} multiplications for an {@code e}-bit exponent, against about {@code e} squarings
 * and {@code e/5} multiplications for {@link BigInteger#modPow}. For group 2's 160-bit exponents
 * that is 25 modular multiplications instead of about 190, which outweighs the JDK's faster
 * Montgomery primitive (about 0.5 µs against some 2 µs here for 1024 bits).
 * The tables take {@value #BLOCKS} × 255 residues (about 128 KiB for group 2, 512 KiB for
 * group 16) and are built on first use.
 *
 * <p>Like {@code modPow}, this is not constant-time: table lookups depend on the exponent. The
 * exponent of an ephemeral key is used for one session only.
 *
 * <p>Immutable after construction and thread-safe; the work arrays are per call.
 */
final class FixedBasePower {
    /** Exponent bits combined per table lookup: tables of 2^8 − 1 entries. */
    static final int ROWS = 8;
    /** Tables: each cuts the squarings by this factor. */
    static final int BLOCKS = 4;

    private final BigInteger prime;
    /** Limbs of 64 bits, least significant first. */
    private final int n;
    private final long[] p;
    /** −p⁻¹ mod 2^64. */
    private final long pInv;
    /** Bits per block column: exponents of up to ROWS × BLOCKS × columns bits are handled. */
    private final int columns;
    /** table[j][idx] = Π over set bits k of idx of base^(2^(k·a + j·columns)), Montgomery form. */
    private final long[][][] table;
    /** R mod p: one in Montgomery form. */
    private final long[] montOne;

    FixedBasePower(BigInteger base, BigInteger prime, int maxExponentBits) {
        if (!prime.testBit(0) || prime.bitLength() < 64) {
            throw new IllegalArgumentException("an odd modulus of at least 64 bits is required");
        }
        this.prime = prime;
        this.n = (prime.bitLength() + 63) / 64;
        this.p = toLimbs(prime, n);
        long p0 = p[0];
        // Newton's iteration for p0⁻¹ mod 2^64: p0 is its own inverse mod 8, and each step
        // doubles the number of correct low bits.
        long inv = p0;
        for (int i = 0; i < 5; i++) {
            inv *= 2 - p0 * inv;
        }
        this.pInv = -inv;
        this.columns = (maxExponentBits + ROWS * BLOCKS - 1) / (ROWS * BLOCKS);
        int a = columns * BLOCKS;
        BigInteger r = BigInteger.ONE.shiftLeft(64 * n);
        this.montOne = toLimbs(r.mod(prime), n);

        long[] t = new long[n + 2];
        // bases[k][j] = base^(2^(k·a + j·columns)) in Montgomery form, by repeated squaring.
        long[][][] bases = new long[ROWS][BLOCKS][];
        long[] x = toLimbs(base.multiply(r).mod(prime), n);
        for (int bit = 0; bit < ROWS * a; bit++) {
            if (bit % columns == 0) {
                bases[bit / a][(bit % a) / columns] = x.clone();
            }
            long[] sq = new long[n];
            multiply(x, x, t, sq);
            x = sq;
        }
        table = new long[BLOCKS][1 << ROWS][];
        for (int j = 0; j < BLOCKS; j++) {
            table[j][0] = montOne;
            for (int idx = 1; idx < (1 << ROWS); idx++) {
                int top = 31 - Integer.numberOfLeadingZeros(idx);
                int rest = idx & ~(1 << top);
                if (rest == 0) {
                    table[j][idx] = bases[top][j];
                } else {
                    long[] prod = new long[n];
                    multiply(table[j][rest], bases[top][j], t, prod);
                    table[j][idx] = prod;
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
        long[] e = toLimbs(x, (maxExponentBits() + 63) / 64);
        int a = columns * BLOCKS;
        long[] acc = montOne.clone();
        long[] tmp = new long[n];
        long[] t = new long[n + 2];
        for (int c = columns - 1; c >= 0; c--) {
            multiply(acc, acc, t, tmp);
            long[] swap = acc;
            acc = tmp;
            tmp = swap;
            for (int j = 0; j < BLOCKS; j++) {
                int idx = 0;
                int bit = j * columns + c;
                for (int k = 0; k < ROWS; k++, bit += a) {
                    idx |= (int) ((e[bit >>> 6] >>> (bit & 63)) & 1) << k;
                }
                if (idx != 0) {
                    multiply(acc, table[j][idx], t, tmp);
                    swap = acc;
                    acc = tmp;
                    tmp = swap;
                }
            }
        }
        // Out of Montgomery form: multiply by 1.
        long[] one = new long[n];
        one[0] = 1;
        multiply(acc, one, t, tmp);
        return toMinimalBytes(tmp);
    }

    /**
     * out = a·b·R⁻¹ mod p (CIOS Montgomery multiplication, Koç et al. 1996), for a, b < p, on
     * 64-bit limbs. {@code t} is scratch of n + 2 limbs; out may not alias a or b.
     */
    private void multiply(long[] a, long[] b, long[] t, long[] out) {
        int n = this.n;
        long[] p = this.p;
        java.util.Arrays.fill(t, 0);
        for (int i = 0; i < n; i++) {
            long bi = b[i];
            long c = 0;
            for (int j = 0; j < n; j++) {
                // (c, t[j]) = t[j] + a[j]·bi + c, which fits 128 bits.
                long aj = a[j];
                long lo = aj * bi;
                long hi = unsignedMultiplyHigh(aj, bi);
                long s = lo + t[j];
                hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
                long s2 = s + c;
                hi += Long.compareUnsigned(s2, s) < 0 ? 1 : 0;
                t[j] = s2;
                c = hi;
            }
            long s = t[n] + c;
            t[n + 1] = Long.compareUnsigned(s, c) < 0 ? 1 : 0;
            t[n] = s;
            long m = t[0] * pInv;
            long lo = m * p[0];
            long hi = unsignedMultiplyHigh(m, p[0]);
            // t[0] + lo is 0 mod 2^64 by the choice of m; it carries unless both are 0.
            c = hi + (Long.compareUnsigned(lo + t[0], lo) < 0 ? 1 : 0);
            for (int j = 1; j < n; j++) {
                long pj = p[j];
                lo = m * pj;
                hi = unsignedMultiplyHigh(m, pj);
                s = lo + t[j];
                hi += Long.compareUnsigned(s, lo) < 0 ? 1 : 0;
                long s2 = s + c;
                hi += Long.compareUnsigned(s2, s) < 0 ? 1 : 0;
                t[j - 1] = s2;
                c = hi;
            }
            s = t[n] + c;
            t[n - 1] = s;
            t[n] = t[n + 1] + (Long.compareUnsigned(s, c) < 0 ? 1 : 0);
        }
        // t < 2p: subtract p once if t ≥ p.
        if (t[n] != 0 || !lessThanPrime(t)) {
            long borrow = 0;
            for (int j = 0; j < n; j++) {
                long tj = t[j];
                long d = tj - p[j] - borrow;
                borrow = (Long.compareUnsigned(tj, p[j]) < 0 || (borrow != 0 && tj == p[j])) ? 1 : 0;
                out[j] = d;
            }
        } else {
            System.arraycopy(t, 0, out, 0, n);
        }
    }

    /** The high 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh is Java 18). */
    private static long unsignedMultiplyHigh(long x, long y) {
        return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
    }

    private boolean lessThanPrime(long[] t) {
        for (int j = n - 1; j >= 0; j--) {
            int cmp = Long.compareUnsigned(t[j], p[j]);
            if (cmp != 0) {
                return cmp < 0;
            }
        }
        return false;
    }

    private static long[] toLimbs(BigInteger v, int limbs) {
        long[] out = new long[limbs];
        byte[] be = v.toByteArray();
        for (int i = 0; i < be.length; i++) {
            int bitPos = 8 * (be.length - 1 - i);
            if (bitPos / 64 < limbs) {
                out[bitPos / 64] |= (be[i] & 0xffL) << (bitPos % 64);
            }
        }
        return out;
    }

    private static byte[] toMinimalBytes(long[] limbs) {
        int top = limbs.length - 1;
        while (top > 0 && limbs[top] == 0) {
            top--;
        }
        int topBytes = Math.max(1, 8 - Long.numberOfLeadingZeros(limbs[top]) / 8);
        byte[] out = new byte[top * 8 + topBytes];
        int o = 0;
        for (int b = topBytes - 1; b >= 0; b--) {
            out[o++] = (byte) (limbs[top] >>> (8 * b));
        }
        for (int i = top - 1; i >= 0; i--) {
            long w = limbs[i];
            for (int b = 56; b >= 0; b -= 8) {
                out[o++] = (byte) (w >>> b);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "FixedBasePower[" + prime.bitLength() + "-bit modulus, exponents up to " + maxExponentBits() + " bits]";
    }
}
