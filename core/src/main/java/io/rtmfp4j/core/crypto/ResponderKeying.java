package io.rtmfp4j.core.crypto;

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.WireFormatException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * The responder's half of session keying (RFC 7425 §4.6; spec §4.5): the responder keying
 * component (skrc) to send in RIKeying and the resulting {@link SessionSecurity}. Immutable.
 */
public final class ResponderKeying {
    private final byte[] skrc;
    private final SessionSecurity security;

    private ResponderKeying(byte[] skrc, SessionSecurity security) {
        this.skrc = skrc;
        this.security = security;
    }

    static ResponderKeying respond(PeerIdentity near, Certificate farCert, byte[] skic, HandshakeSettings s,
            ResponderKeys keyPairs, long nowMicros, SecureRandom random) {
        List<OptionLists.Entry> options = OptionLists.parse(skic);

        // Negotiate first: it is cheap and may fail before any DH work.
        Negotiation sseq = new Negotiation(s.sseqSendAlways(), s.sseqRequire())
                .with(Negotiation.read(options, Negotiation.OPT_SSEQ).flags(), "session sequence numbers");
        Negotiation.Offer hmacOffer = Negotiation.read(options, Negotiation.OPT_HMAC);
        Negotiation hmac = new Negotiation(s.hmacSendAlways(), s.hmacRequire()).with(hmacOffer.flags(), "HMAC");
        int rxHmacLength = hmac.rxHmacLength(hmacOffer);
        int txHmacLength = hmac.sendAlways() ? s.hmacLength() : 0;

        // Find the group and the far public key: for a static initiator the key is in its
        // certificate and skic's 1d option says which; an ephemeral one sends it in skic's 0d.
        DhGroup group;
        byte[] farKey;
        if (farCert.isStatic()) {
            byte[] select = OptionLists.first(options, Negotiation.OPT_GROUP_SELECT);
            if (select == null) {
                throw new WireFormatException("skic from a static initiator lacks the group select option");
            }
            group = knownGroup(OptionLists.splitGroupValue(select).groupId());
            farKey = farCert.staticKey(group)
                    .orElseThrow(() -> new WireFormatException("initiator certificate has no key for " + group));
        } else {
            byte[] pub = OptionLists.first(options, Negotiation.OPT_DH_PUBLIC_KEY);
            if (pub == null) {
                throw new WireFormatException("skic from an ephemeral initiator lacks a public key");
            }
            OptionLists.GroupValue gv = OptionLists.splitGroupValue(pub);
            group = knownGroup(gv.groupId());
            farKey = gv.bytes();
        }
        if (!near.certificate().supports(group)) {
            throw new WireFormatException("initiator chose " + group + ", which we do not support");
        }
        DhKeyPair.checkPublicKey(group, farKey);

        // Emit only the outcome of negotiation (SND/REQ, never SOR) and announce an HMAC length only
        // when we will send HMACs: with nothing required this yields the Flash-era template
        // "03 1a 00 00 02 1e 00" that librtmfp checks byte for byte (spec §4.5).
        ByteWriter w = new ByteWriter(16 + group.primeBytes());
        OptionLists.append(w, Negotiation.OPT_HMAC,
                new ByteWriter(4).u8(hmac.flags(false)).vlu(txHmacLength).toByteArray());
        OptionLists.append(w, Negotiation.OPT_SSEQ, new byte[] {(byte) sseq.flags(false)});
        byte[] secret;
        if (near.isStatic()) {
            secret = near.staticKey(group).orElseThrow().agree(farKey);
            byte[] extra = new byte[64];
            random.nextBytes(extra);
            OptionLists.append(w, Negotiation.OPT_EXTRA_RANDOMNESS, extra);
        } else {
            DhKeyPair key = keyPairs.keyFor(group, farKey, skic, nowMicros, random);
            secret = key.agree(farKey);
            OptionLists.append(w, Negotiation.OPT_DH_PUBLIC_KEY, OptionLists.groupValue(group.id(), key.publicKey()));
        }
        byte[] skrc = w.toByteArray();
        try {
            SessionKeys keys = SessionKeys.derive(secret, skrc, skic);
            return new ResponderKeying(skrc, new SessionSecurity(keys, txHmacLength, rxHmacLength,
                    sseq.sendAlways(), sseq.receiveRequired(), group));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static DhGroup knownGroup(long id) {
        return DhGroup.byId(id).orElseThrow(() -> new WireFormatException("unknown DH group " + id));
    }

    /** The responder keying component to put in RIKeying. */
    public byte[] skrc() {
        return skrc.clone();
    }

    public SessionSecurity security() {
        return security;
    }

    @Override
    public String toString() {
        return "ResponderKeying[" + security.group() + "]";
    }
}
