package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import java.util.Arrays;
import java.util.Objects;

/**
 * A chunk of a type we do not interpret (including 0x4d and 0xcc seen from other peers). Receivers
 * skip it (RFC 7016 §2.3); the raw body is kept so it re-encodes exactly.
 */
public record UnknownChunk(int type, byte[] body) implements Chunk {

    public UnknownChunk {
        if ((type & ~0xff) != 0) {
            throw new IllegalArgumentException("chunk type is one byte: " + type);
        }
        if (ChunkType.isKnown(type)) {
            throw new IllegalArgumentException("type 0x" + Integer.toHexString(type) + " has its own record");
        }
        Objects.requireNonNull(body, "body");
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
        return o instanceof UnknownChunk other && type == other.type && Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "UnknownChunk[type=0x" + Integer.toHexString(type) + ", body=" + Hex.encode(body) + "]";
    }
}
