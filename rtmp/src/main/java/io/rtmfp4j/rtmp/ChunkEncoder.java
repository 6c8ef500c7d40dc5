package io.rtmfp4j.rtmp;

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.flash.tc.TcMessage;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes RTMP messages as chunks (RTMP specification 1.0, §5.3), with the smallest header each
 * message allows on its chunk stream: type 0 for a chunk stream's first message, another message
 * stream or a timestamp going back; type 1 when the length or type changes; type 2 when only the
 * timestamp delta does; type 3 when nothing does. {@link ChunkDecoder} reads what it writes.
 */
public final class ChunkEncoder {
    /** The last message header written on one chunk stream. */
    private record Last(long timestamp, long delta, int length, int type, long streamId) {
    }

    private final Map<Integer, Last> last = new HashMap<>();
    private int chunkSize = ChunkDecoder.DEFAULT_CHUNK_SIZE;

    /**
     * Writes with chunks of {@code size} bytes from now on; send the Set Chunk Size message
     * ({@link ProtocolControl#setChunkSize}) with the old size first.
     */
    public void setChunkSize(int size) {
        if (size < 1 || size > ChunkDecoder.MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size is 1 to " + ChunkDecoder.MAX_CHUNK_SIZE + ": " + size);
        }
        chunkSize = size;
    }

    /** Appends {@code m} to {@code out} as chunks of chunk stream {@code csid} (2 to 65599). */
    public void encode(int csid, RtmpMessage m, ByteWriter out) {
        if (csid < 2 || csid > 65599) {
            throw new IllegalArgumentException("chunk stream ID is 2 to 65599: " + csid);
        }
        TcMessage msg = m.message();
        int length = msg.payload().length;
        if (length > 0xff_ffff) {
            throw new IllegalArgumentException("message length is 24 bits: " + length);
        }
        Last prev = last.get(csid);
        long ts = msg.timestamp();
        int fmt;
        long field;
        long delta;
        if (prev == null || prev.streamId != m.streamId() || ts < prev.timestamp) {
            fmt = 0;
            field = ts;
            delta = ts;
        } else {
            delta = ts - prev.timestamp;
            if (length != prev.length || msg.type() != prev.type) {
                fmt = 1;
            } else if (delta != prev.delta) {
                fmt = 2;
            } else {
                fmt = 3;
            }
            field = delta;
        }
        boolean extended = field >= ChunkDecoder.EXTENDED;
        basicHeader(fmt, csid, out);
        if (fmt < 3) {
            out.u8((int) (Math.min(field, ChunkDecoder.EXTENDED) >>> 16)).u16((int) Math.min(field, ChunkDecoder.EXTENDED));
        }
        if (fmt < 2) {
            out.u8(length >>> 16).u16(length).u8(msg.type());
        }
        if (fmt == 0) {
            out.u32(Integer.reverseBytes((int) m.streamId()));
        }
        if (extended) {
            out.u32((int) field);
        }
        last.put(csid, new Last(ts, delta, length, msg.type(), m.streamId()));
        byte[] payload = msg.payload();
        for (int at = 0; ; ) {
            int n = Math.min(chunkSize, length - at);
            out.bytes(payload, at, n);
            at += n;
            if (at >= length) {
                return;
            }
            // §5.3.1.3: continuation chunks repeat the extended timestamp of their message's header.
            basicHeader(3, csid, out);
            if (extended) {
                out.u32((int) field);
            }
        }
    }

    private static void basicHeader(int fmt, int csid, ByteWriter out) {
        if (csid < 64) {
            out.u8(fmt << 6 | csid);
        } else if (csid < 320) {
            out.u8(fmt << 6).u8(csid - 64);
        } else {
            out.u8(fmt << 6 | 1).u8((csid - 64) & 0xff).u8((csid - 64) >>> 8);
        }
    }
}
