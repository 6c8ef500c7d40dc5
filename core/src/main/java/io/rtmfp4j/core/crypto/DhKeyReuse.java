package io.rtmfp4j.core.crypto;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a responder with an ephemeral certificate keys sessions with one Diffie-Hellman key
 * pair (RFC 7425 §4.6: its public key goes in skrc's {@code 0d} option). A fresh key pair per
 * session, the default and what rtmfp-cpp's tcserver does, costs a key generation per session;
 * reusing one for a bounded number of sessions and a bounded time saves that.
 *
 * <p>What reuse gives up, and why the bounds: every session keyed with one key pair is exposed
 * if that private exponent leaks (memory disclosure, a core dump) while the key pair is in use,
 * so forward secrecy covers windows of {@code maxAge} or {@code maxUses} sessions instead of
 * single sessions. A fixed exponent also meets many far public keys of the far ends' choosing,
 * which is what timing attacks on modular exponentiation (Kocher; Brumley and Boneh's remote
 * attack needed about a million queries) and on the length of the shared secret (the "Raccoon"
 * attack on TLS) feed on. The count bound keeps the queries per exponent small; the secret is an
 * HMAC key hashed by SHA-256, whose block count changes only when the top 9 bytes of the secret
 * are all zero. Replaying a recorded IIKeying while the key pair lives would rebuild the recorded
 * session's keys; {@link ResponderKeys} refuses an initiator key and skic it has already keyed.
 *
 * @param maxUses sessions keyed with one key pair; 1 means a fresh key pair for every session
 * @param maxAge how long after its generation a key pair may key new sessions; ignored for 1 use
 */
public record DhKeyReuse(int maxUses, Duration maxAge) {
    /** At most this many sessions per key pair: it bounds the memory of the replay check too. */
    public static final int MAX_USES = 100_000;

    private static final DhKeyReuse NONE = new DhKeyReuse(1, Duration.ZERO);

    public DhKeyReuse {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxUses < 1 || maxUses > MAX_USES) {
            throw new IllegalArgumentException("maxUses must be 1.." + MAX_USES + ", got " + maxUses);
        }
        if (maxAge.isNegative() || (maxUses > 1 && maxAge.isZero())) {
            throw new IllegalArgumentException("a reused key pair needs a positive maxAge, got " + maxAge);
        }
    }

    /** A fresh key pair for every session. */
    public static DhKeyReuse none() {
        return NONE;
    }

    /** Whether one key pair may key more than one session. */
    public boolean reuses() {
        return maxUses > 1;
    }
}
