package io.rtmfp4j.core.sim;

import io.rtmfp4j.core.crypto.PacketProtection;
import io.rtmfp4j.core.packet.Packet;
import io.rtmfp4j.core.wire.WireFormatException;
import java.net.InetSocketAddress;

/** A datagram in flight in a {@link SimNetwork}. */
public record SimPacket(InetSocketAddress from, InetSocketAddress to, byte[] data, long sentAt) {
    /**
     * The type of the first chunk if this is a packet sealed with the default startup key
     * (IHello, RHello, Redirect, IIKeying, RIKeying, Cookie Change), else -1. Lets tests aim
     * impairments at particular handshake steps.
     */
    public int startupChunkType() {
        try {
            byte[] clear = PacketProtection.startup().open(data, 0, data.length);
            Packet p = Packet.decode(clear, 0, clear.length);
            return p.chunks().isEmpty() ? -1 : p.chunks().get(0).type();
        } catch (WireFormatException e) {
            return -1;
        }
    }
}
