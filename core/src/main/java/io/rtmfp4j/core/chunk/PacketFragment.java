package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.Vlu;
import java.util.Arrays;
import java.util.Objects;

/**
 * Packet Fragment (RFC 7016 §2.3.1): {@code flags u8 || packetId VLU || fragmentNumber VLU ||
 * fragment rest}. Lets a packet larger than the path MTU travel in pieces; the pieces, in
 * fragment order, form a whole packet. Nobody we interoperate with sends it.
 */
public record PacketFragment(int flags, long packetId, long fragmentNumber, byte[] fragment) implements Chunk {

    /** More fragments of this packet follow. */
    public static final int MORE = 0x80;

    public PacketFragment {
        if ((flags & ~0xff) != 0) {
            throw new IllegalArgumentException("flags must fit in a byte: " + flags);
        }
        if (packetId < 0 || fragmentNumber < 0) {
            throw new IllegalArgumentException("packet ID and fragment number must be non-negative");
        }
        Objects.requireNonNull(fragment, "fragment");
    }

    static PacketFragment decode(ByteReader r) {
        return new PacketFragment(r.u8(), r.vlu(), r.vlu(), r.rest());
    }

    @Override
    public int type() {
        return ChunkType.PACKET_FRAGMENT;
    }

    @Override
    public int bodySize() {
        return 1 + Vlu.size(packetId) + Vlu.size(fragmentNumber) + fragment.length;
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.u8(flags).vlu(packetId).vlu(fragmentNumber).bytes(fragment);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PacketFragment other && flags == other.flags && packetId == other.packetId
                && fragmentNumber == other.fragmentNumber && Arrays.equals(fragment, other.fragment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flags, packetId, fragmentNumber, Arrays.hashCode(fragment));
    }

    @Override
    public String toString() {
        return "PacketFragment[flags=0x" + Integer.toHexString(flags) + ", packetId=" + packetId
                + ", fragmentNumber=" + fragmentNumber + ", fragment=" + Hex.encode(fragment) + "]";
    }
}
