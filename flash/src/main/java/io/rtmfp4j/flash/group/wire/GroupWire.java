package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import java.util.Arrays;

/** Pieces several group messages share: the type byte and peer IDs in their EPD form (spec §2.2). */
final class GroupWire {
    /** {@code 21 0f} and a 32-byte peer ID. */
    static final int PEER_EPD_LENGTH = 34;

    private GroupWire() {
    }

    /** A reader past the type byte of {@code message}, which must be {@code type}. */
    static ByteReader body(byte[] message, int type, String name) {
        ByteReader r = new ByteReader(message);
        int t = r.u8();
        if (t != type) {
            throw new WireFormatException(name + " message must start with " + String.format("%02x", type)
                    + ", not " + String.format("%02x", t));
        }
        return r;
    }

    static void writePeerEpd(ByteWriter w, String peerIdHex) {
        w.bytes(EndpointDiscriminator.forPeer(Hex.decode(peerIdHex)).encode());
    }

    /** Reads {@code 21 0f <32 bytes>}: a peer ID in EPD form, as group messages carry it. */
    static String readPeerEpd(ByteReader r) {
        byte[] epd = r.bytes(PEER_EPD_LENGTH);
        if (epd[0] != 0x21 || epd[1] != 0x0f) {
            throw new WireFormatException("expected a peer EPD (21 0f ...), got " + Hex.encode(Arrays.copyOf(epd, 2)));
        }
        return Hex.encode(Arrays.copyOfRange(epd, 2, PEER_EPD_LENGTH));
    }
}
