package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.Vlu;
import java.util.Arrays;
import java.util.Objects;

/**
 * RHello Cookie Change (RFC 7016 §2.3.6): {@code oldCookie field || newCookie rest}. Sent when an
 * IIKeying echoes a valid cookie minted for a different source address (the initiator's NAT
 * mapping changed mid-handshake).
 */
public record CookieChange(byte[] oldCookie, byte[] newCookie) implements Chunk {

    public CookieChange {
        Objects.requireNonNull(oldCookie, "oldCookie");
        Objects.requireNonNull(newCookie, "newCookie");
    }

    static CookieChange decode(ByteReader r) {
        return new CookieChange(r.field(), r.rest());
    }

    @Override
    public int type() {
        return ChunkType.COOKIE_CHANGE;
    }

    @Override
    public int bodySize() {
        return Vlu.fieldSize(oldCookie.length) + newCookie.length;
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.field(oldCookie).bytes(newCookie);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CookieChange other && Arrays.equals(oldCookie, other.oldCookie)
                && Arrays.equals(newCookie, other.newCookie);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(oldCookie) + Arrays.hashCode(newCookie);
    }

    @Override
    public String toString() {
        return "CookieChange[oldCookie=" + Hex.encode(oldCookie) + ", newCookie=" + Hex.encode(newCookie) + "]";
    }
}
