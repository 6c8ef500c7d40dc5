package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import java.util.Arrays;
import java.util.Objects;

/**
 * Ping Reply (RFC 7016 §2.3.10): the message of the {@link Ping} being answered, verbatim.
 */
public record PingReply(byte[] message) implements Chunk {

    public PingReply {
        Objects.requireNonNull(message, "message");
    }

    @Override
    public int type() {
        return ChunkType.PING_REPLY;
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
        return o instanceof PingReply other && Arrays.equals(message, other.message);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(message);
    }

    @Override
    public String toString() {
        return "PingReply[message=" + Hex.encode(message) + "]";
    }
}
