package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.Vlu;
import java.util.Arrays;
import java.util.Objects;

/**
 * Initiator Hello (RFC 7016 §2.3.2): {@code epd field || tag rest}. The endpoint discriminator
 * says whom the initiator wants to reach; the tag is echoed back so the initiator can match the
 * answer to its attempt.
 */
public record IHello(byte[] epd, byte[] tag) implements Chunk {

    public IHello {
        Objects.requireNonNull(epd, "epd");
        Objects.requireNonNull(tag, "tag");
    }

    static IHello decode(ByteReader r) {
        return new IHello(r.field(), r.rest());
    }

    @Override
    public int type() {
        return ChunkType.IHELLO;
    }

    @Override
    public int bodySize() {
        return Vlu.fieldSize(epd.length) + tag.length;
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.field(epd).bytes(tag);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IHello other && Arrays.equals(epd, other.epd) && Arrays.equals(tag, other.tag);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(epd) + Arrays.hashCode(tag);
    }

    @Override
    public String toString() {
        return "IHello[epd=" + Hex.encode(epd) + ", tag=" + Hex.encode(tag) + "]";
    }
}
