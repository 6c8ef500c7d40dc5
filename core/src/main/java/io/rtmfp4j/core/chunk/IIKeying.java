package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.Vlu;
import java.util.Arrays;
import java.util.Objects;

/**
 * Initiator Initial Keying (RFC 7016 §2.3.7): {@code initiatorSessionId (4) || cookieEcho field ||
 * certificate field || skic field || signature rest}. The session ID is the one the initiator
 * wants to receive with; session IDs are opaque bytes, never numbers.
 */
public record IIKeying(byte[] initiatorSessionId, byte[] cookieEcho, byte[] certificate, byte[] skic,
        byte[] signature) implements Chunk {

    /** Session IDs are 4 opaque bytes (RFC 7016 §2.2.2). */
    public static final int SESSION_ID_LENGTH = 4;

    public IIKeying {
        requireSessionId(initiatorSessionId);
        Objects.requireNonNull(cookieEcho, "cookieEcho");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(skic, "skic");
        Objects.requireNonNull(signature, "signature");
    }

    static void requireSessionId(byte[] id) {
        if (Objects.requireNonNull(id, "session ID").length != SESSION_ID_LENGTH) {
            throw new IllegalArgumentException("session ID must be " + SESSION_ID_LENGTH + " bytes, not " + id.length);
        }
    }

    static IIKeying decode(ByteReader r) {
        return new IIKeying(r.bytes(SESSION_ID_LENGTH), r.field(), r.field(), r.field(), r.rest());
    }


    @Override
    public int type() {
        return ChunkType.IIKEYING;
    }

    @Override
    public int bodySize() {
        return SESSION_ID_LENGTH + Vlu.fieldSize(cookieEcho.length) + Vlu.fieldSize(certificate.length)
                + Vlu.fieldSize(skic.length) + signature.length;
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.bytes(initiatorSessionId).field(cookieEcho).field(certificate).field(skic).bytes(signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IIKeying other && Arrays.equals(initiatorSessionId, other.initiatorSessionId)
                && Arrays.equals(cookieEcho, other.cookieEcho) && Arrays.equals(certificate, other.certificate)
                && Arrays.equals(skic, other.skic) && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(initiatorSessionId), Arrays.hashCode(cookieEcho),
                Arrays.hashCode(certificate), Arrays.hashCode(skic), Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "IIKeying[initiatorSessionId=" + Hex.encode(initiatorSessionId) + ", cookieEcho=" + Hex.encode(cookieEcho)
                + ", certificate=" + Hex.encode(certificate) + ", skic=" + Hex.encode(skic)
                + ", signature=" + Hex.encode(signature) + "]";
    }
}
