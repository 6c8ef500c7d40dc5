package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import java.util.Arrays;
import java.util.Objects;

/**
 * Ping (RFC 7016 §2.3.9): an arbitrary message the far end must echo in a {@link PingReply}.
 * Empty for keepalives; non-empty to check a new address (mobility) or probe the path.
 */
public record Ping(byte[] message) implements Chunk {

    public Ping {
        Objects.requireNonNull(message, "message");
    }

    @Override
    public int type() {
        return ChunkType.PING;
    }

    @Override
    public int bodySize() {
        return message.length;
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.bytes(message);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ping other && Arrays.equals(message, other.message);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(message);
    }

    @Override
    public String toString() {
        return "Ping[message=" + Hex.encode(message) + "]";
    }
}
