package io.rtmfp4j.core.chunk;

/** Chunk type codes (RFC 7016 §2.3, rtmfp-cpp extensions, and codes seen from other peers). */
public final class ChunkType {
    /** Explicit padding chunk; skipped by the packet parser (RFC 7016 §2.3). */
    public static final int PADDING = 0x00;
    /** Padding byte value; a chunk of this type ends parsing (RFC 7016 §2.2.4, §2.3). */
    public static final int PADDING_FF = 0xff;

    public static final int IHELLO = 0x30;
    public static final int FIHELLO = 0x0f;
    public static final int RHELLO = 0x70;
    public static final int REDIRECT = 0x71;
    public static final int COOKIE_CHANGE = 0x79;
    public static final int IIKEYING = 0x38;
    public static final int RIKEYING = 0x78;

    public static final int PING = 0x01;
    public static final int PING_REPLY = 0x41;
    public static final int USER_DATA = 0x10;
    public static final int NEXT_USER_DATA = 0x11;
    public static final int ACK_BITMAP = 0x50;
    public static final int ACK_RANGES = 0x51;
    public static final int BUFFER_PROBE = 0x18;
    public static final int FLOW_EXCEPTION = 0x5e;
    public static final int SESSION_CLOSE = 0x0c;
    public static final int SESSION_CLOSE_ACK = 0x4c;
    public static final int PACKET_FRAGMENT = 0x7f;

    /** rtmfp-cpp's experimental ECN report. */
    public static final int ECN_REPORT = 0xec;

    private ChunkType() {
    }

    /** Whether {@link ChunkCodec} has a record for this type (everything else is an {@link UnknownChunk}). */
    public static boolean isKnown(int type) {
        return switch (type) {
            case IHELLO, FIHELLO, RHELLO, REDIRECT, COOKIE_CHANGE, IIKEYING, RIKEYING, PING, PING_REPLY,
                    USER_DATA, NEXT_USER_DATA, ACK_BITMAP, ACK_RANGES, BUFFER_PROBE, FLOW_EXCEPTION,
                    SESSION_CLOSE, SESSION_CLOSE_ACK, PACKET_FRAGMENT, ECN_REPORT -> true;
            default -> false;
        };
    }
}
