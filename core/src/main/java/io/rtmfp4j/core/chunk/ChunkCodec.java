package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.WireFormatException;

/** Decodes a chunk body into its record (RFC 7016 §2.3). */
public final class ChunkCodec {
    private ChunkCodec() {
    }

    /**
     * Decodes the whole of {@code body} as a chunk of {@code type}, consuming it. Never throws on
     * hostile input: an unknown type yields an {@link UnknownChunk}, a malformed body of a known
     * type an {@link InvalidChunk}, so one bad chunk does not spoil its packet (RFC 7016 §2.3).
     * Every array allocated is at most the body's size. {@code type} is the header byte, 0..255.
     *
     * <p>Bytes after a fixed-layout body (Buffer Probe, Flow Exception, Session Close and Close
     * Ack, ECN Report) are ignored, as rtmfp-cpp ignores them, rather than losing the chunk.
     */
    public static Chunk decode(int type, ByteReader body) {
        if (!ChunkType.isKnown(type)) {
            return new UnknownChunk(type, body.rest());
        }
        ByteReader attempt = body.duplicate();
        try {
            Chunk chunk = decodeKnown(type, attempt);
            body.skip(body.remaining());
            return chunk;
        } catch (WireFormatException | IllegalArgumentException e) {
            // Records validate themselves in their constructors; a violation from the wire is
            // simply a malformed chunk, dropped on its own (RFC 7016 §2.3).
            return new InvalidChunk(type, body.rest(), e.getMessage());
        }
    }

    private static Chunk decodeKnown(int type, ByteReader r) {
        return switch (type) {
            case ChunkType.IHELLO -> IHello.decode(r);
            case ChunkType.FIHELLO -> FIHello.decode(r);
            case ChunkType.RHELLO -> RHello.decode(r);
            case ChunkType.REDIRECT -> Redirect.decode(r);
            case ChunkType.COOKIE_CHANGE -> CookieChange.decode(r);
            case ChunkType.IIKEYING -> IIKeying.decode(r);
            case ChunkType.RIKEYING -> RIKeying.decode(r);
            case ChunkType.PING -> new Ping(r.rest());
            case ChunkType.PING_REPLY -> new PingReply(r.rest());
            case ChunkType.USER_DATA -> UserData.decode(r);
            case ChunkType.NEXT_USER_DATA -> NextUserData.decode(r);
            case ChunkType.ACK_RANGES -> AckRanges.decode(r);
            case ChunkType.ACK_BITMAP -> AckBitmap.decode(r);
            case ChunkType.BUFFER_PROBE -> new BufferProbe(r.vlu());
            case ChunkType.FLOW_EXCEPTION -> new FlowException(r.vlu(), r.vlu());
            case ChunkType.SESSION_CLOSE -> new SessionClose();
            case ChunkType.SESSION_CLOSE_ACK -> new SessionCloseAck();
            case ChunkType.PACKET_FRAGMENT -> PacketFragment.decode(r);
            case ChunkType.ECN_REPORT -> new EcnReport(r.u8());
            default -> throw new IllegalStateException("isKnown and decodeKnown disagree on " + type);
        };
    }
}
