package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.Vlu;
import java.util.Arrays;
import java.util.Objects;

/**
 * Forwarded Initiator Hello (RFC 7016 §2.3.3): {@code epd field || replyAddress || tag rest}.
 * A server that the target is connected to relays an initiator's IHello inside the session, with
 * the address where the initiator can be reached, so the target can answer it directly (P2P
 * introduction).
 */
public record FIHello(byte[] epd, Address replyAddress, byte[] tag) implements Chunk {

    public FIHello {
        Objects.requireNonNull(epd, "epd");
        Objects.requireNonNull(replyAddress, "replyAddress");
        Objects.requireNonNull(tag, "tag");
    }

    static FIHello decode(ByteReader r) {
        return new FIHello(r.field(), Address.decode(r), r.rest());
    }

    @Override
    public int type() {
        return ChunkType.FIHELLO;
    }

    @Override
    public int bodySize() {
        return Vlu.fieldSize(epd.length) + replyAddress.encodedSize() + tag.length;
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.field(epd);
        replyAddress.encode(w);
        w.bytes(tag);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FIHello other && Arrays.equals(epd, other.epd)
                && replyAddress.equals(other.replyAddress) && Arrays.equals(tag, other.tag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(epd), replyAddress, Arrays.hashCode(tag));
    }

    @Override
    public String toString() {
        return "FIHello[epd=" + Hex.encode(epd) + ", replyAddress=" + replyAddress + ", tag=" + Hex.encode(tag) + "]";
    }
}
