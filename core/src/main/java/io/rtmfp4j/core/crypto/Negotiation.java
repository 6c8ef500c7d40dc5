package io.rtmfp4j.core.crypto;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.WireFormatException;
import java.util.List;

/**
 * Per-direction negotiation of HMAC and session sequence numbers (RFC 7425 §4.6), the
 * same rule for both mechanisms, as rtmfp-cpp implements it.
 *
 * <p>Each end announces flags: SND "I will always send", SOR "I will send on request", REQ "I
 * require you to send". Given the far flags F:
 * <ol>
 * <li>if we require receiving and F has neither SND nor SOR, keying fails;</li>
 * <li>if F has SND we require receiving (so we check what it sends);</li>
 * <li>if F has REQ we send always.</li>
 * </ol>
 * The responder's flags are emitted <em>after</em> this step, so both ends reach the same
 * decision for each direction.
 *
 * @param sendAlways this end will protect what it sends
 * @param receiveRequired this end will insist on protection of what it receives
 */
record Negotiation(boolean sendAlways, boolean receiveRequired) {
    static final int SND = 0x04;
    static final int SOR = 0x02;
    static final int REQ = 0x01;

    static final int OPT_DH_PUBLIC_KEY = 0x0d;
    static final int OPT_EXTRA_RANDOMNESS = 0x0e;
    static final int OPT_HMAC = 0x1a;
    static final int OPT_GROUP_SELECT = 0x1d;
    static final int OPT_SSEQ = 0x1e;

    /** Applies steps 1–3 to the far flags; throws if the far end cannot give what we require. */
    Negotiation with(int farFlags, String what) {
        if (receiveRequired && (farFlags & (SND | SOR)) == 0) {
            throw new WireFormatException(what + " required but the far end will not send it");
        }
        return new Negotiation(sendAlways || (farFlags & REQ) != 0, receiveRequired || (farFlags & SND) != 0);
    }

    /** Flags as this end announces them. */
    int flags(boolean sendOnRequest) {
        return (sendAlways ? SND : 0) | (sendOnRequest ? SOR : 0) | (receiveRequired ? REQ : 0);
    }

    /** The far end's flags and announced HMAC length (0 if absent) from a keying component. */
    record Offer(int flags, long hmacLength) {
    }

    /**
     * Reads the first negotiation option of {@code type}; absent or empty means flags 0, as in
     * rtmfp-cpp. For HMAC the VLU after the flags is the far end's announced length.
     */
    static Offer read(List<OptionLists.Entry> options, int type) {
        byte[] v = OptionLists.first(options, type);
        if (v == null || v.length == 0) {
            return new Offer(0, 0);
        }
        int flags = v[0] & 0xff;
        long len = 0;
        if (type == OPT_HMAC && v.length > 1) {
            len = new ByteReader(v, 1, v.length - 1).vlu();
        }
        return new Offer(flags, len);
    }

    /** The far HMAC length to expect, validated (RFC 7425 §4.6: 4..32), or 0 if not required. */
    int rxHmacLength(Offer far) {
        if (!receiveRequired) {
            return 0;
        }
        if (far.hmacLength() < HandshakeSettings.MIN_HMAC_LENGTH || far.hmacLength() > HandshakeSettings.MAX_HMAC_LENGTH) {
            throw new WireFormatException("far HMAC length " + far.hmacLength() + " outside 4..32");
        }
        return (int) far.hmacLength();
    }
}
