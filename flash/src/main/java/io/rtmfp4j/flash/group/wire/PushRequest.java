package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.wire.ByteReader;

/**
 * A push request (type 23 on a {@link GroupFlow#MEDIA_REPORT} flow, netgroup spec §8.4):
 * {@code 23 <mask>}, asking the neighbor to push every new fragment whose {@code id mod 8} is a
 * bit set in the mask. A mask replaces the previous one; 0 stops pushing.
 *
 * @param mask the slices wanted, bit i for {@code id mod 8 == i}
 */
public record PushRequest(int mask) implements GroupMessage {
    public static final int TYPE = 0x23;

    public PushRequest {
        if (mask < 0 || mask > 0xff) {
            throw new IllegalArgumentException("a push mask is one byte: " + mask);
        }
    }

    /** Whether fragment {@code id} belongs to a slice the mask asks for. */
    public boolean wants(long id) {
        return (mask & 1 << Math.floorMod(id, 8)) != 0;
    }

    @Override
    public byte[] encode() {
        return new byte[] {TYPE, (byte) mask};
    }

    /** Reads the message; bytes after the mask are ignored. */
    public static PushRequest decode(byte[] message) {
        ByteReader r = GroupWire.body(message, TYPE, "push request");
        return new PushRequest(r.u8());
    }
}
