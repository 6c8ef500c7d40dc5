package io.rtmfp4j.core.crypto;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * The Diffie-Hellman groups of the Flash crypto profile (RFC 7425 §4.2), all with generator 2.
 *
 * <p>The moduli are the well-known MODP safe primes {@code 2^n - 2^(n-64) - 1 + 2^64 * (floor(2^(n-130)
 * pi) + k)}; the constants below were checked against that formula and for safe primality.
 * Group 2 is the only group Flash Player uses and the one RFC 7425 requires; 14 is recommended;
 * 5 is advertised by Flash-era servers (AMS, Cumulus, MonaServer); 16 is preferred by rtmfp-cpp.
 */
public enum DhGroup {
    /** 1024-bit MODP group, RFC 2409 §6.2 (= RFC 7296 Appendix B.2). */
    GROUP_2(2, 160,
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
            + "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
            + "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
            + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF"),
    /** 1536-bit MODP group, RFC 3526 §2. */
    GROUP_5(5, 240,
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
            + "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
            + "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
            + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
            + "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
            + "9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF"),
    /** 2048-bit MODP group, RFC 3526 §3. */
    GROUP_14(14, 320,
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
            + "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
            + "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
            + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
            + "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
            + "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
            + "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
            + "3995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF"),
    /** 4096-bit MODP group, RFC 3526 §5. */
    GROUP_16(16, 384,
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
            + "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
            + "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
            + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
            + "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
            + "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
            + "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
            + "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33"
            + "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
            + "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864"
            + "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2"
            + "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A92108011A723C12A787E6D7"
            + "88719A10BDBA5B2699C327186AF4E23C1A946834B6150BDA2583E9CA2AD44CE8"
            + "DBBBC2DB04DE8EF92E8EFC141FBECAA6287C59474E6BC05D99B2964FA090C3A2"
            + "233BA186515BE7ED1F612970CEE2D7AFB81BDD762170481CD0069127D5B05AA9"
            + "93B4EA988D8FDDC186FFB7DC90A6C08F4DF435C934063199FFFFFFFFFFFFFFFF");

    /** The generator of every group. */
    public static final BigInteger GENERATOR = BigInteger.TWO;

    private static final List<DhGroup> STRONGEST_FIRST = List.of(GROUP_16, GROUP_14, GROUP_5, GROUP_2);

    private final int id;
    private final int privateBits;
    private final BigInteger prime;
    private final int primeBytes;

    DhGroup(int id, int privateBits, String primeHex) {
        this.id = id;
        this.privateBits = privateBits;
        this.prime = new BigInteger(primeHex, 16);
        this.primeBytes = (prime.bitLength() + 7) / 8;
    }

    /** The group ID as it appears in certificates and keying components (a VLU). */
    public int id() {
        return id;
    }

    public BigInteger prime() {
        return prime;
    }

    /** Size of the modulus in bytes: the length of a full-size public key. */
    public int primeBytes() {
        return primeBytes;
    }

    /**
     * Length of private exponents. In a safe-prime group an exponent of twice the group's security
     * strength is enough: the best attack on a short exponent (Pollard's lambda) then costs as
     * much as the best attack on the group itself (RFC 3526 §8; NIST SP 800-57 Part 1, table 2,
     * and the FFC parameter sets of SP 800-56A). Group 2 (1024-bit) has about 80-bit strength, so
     * 160 bits: the private-key size of SP 800-56A's 1024-bit parameter set (FA, |q| = 160), where
     * rtmfp-cpp uses 224; every Flash-profile handshake of a Flash-era client is in this group,
     * and its agreement costs in proportion. 320 bits for group 14 (2048-bit, 112) is what
     * rtmfp-cpp uses; 240 bits for group 5 is from the table of RFC 3526 §8. For group 16 (4096-bit) that table gives 300 to 480 bits;
     * we use 384, twice 192 bits, which NIST assigns only to 7680-bit moduli, where rtmfp-cpp
     * uses 480. The modular exponentiations cost in proportion to the exponent length, and group 16's
     * are the most expensive work of a handshake. Only public keys go on the wire, so this
     * choice does not affect interoperability.
     */
    public int privateBits() {
        return privateBits;
    }

    public static Optional<DhGroup> byId(long id) {
        for (DhGroup g : values()) {
            if (g.id == id) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** Every group, strongest first: a sensible preference order for rtmfp-cpp-like peers. */
    public static List<DhGroup> strongestFirst() {
        return STRONGEST_FIRST;
    }

    @Override
    public String toString() {
        return "DH group " + id;
    }
}
