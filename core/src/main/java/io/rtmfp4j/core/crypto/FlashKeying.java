package io.rtmfp4j.core.crypto;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Session keying of the Flash crypto profile (RFC 7425 §4.6): Diffie-Hellman over the groups of
 * {@link DhGroup}, keying components exchanged in IIKeying/RIKeying, keys derived by
 * {@link SessionKeys#derive}.
 *
 * <p>Stateless and thread-safe. The exponentiations are the expensive part of session startup, so
 * the session layer may run {@link #respond} and {@link InitiatorKeying#finish} on a worker
 * thread; nothing here touches shared mutable state (the {@link SecureRandom} is thread-safe).
 */
public final class FlashKeying {
    private FlashKeying() {
    }

    /**
     * Starts keying as initiator, after an acceptable RHello: chooses the first group of
     * {@code near.preference()} that the far certificate supports and builds skic (spec §4.5).
     * A static near end in group 2 with {@link HandshakeSettings#flashCompatible()} produces
     * Flash Player's 76-byte template {@code 02 1d 02 | 41 0e <64> | 03 1a 02 0a | 02 1e 02}.
     *
     * @throws io.rtmfp4j.core.wire.WireFormatException if there is no common group or the far
     *     certificate's static key for it is unacceptable
     */
    public static InitiatorKeying startInitiator(PeerIdentity near, Certificate farCert, HandshakeSettings settings,
            SecureRandom random) {
        return InitiatorKeying.start(Objects.requireNonNull(near), Objects.requireNonNull(farCert),
                Objects.requireNonNull(settings), Objects.requireNonNull(random));
    }

    /**
     * Answers an IIKeying as responder: negotiates, computes the secret and builds skrc (spec §4.5).
     * An ephemeral near end with {@link HandshakeSettings#flashCompatible()} answering a Flash-like
     * skic produces the Flash-era server template {@code 03 1a 00 00 | 02 1e 00 | 81 02 0d 02 <128>}.
     * An ephemeral near end keys with a fresh key pair.
     *
     * @throws io.rtmfp4j.core.wire.WireFormatException if skic is malformed, negotiation fails, the
     *     group is not supported by both ends, or the far public key is unacceptable
     */
    public static ResponderKeying respond(PeerIdentity near, Certificate farCert, byte[] skic,
            HandshakeSettings settings, SecureRandom random) {
        return respond(near, farCert, skic, settings, ResponderKeys.fresh(), 0, random);
    }

    /**
     * As {@link #respond(PeerIdentity, Certificate, byte[], HandshakeSettings, SecureRandom)}, with
     * an ephemeral near end's key pair from {@code keys}.
     *
     * @param nowMicros the endpoint's clock, for the key pairs' lifetime
     * @throws io.rtmfp4j.core.wire.WireFormatException also if {@code keys} refuses this skic as
     *     already keyed with its current key pair
     */
    public static ResponderKeying respond(PeerIdentity near, Certificate farCert, byte[] skic,
            HandshakeSettings settings, ResponderKeys keys, long nowMicros, SecureRandom random) {
        return ResponderKeying.respond(Objects.requireNonNull(near), Objects.requireNonNull(farCert),
                skic.clone(), Objects.requireNonNull(settings), Objects.requireNonNull(keys), nowMicros,
                Objects.requireNonNull(random));
    }
}
