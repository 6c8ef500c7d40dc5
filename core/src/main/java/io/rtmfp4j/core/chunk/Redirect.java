package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.Vlu;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Responder Redirect (RFC 7016 §2.3.5): {@code tagEcho field || Address*} to the end of the
 * chunk. Tells the initiator to try other addresses; an empty list means "try again where this
 * came from".
 */
public record Redirect(byte[] tagEcho, List<Address> destinations) implements Chunk {

    public Redirect {
        Objects.requireNonNull(tagEcho, "tagEcho");
        destinations = List.copyOf(destinations);
    }

    static Redirect decode(ByteReader r) {
        byte[] tagEcho = r.field();
        List<Address> destinations = new ArrayList<>();
        while (r.hasRemaining()) {
            destinations.add(Address.decode(r));
        }
        return new Redirect(tagEcho, destinations);
    }

    @Override
    public int type() {
        return ChunkType.REDIRECT;
    }

    @Override
    public int bodySize() {
        int size = Vlu.fieldSize(tagEcho.length);
        for (Address a : destinations) {
            size += a.encodedSize();
        }
        return size;
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.field(tagEcho);
        for (Address a : destinations) {
            a.encode(w);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Redirect other && Arrays.equals(tagEcho, other.tagEcho)
                && destinations.equals(other.destinations);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(tagEcho) + destinations.hashCode();
    }

    @Override
    public String toString() {
        return "Redirect[tagEcho=" + Hex.encode(tagEcho) + ", destinations=" + destinations + "]";
    }
}
