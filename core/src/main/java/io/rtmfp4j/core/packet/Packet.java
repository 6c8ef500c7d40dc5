package io.rtmfp4j.core.packet;

import io.rtmfp4j.core.chunk.Chunk;
import io.rtmfp4j.core.chunk.ChunkCodec;
import io.rtmfp4j.core.chunk.ChunkType;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.WireFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A decrypted RTMFP packet (RFC 7016 §2.2.4): {@code flags u8 || [timestamp u16] ||
 * [timestampEcho u16] || chunk*}. Padding, checksum and encryption belong to the layer below.
 *
 * <p>Timestamps are in 4 ms ticks, or {@link #NO_TIMESTAMP}; the TS and TSE flag bits follow
 * from their presence. Chunks of the padding types 0x00 and 0xff are not packet content and
 * cannot be part of a packet.
 */
public record Packet(boolean timeCritical, boolean timeCriticalReverse, PacketMode mode, int timestamp,
        int timestampEcho, List<Chunk> chunks) {

    /** Time critical forward: carries data of a time-critical flow. */
    public static final int FLAG_TIME_CRITICAL = 0x80;
    /** Time critical reverse: the sender recently received time-critical data on another session. */
    public static final int FLAG_TIME_CRITICAL_REVERSE = 0x40;
    /** Timestamp present. (Bits 0x30 are reserved: sent as 0, ignored on receipt.) */
    public static final int FLAG_TIMESTAMP = 0x08;
    public static final int FLAG_TIMESTAMP_ECHO = 0x04;
    public static final int MODE_MASK = 0x03;

    /** Value of {@link #timestamp()} or {@link #timestampEcho()} when the field is absent. */
    public static final int NO_TIMESTAMP = -1;

    public Packet {
        Objects.requireNonNull(mode, "mode");
        checkTimestamp(timestamp, "timestamp");
        checkTimestamp(timestampEcho, "timestampEcho");
        chunks = List.copyOf(chunks);
        for (Chunk c : chunks) {
            if (c.type() == ChunkType.PADDING || c.type() == ChunkType.PADDING_FF) {
                throw new IllegalArgumentException("padding is not a chunk of the packet: " + c);
            }
        }
    }

    private static void checkTimestamp(int value, String name) {
        if (value < NO_TIMESTAMP || value > 0xffff) {
            throw new IllegalArgumentException(name + " must be 0..65535 or NO_TIMESTAMP: " + value);
        }
    }

    public boolean hasTimestamp() {
        return timestamp != NO_TIMESTAMP;
    }

    public boolean hasTimestampEcho() {
        return timestampEcho != NO_TIMESTAMP;
    }

    /** The flags byte this packet is sent with. */
    public int flags() {
        return (timeCritical ? FLAG_TIME_CRITICAL : 0)
                | (timeCriticalReverse ? FLAG_TIME_CRITICAL_REVERSE : 0)
                | (hasTimestamp() ? FLAG_TIMESTAMP : 0)
                | (hasTimestampEcho() ? FLAG_TIMESTAMP_ECHO : 0)
                | mode.bits();
    }

    public int encodedSize() {
        int size = 1 + (hasTimestamp() ? 2 : 0) + (hasTimestampEcho() ? 2 : 0);
        for (Chunk c : chunks) {
            size += c.encodedSize();
        }
        return size;
    }

    public void encode(ByteWriter w) {
        w.u8(flags());
        if (hasTimestamp()) {
            w.u16(timestamp);
        }
        if (hasTimestampEcho()) {
            w.u16(timestampEcho);
        }
        for (Chunk c : chunks) {
            c.encode(w);
        }
    }

    /**
     * Decodes a packet. Only the header can make the whole packet malformed (mode 0 is forbidden,
     * RFC 7016 §2.2.4); chunks are read while at least a chunk header remains, and reading stops
     * at type 0xff or at a length that overruns, since what follows is padding (RFC 7016 §2.3).
     * Chunks of type 0x00 are padding and skipped; a malformed chunk stays an
     * {@link io.rtmfp4j.core.chunk.InvalidChunk} among the others.
     *
     * @throws WireFormatException if the header is truncated or the mode is 0
     */
    public static Packet decode(byte[] buf, int off, int len) {
        return decode(new ByteReader(buf, off, len));
    }

    /** As {@link #decode(byte[], int, int)}, the packet being what remains of {@code r}, which it consumes. */
    public static Packet decode(ByteReader r) {
        int flags = r.u8();
        int modeBits = flags & MODE_MASK;
        if (modeBits == 0) {
            throw new WireFormatException("packet mode 0 is forbidden");
        }
        int timestamp = (flags & FLAG_TIMESTAMP) != 0 ? r.u16() : NO_TIMESTAMP;
        int timestampEcho = (flags & FLAG_TIMESTAMP_ECHO) != 0 ? r.u16() : NO_TIMESTAMP;
        List<Chunk> chunks = new ArrayList<>();
        while (r.remaining() >= Chunk.HEADER_SIZE) {
            int type = r.u8();
            int length = r.u16();
            if (type == ChunkType.PADDING_FF || length > r.remaining()) {
                break;
            }
            ByteReader body = r.slice(length);
            if (type != ChunkType.PADDING) {
                chunks.add(ChunkCodec.decode(type, body));
            }
        }
        return new Packet((flags & FLAG_TIME_CRITICAL) != 0, (flags & FLAG_TIME_CRITICAL_REVERSE) != 0,
                PacketMode.fromBits(modeBits), timestamp, timestampEcho, chunks);
    }
}
