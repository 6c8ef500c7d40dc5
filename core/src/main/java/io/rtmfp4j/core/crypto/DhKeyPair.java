package io.rtmfp4j.core.crypto;

import io.rtmfp4j.core.wire.WireFormatException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A Diffie-Hellman key pair in one of the {@link DhGroup}s (RFC 7425 §4.2). Immutable and
 * thread-safe, so {@link #agree} can run on a worker thread.
 *
 * <p>All byte encodings are minimal big-endian unsigned integers: no leading zero bytes and no
 * padding to the modulus size. rtmfp-cpp ({@code BN_bn2bin}) and librtmfp do the same, and the
 * shared secret's exact bytes are an HMAC key (RFC 7425 §4.6), so any other encoding breaks keying.
 */
public final class DhKeyPair {
    private static final BigInteger TWO_24 = BigInteger.ONE.shiftLeft(24);
    /** Minimum number of one bits and of zero bits in an acceptable public key (RFC 7425 §4.6.2). */
    private static final int MIN_BITS_EACH = 16;

    private final DhGroup group;
    private final BigInteger privateKey;
    private final byte[] publicKey;

    private DhKeyPair(DhGroup group, BigInteger privateKey, byte[] publicKey) {
        this.group = group;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    private DhKeyPair(DhGroup group, BigInteger privateKey) {
        this(group, privateKey, minimal(DhGroup.GENERATOR.modPow(privateKey, group.prime())));
    }

    /** Fixed-base tables per group, built when the group first generates a key. */
    private static final ConcurrentMap<DhGroup, FixedBasePower> GENERATOR_POWERS = new ConcurrentHashMap<>();

    private static FixedBasePower generatorPowers(DhGroup group) {
        return GENERATOR_POWERS.computeIfAbsent(group,
                g -> new FixedBasePower(DhGroup.GENERATOR, g.prime(), g.privateBits()));
    }

    /**
     * A fresh key pair: the private exponent has {@link DhGroup#privateBits()} random bits with the
     * top bit set (as rtmfp-cpp), so every exponent has the full intended strength. A public key
     * that our own validation would refuse (astronomically rare) is regenerated, so the far end
     * never rejects it.
     *
     * <p>The public key comes from a precomputed table of powers of the generator
     * ({@link FixedBasePower}), four to five times as fast as {@code modPow}: this is the key
     * generation a server with an ephemeral certificate does for every session.
     */
    public static DhKeyPair generate(DhGroup group, SecureRandom random) {
        Objects.requireNonNull(group, "group");
        FixedBasePower powers = generatorPowers(group);
        while (true) {
            BigInteger x = new BigInteger(group.privateBits(), random).setBit(group.privateBits() - 1);
            DhKeyPair kp = new DhKeyPair(group, x, powers.pow(x));
            if (isValidPublic(group, new BigInteger(1, kp.publicKey))) {
                return kp;
            }
        }
    }

    /**
     * A key pair whose public key is exactly {@link DhGroup#primeBytes()} long. Positional parsers
     * (librtmfp reads the Flash-era skrc by offset, spec §4.5) and the canonical Flash certificate
     * layout (RFC 7425 §4.3, {@code 81 02 1d 02 <128 bytes>}) need full-length keys; about one
     * key in 256 is shorter and is simply regenerated.
     */
    public static DhKeyPair generateFullLength(DhGroup group, SecureRandom random) {
        while (true) {
            DhKeyPair kp = generate(group, random);
            if (kp.publicKey.length == group.primeBytes()) {
                return kp;
            }
        }
    }

    /** The static group-2 key of a Flash-style identity: 128-byte public key (pitfall P5). */
    public static DhKeyPair generateFlashStatic(SecureRandom random) {
        return generateFullLength(DhGroup.GROUP_2, random);
    }

    /**
     * Rebuilds a key pair from a stored private exponent (persisted identities).
     *
     * @throws IllegalArgumentException if the exponent is not in [2, p − 2]
     */
    public static DhKeyPair fromPrivateKey(DhGroup group, byte[] privateKey) {
        BigInteger x = new BigInteger(1, privateKey);
        if (x.compareTo(BigInteger.TWO) < 0 || x.compareTo(group.prime().subtract(BigInteger.TWO)) > 0) {
            throw new IllegalArgumentException("private key out of range for " + group);
        }
        return new DhKeyPair(group, x);
    }

    public DhGroup group() {
        return group;
    }

    /** The public key, minimal big-endian. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The private exponent, minimal big-endian; for persisting an identity only. */
    public byte[] privateKey() {
        return minimal(privateKey);
    }

    /**
     * Computes the shared secret with the far end's public key, minimal big-endian.
     *
     * @throws WireFormatException if the far key fails the checks of RFC 7425 §4.6.2
     */
    public byte[] agree(byte[] farPublicKey) {
        BigInteger y = new BigInteger(1, farPublicKey);
        if (!isValidPublic(group, y)) {
            throw new WireFormatException("unacceptable DH public key for " + group);
        }
        return minimal(y.modPow(privateKey, group.prime()));
    }

    /**
     * Validates a far public key without doing the expensive exponentiation, so the cheap checks can
     * run before any DH work is queued.
     *
     * @throws WireFormatException if the key is unacceptable
     */
    public static void checkPublicKey(DhGroup group, byte[] publicKey) {
        if (!isValidPublic(group, new BigInteger(1, publicKey))) {
            throw new WireFormatException("unacceptable DH public key for " + group);
        }
    }

    /**
     * RFC 7425 §4.6.2: {@code 2^24 ≤ y ≤ p − 2^24}, which keeps y away from the degenerate values
     * 0, 1 and p − 1 (and their neighbourhood), and at least 16 one bits and 16 zero bits, which
     * rejects keys with an implausibly skewed bit pattern. Zero bits are counted below the most
     * significant one bit; rtmfp-cpp counts slightly differently, which only matters for keys that
     * no honest peer produces.
     */
    static boolean isValidPublic(DhGroup group, BigInteger y) {
        if (y.compareTo(TWO_24) < 0 || y.compareTo(group.prime().subtract(TWO_24)) > 0) {
            return false;
        }
        int ones = y.bitCount();
        int zeros = y.bitLength() - ones;
        return ones >= MIN_BITS_EACH && zeros >= MIN_BITS_EACH;
    }

    /** Unsigned big-endian without leading zeros; strips the sign byte BigInteger may add. */
    static byte[] minimal(BigInteger v) {
        byte[] b = v.toByteArray();
        int i = 0;
        while (i < b.length - 1 && b[i] == 0) {
            i++;
        }
        return i == 0 ? b : Arrays.copyOfRange(b, i, b.length);
    }

    /** Same group and private exponent. */
    @Override
    public boolean equals(Object o) {
        return o instanceof DhKeyPair k && k.group == group && k.privateKey.equals(privateKey);
    }

    @Override
    public int hashCode() {
        return 31 * group.hashCode() + Arrays.hashCode(publicKey);
    }

    /** Shows the group and the start of the public key, never the private key. */
    @Override
    public String toString() {
        String hex = io.rtmfp4j.core.wire.Hex.encode(Arrays.copyOf(publicKey, Math.min(8, publicKey.length)));
        return "DhKeyPair[" + group + ", public " + publicKey.length + " bytes " + hex + "…]";
    }
}
