package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.group.GroupAddress;
import java.util.Arrays;

/**
 * A directed message on this project's routing flow ({@link GroupFlow#PRIVATE_ROUTING}, netgroup
 * spec §16), opened only toward neighbors known to run this project; Flash's own routing wire is
 * not public (spec §10):
 *
 * <pre>
 * 01 &lt;32-byte destination group address&gt; VLU(hops) &lt;flags&gt; &lt;AMF3 body&gt;
 * </pre>
 *
 * Each node forwards it to the neighbor nearest to the destination until a node is nearest itself
 * ({@code sendToNearest}); with {@link #NEIGHBOR_ONLY} the receiver takes it without forwarding
 * ({@code sendToNeighbor}, {@code sendToAllNeighbors}).
 */
public record RoutedMessage(GroupAddress destination, int hops, int flags, byte[] body) {
    public static final int TYPE = 0x01;
    /** Flag: for this neighbor, not to be forwarded. */
    public static final int NEIGHBOR_ONLY = 0x01;

    public RoutedMessage {
        if (hops < 0 || (flags & ~0xff) != 0) {
            throw new IllegalArgumentException("hops must be non-negative and flags one byte");
        }
    }

    public boolean neighborOnly() {
        return (flags & NEIGHBOR_ONLY) != 0;
    }

    /** The same message one hop further on. */
    public RoutedMessage forwarded() {
        return new RoutedMessage(destination, hops + 1, flags, body);
    }

    public byte[] encode() {
        return new ByteWriter(1 + GroupAddress.LENGTH + 6 + body.length).u8(TYPE).bytes(destination.bytes()).vlu(hops)
                .u8(flags).bytes(body).toByteArray();
    }

    /**
     * Reads a routed message.
     *
     * @throws WireFormatException if it is not one or is malformed
     */
    public static RoutedMessage decode(byte[] message) {
        ByteReader r = GroupWire.body(message, TYPE, "routed");
        GroupAddress destination = new GroupAddress(r.bytes(GroupAddress.LENGTH));
        long hops = r.vlu();
        if (hops > Integer.MAX_VALUE) {
            throw new WireFormatException("routed message: hop count out of range");
        }
        int flags = r.u8();
        return new RoutedMessage(destination, (int) hops, flags, r.rest());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutedMessage m && destination.equals(m.destination) && hops == m.hops
                && flags == m.flags && Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return destination.hashCode() * 31 + hops;
    }

    @Override
    public String toString() {
        return "RoutedMessage[to " + destination.hex().substring(0, 16) + ", hops " + hops + ", flags " + flags + ", "
                + body.length + " bytes]";
    }
}
