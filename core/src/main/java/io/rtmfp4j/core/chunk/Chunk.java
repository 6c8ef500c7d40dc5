package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteWriter;

/**
 * A chunk, the unit of meaning inside a packet (RFC 7016 §2.3):
 * {@code type u8 || length u16 || body}.
 */
public sealed interface Chunk
        permits IHello, FIHello, RHello, Redirect, CookieChange, IIKeying, RIKeying, Ping, PingReply,
        UserData, NextUserData, AckRanges, AckBitmap, BufferProbe, FlowException, SessionClose,
        SessionCloseAck, PacketFragment, EcnReport, UnknownChunk, InvalidChunk {

    /** The length field is 16 bits. */
    int MAX_BODY_SIZE = 0xffff;
    /** Type and length. */
    int HEADER_SIZE = 3;

    int type();

    /** Bytes {@link #encodeBody} writes. */
    int bodySize();

    void encodeBody(ByteWriter w);

    default int encodedSize() {
        return HEADER_SIZE + bodySize();
    }

    /** Writes the whole chunk; a body that does not fit the 16-bit length is a caller bug. */
    default void encode(ByteWriter w) {
        int size = bodySize();
        if (size > MAX_BODY_SIZE) {
            throw new IllegalStateException("chunk body of " + size + " bytes exceeds " + MAX_BODY_SIZE);
        }
        int start = w.size();
        w.u8(type()).u16(size);
        encodeBody(w);
        if (w.size() - start != HEADER_SIZE + size) {
            throw new IllegalStateException(getClass().getSimpleName() + " wrote a body unlike its bodySize");
        }
    }
}
