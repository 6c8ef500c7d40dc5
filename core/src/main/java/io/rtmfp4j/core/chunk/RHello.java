package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.Vlu;
import java.util.Arrays;
import java.util.Objects;

/**
 * Responder Hello (RFC 7016 §2.3.4): {@code tagEcho field || cookie field || certificate rest}.
 * The cookie lets the responder stay stateless until the initiator proves it can receive at its
 * source address by echoing the cookie in IIKeying.
 */
public record RHello(byte[] tagEcho, byte[] cookie, byte[] certificate) implements Chunk {

    public RHello {
        Objects.requireNonNull(tagEcho, "tagEcho");
        Objects.requireNonNull(cookie, "cookie");
        Objects.requireNonNull(certificate, "certificate");
    }

    static RHello decode(ByteReader r) {
        return new RHello(r.field(), r.field(), r.rest());
    }

    @Override
    public int type() {
        return ChunkType.RHELLO;
    }

    @Override
    public int bodySize() {
        return Vlu.fieldSize(tagEcho.length) + Vlu.fieldSize(cookie.length) + certificate.length;
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.field(tagEcho).field(cookie).bytes(certificate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RHello other && Arrays.equals(tagEcho, other.tagEcho)
                && Arrays.equals(cookie, other.cookie) && Arrays.equals(certificate, other.certificate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(tagEcho), Arrays.hashCode(cookie), Arrays.hashCode(certificate));
    }

    @Override
    public String toString() {
        return "RHello[tagEcho=" + Hex.encode(tagEcho) + ", cookie=" + Hex.encode(cookie)
                + ", certificate=" + Hex.encode(certificate) + "]";
    }
}
