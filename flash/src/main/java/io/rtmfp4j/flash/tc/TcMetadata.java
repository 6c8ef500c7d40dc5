package io.rtmfp4j.flash.tc;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Vlu;
import io.rtmfp4j.core.wire.WireFormatException;
import java.util.Optional;

/**
 * The metadata of a flow carrying TC messages (RFC 7425 §5.1.3; spec §6.1):
 * {@code 'T' 'C' || flags || VLU streamID}. The stream ID says which NetStream the flow belongs
 * to, 0 being the NetConnection itself; TC messages carry no stream ID of their own.
 *
 * @param flags    the flags byte; {@link #SID} is always set, bit {@link #RXI} asks the receiver
 *                 to deliver in network arrival order, other bits are kept as they came
 * @param streamId the stream ID
 */
public record TcMetadata(int flags, long streamId) {
    /** "TC" as the first two metadata bytes, {@code 54 43}. */
    public static final int SIGNATURE = 0x5443;
    /** Flag: a stream ID follows. Always set; rtmfp-cpp rejects flows without it (spec §6.1). */
    public static final int SID = 0x04;
    /** Flag: the receiver may deliver messages in network arrival order instead of queuing order. */
    public static final int RXI = 0x01;

    public TcMetadata {
        if ((flags & ~0xff) != 0) {
            throw new IllegalArgumentException("flags are one byte: " + flags);
        }
        if ((flags & SID) == 0) {
            throw new IllegalArgumentException("TC metadata always carries a stream ID (flag 0x04)");
        }
        if (streamId < 0) {
            throw new IllegalArgumentException("stream ID must be non-negative: " + streamId);
        }
    }

    /** The first metadata bytes of every TC flow, whatever its flags and stream: what a flow router matches. */
    public static byte[] prefix() {
        return new byte[] {(byte) (SIGNATURE >>> 8), (byte) SIGNATURE};
    }

    /** A flow of NetStream {@code streamId}, delivered in order. */
    public static TcMetadata stream(long streamId) {
        return new TcMetadata(SID, streamId);
    }

    /** The NetConnection's control flow: stream 0. */
    public static TcMetadata control() {
        return stream(0);
    }

    /** Whether the sender lets the receiver deliver messages as they arrive (RXI). */
    public boolean networkOrder() {
        return (flags & RXI) != 0;
    }

    /**
     * The TC metadata in a flow's metadata option, or empty when the flow is of another family
     * (NetGroup, rtmfp-cpp extensions) or the metadata is malformed: no stream ID, a truncated
     * VLU, bytes after it.
     */
    public static Optional<TcMetadata> parse(byte[] metadata) {
        ByteReader r = new ByteReader(metadata);
        try {
            if (r.remaining() < 3 || r.u16() != SIGNATURE) {
                return Optional.empty();
            }
            int flags = r.u8();
            if ((flags & SID) == 0) {
                return Optional.empty();
            }
            long streamId = r.vlu();
            return r.hasRemaining() ? Optional.empty() : Optional.of(new TcMetadata(flags, streamId));
        } catch (WireFormatException e) {
            return Optional.empty();
        }
    }

    public byte[] encode() {
        return new ByteWriter(3 + Vlu.size(streamId)).u16(SIGNATURE).u8(flags).vlu(streamId).toByteArray();
    }
}
