package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.Vlu;
import java.util.Arrays;
import java.util.Objects;

/**
 * Responder Initial Keying (RFC 7016 §2.3.8): {@code responderSessionId (4) || skrc field ||
 * signature rest}. Completes the handshake: the initiator now has both keying components.
 */
public record RIKeying(byte[] responderSessionId, byte[] skrc, byte[] signature) implements Chunk {

    public RIKeying {
        IIKeying.requireSessionId(responderSessionId);
        Objects.requireNonNull(skrc, "skrc");
        Objects.requireNonNull(signature, "signature");
    }

    static RIKeying decode(ByteReader r) {
        return new RIKeying(r.bytes(IIKeying.SESSION_ID_LENGTH), r.field(), r.rest());
    }

    @Override
    public int type() {
        return ChunkType.RIKEYING;
    }

    @Override
    public int bodySize() {
        return IIKeying.SESSION_ID_LENGTH + Vlu.fieldSize(skrc.length) + signature.length;
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.bytes(responderSessionId).field(skrc).bytes(signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RIKeying other && Arrays.equals(responderSessionId, other.responderSessionId)
                && Arrays.equals(skrc, other.skrc) && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(responderSessionId), Arrays.hashCode(skrc), Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "RIKeying[responderSessionId=" + Hex.encode(responderSessionId) + ", skrc=" + Hex.encode(skrc)
                + ", signature=" + Hex.encode(signature) + "]";
    }
}
