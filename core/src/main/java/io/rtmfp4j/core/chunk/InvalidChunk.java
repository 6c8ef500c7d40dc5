package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import java.util.Arrays;
import java.util.Objects;

/**
 * A chunk of a known type whose body did not decode. A malformed chunk is ignored by itself and
 * the rest of the packet still counts (RFC 7016 §2.3), so decoding yields this instead of failing;
 * the session can count it by reason. The raw body re-encodes verbatim.
 */
public record InvalidChunk(int type, byte[] body, String reason) implements Chunk {

    public InvalidChunk {
        if (!ChunkType.isKnown(type)) {
            throw new IllegalArgumentException("type 0x" + Integer.toHexString(type) + " is not a known chunk type");
        }
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public int bodySize() {
        return body.length;
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.bytes(body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InvalidChunk other && type == other.type && Arrays.equals(body, other.body)
                && reason.equals(other.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(body), reason);
    }

    @Override
    public String toString() {
        return "InvalidChunk[type=0x" + Integer.toHexString(type) + ", body=" + Hex.encode(body)
                + ", reason=" + reason + "]";
    }
}
