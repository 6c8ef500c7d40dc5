package io.rtmfp4j.core.crypto;

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.WireFormatException;
import java.security.SecureRandom;
import java.util.List;

/**
 * The initiator's half of session keying (RFC 7425 §4.6; spec §4.5): holds the initiator keying
 * component (skic) sent in IIKeying, and turns the responder's component (skrc) from RIKeying into
 * {@link SessionSecurity}. Immutable and thread-safe: {@link #finish} may run on a worker thread,
 * and may be called again for a retransmitted RIKeying.
 */
public final class InitiatorKeying {
    private final PeerIdentity near;
    private final Certificate farCert;
    private final HandshakeSettings settings;
    private final DhGroup group;
    private final DhKeyPair nearKey;
    private final byte[] skic;

    private InitiatorKeying(PeerIdentity near, Certificate farCert, HandshakeSettings settings, DhGroup group,
            DhKeyPair nearKey, byte[] skic) {
        this.near = near;
        this.farCert = farCert;
        this.settings = settings;
        this.group = group;
        this.nearKey = nearKey;
        this.skic = skic;
    }

    static InitiatorKeying start(PeerIdentity near, Certificate farCert, HandshakeSettings s, SecureRandom random) {
        // rtmfp-cpp: the first group of the near end's own preference that the far certificate
        // supports (spec §4.5, pitfall P12).
        DhGroup group = near.preference().stream().filter(farCert::supports).findFirst()
                .orElseThrow(() -> new WireFormatException("no DH group in common with " + farCert.groups()));
        if (farCert.isStatic()) {
            // The cheap validity checks now, the exponentiation in finish(): a certificate with an
            // unusable key is refused before IIKeying goes out.
            DhKeyPair.checkPublicKey(group, farCert.staticKey(group).orElseThrow());
        }
        ByteWriter w = new ByteWriter(near.isStatic() ? 80 : 32 + group.primeBytes());
        DhKeyPair key;
        if (near.isStatic()) {
            // The responder takes our public key from our certificate; "1d group" says which one,
            // and the 64 random bytes make the keying component (hence the keys) unique per session.
            key = near.staticKey(group).orElseThrow();
            OptionLists.append(w, Negotiation.OPT_GROUP_SELECT, OptionLists.groupValue(group.id(), new byte[0]));
            byte[] extra = new byte[64];
            random.nextBytes(extra);
            OptionLists.append(w, Negotiation.OPT_EXTRA_RANDOMNESS, extra);
        } else {
            key = DhKeyPair.generateFullLength(group, random);
            OptionLists.append(w, Negotiation.OPT_DH_PUBLIC_KEY, OptionLists.groupValue(group.id(), key.publicKey()));
        }
        // The initiator announces its configured wishes and always offers to send on request (SOR),
        // as Flash and rtmfp-cpp do; the responder's answer settles each direction.
        Negotiation hmac = new Negotiation(s.hmacSendAlways(), s.hmacRequire());
        OptionLists.append(w, Negotiation.OPT_HMAC, new ByteWriter(4).u8(hmac.flags(true)).vlu(s.hmacLength()).toByteArray());
        Negotiation sseq = new Negotiation(s.sseqSendAlways(), s.sseqRequire());
        OptionLists.append(w, Negotiation.OPT_SSEQ, new byte[] {(byte) sseq.flags(true)});
        return new InitiatorKeying(near, farCert, s, group, key, w.toByteArray());
    }

    /** The initiator keying component to put in IIKeying. */
    public byte[] skic() {
        return skic.clone();
    }

    /** The DH group chosen. */
    public DhGroup group() {
        return group;
    }


    /**
     * Combines the responder keying component: negotiates HMAC and sequence numbers (spec §4.5
     * steps 1–4), computes the DH secret (with the far static key from its certificate, or the far
     * ephemeral key from skrc's {@code 0d} option for our group) and derives the keys.
     *
     * @throws WireFormatException if skrc is malformed, negotiation fails or the far key is bad;
     *     the caller ignores that RIKeying and keeps retransmitting IIKeying
     */
    public SessionSecurity finish(byte[] skrc) {
        List<OptionLists.Entry> options = OptionLists.parse(skrc);
        // Cheap checks first, before the exponentiation.
        Negotiation sseq = new Negotiation(settings.sseqSendAlways(), settings.sseqRequire())
                .with(Negotiation.read(options, Negotiation.OPT_SSEQ).flags(), "session sequence numbers");
        Negotiation.Offer hmacOffer = Negotiation.read(options, Negotiation.OPT_HMAC);
        Negotiation hmac = new Negotiation(settings.hmacSendAlways(), settings.hmacRequire())
                .with(hmacOffer.flags(), "HMAC");
        int rxHmacLength = hmac.rxHmacLength(hmacOffer);

        byte[] farKey = farCert.isStatic() ? farCert.staticKey(group).orElseThrow() : farEphemeralKey(options);
        byte[] secret = nearKey.agree(farKey);
        try {
            SessionKeys keys = SessionKeys.derive(secret, skic, skrc);
            return new SessionSecurity(keys, hmac.sendAlways() ? settings.hmacLength() : 0, rxHmacLength,
                    sseq.sendAlways(), sseq.receiveRequired(), group);
        } finally {
            java.util.Arrays.fill(secret, (byte) 0);
        }
    }

    private byte[] farEphemeralKey(List<OptionLists.Entry> options) {
        for (OptionLists.Entry e : options) {
            if (e.type() == Negotiation.OPT_DH_PUBLIC_KEY) {
                OptionLists.GroupValue gv = OptionLists.splitGroupValue(e.value());
                if (gv.groupId() == group.id()) {
                    return gv.bytes();
                }
            }
        }
        throw new WireFormatException("skrc has no public key for " + group);
    }

    @Override
    public String toString() {
        return "InitiatorKeying[" + group + ", far " + farCert.peerId() + "]";
    }
}
