package io.rtmfp4j.core.crypto;

import io.rtmfp4j.core.wire.WireFormatException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The ephemeral Diffie-Hellman key pairs a responder keys sessions with, per group, under a
 * {@link DhKeyReuse} policy. Thread-safe: keying runs on worker threads. The caller supplies
 * the time, so the policy runs on the endpoint's clock.
 *
 * <p>While a key pair is reused, each far public key and keying component (skic) may key one
 * session only. Session keys depend on nothing else (RFC 7425 §4.6: the secret, skic and skrc,
 * and skrc is the same for every session of one key pair), so a replayed IIKeying would
 * otherwise open a session with the keys of the recorded one, into which the recorded packets
 * could be replayed. A fresh key pair per session rules that out by itself; skrc cannot carry
 * extra randomness instead, because Flash-era clients (librtmfp) take everything after its
 * first 11 bytes as the public key (spec §4.5).
 */
public final class ResponderKeys {
    private static final ResponderKeys FRESH = new ResponderKeys(DhKeyReuse.none());

    private final DhKeyReuse reuse;
    private final long maxAgeMicros;
    /** The key pair in use per group. Guarded by this. */
    private final Map<DhGroup, Current> current = new EnumMap<>(DhGroup.class);

    public ResponderKeys(DhKeyReuse reuse) {
        this.reuse = Objects.requireNonNull(reuse, "reuse");
        this.maxAgeMicros = reuse.maxAge().toNanos() / 1000;
    }

    /** A fresh key pair for every session; stateless. */
    public static ResponderKeys fresh() {
        return FRESH;
    }

    public DhKeyReuse reuse() {
        return reuse;
    }

    /**
     * The key pair to key one session with.
     *
     * @param farKey the initiator's public key in {@code group}
     * @param skic the initiator's keying component
     * @param nowMicros the endpoint's clock
     * @throws WireFormatException if the current key pair already keyed this far key and skic
     */
    DhKeyPair keyFor(DhGroup group, byte[] farKey, byte[] skic, long nowMicros, SecureRandom random) {
        if (!reuse.reuses()) {
            return DhKeyPair.generateFullLength(group, random);
        }
        ByteBuffer fingerprint = ByteBuffer.wrap(fingerprint(farKey, skic));
        synchronized (this) {
            Current c = current.get(group);
            if (c == null || c.uses >= reuse.maxUses() || nowMicros - c.bornMicros >= maxAgeMicros) {
                c = new Current(DhKeyPair.generateFullLength(group, random), nowMicros);
                current.put(group, c);
            }
            if (!c.keyed.add(fingerprint)) {
                throw new WireFormatException("an IIKeying already keyed with the current " + group + " key pair");
            }
            c.uses++;
            return c.key;
        }
    }

    /** SHA-256 of the far key's length, the far key and skic: 32 bytes kept per session keyed. */
    private static byte[] fingerprint(byte[] farKey, byte[] skic) {
        byte[] all = ByteBuffer.allocate(4 + farKey.length + skic.length).putInt(farKey.length).put(farKey).put(skic)
                .array();
        return Sha256.digest(all, 0, all.length);
    }

    /** A key pair in use, its birth on the endpoint's clock, and what it has keyed. */
    private static final class Current {
        final DhKeyPair key;
        final long bornMicros;
        final Set<ByteBuffer> keyed = new HashSet<>();
        int uses;

        Current(DhKeyPair key, long bornMicros) {
            this.key = key;
            this.bornMicros = bornMicros;
        }
    }

    @Override
    public String toString() {
        return "ResponderKeys[" + reuse + "]";
    }
}
