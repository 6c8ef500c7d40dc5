package io.rtmfp4j.rtmp;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.flash.tc.TcMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the chunk stream of one RTMP connection (RTMP specification 1.0, §5.3) from bytes that
 * arrive in pieces of any size, and returns the messages they complete. It follows the
 * reader's chunk size (Set Chunk Size, §5.4.1) and drops a message on Abort (§5.4.2); it
 * returns every other message, protocol control included.
 *
 * <p>The bytes are hostile: every header is checked against the state of its chunk stream,
 * messages longer than {@code maxMessageSize} are refused as their header arrives, a message's
 * buffer grows with the bytes actually received rather than with the length it declares, and all
 * partial messages together hold at most {@code maxBuffered} bytes. Any breach raises
 * {@link RtmpException}, after which the decoder must not be used again.
 */
public final class ChunkDecoder {
    /** §5.4.1: until a Set Chunk Size says otherwise. */
    public static final int DEFAULT_CHUNK_SIZE = 128;
    /** §5.4.1: the chunk size is 31 bits and at least 1. */
    public static final int MAX_CHUNK_SIZE = 0x7fff_ffff;
    /** The largest header: 3 bytes of basic header, 11 of message header, 4 of extended timestamp (§5.3.1). */
    private static final int MAX_HEADER = 18;
    /** §5.3.1.3: a 24-bit timestamp field of all ones says the extended timestamp follows. */
    static final int EXTENDED = 0xff_ffff;
    /** Chunk streams a client may use at once; real ones use fewer than ten. */
    static final int MAX_CHUNK_STREAMS = 64;
    private static final int FIRST_CAPACITY = 4096;

    /** The last header seen on one chunk stream and the message it is carrying. */
    private static final class ChunkStream {
        long timestamp;
        long delta;
        int length;
        int type;
        long streamId;
        boolean extended;
        byte[] payload;
        int received;

        boolean inProgress() {
            return payload != null;
        }
    }

    private final int maxMessageSize;
    private final int maxBuffered;
    private final Map<Integer, ChunkStream> streams = new HashMap<>();
    private final byte[] header = new byte[MAX_HEADER];
    private int headerLength;
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    /** The chunk stream whose chunk payload is being read, null while reading a header. */
    private ChunkStream current;
    private int chunkLeft;
    private int buffered;

    /**
     * @param maxMessageSize the longest message accepted, in bytes
     * @param maxBuffered    bytes all partial messages may hold together
     */
    public ChunkDecoder(int maxMessageSize, int maxBuffered) {
        if (maxMessageSize < 1 || maxBuffered < maxMessageSize) {
            throw new IllegalArgumentException("need 1 <= maxMessageSize <= maxBuffered: " + maxMessageSize + ", "
                    + maxBuffered);
        }
        this.maxMessageSize = maxMessageSize;
        this.maxBuffered = maxBuffered;
    }

    /** The chunk size the peer writes with now. */
    public int chunkSize() {
        return chunkSize;
    }

    /** Bytes the partial messages hold now: what an attacker can make this decoder keep. */
    public int buffered() {
        return buffered;
    }

    /** Reads {@code data[off, off + len)} and returns the messages it completes, in order. */
    public List<RtmpMessage> decode(byte[] data, int off, int len) {
        List<RtmpMessage> out = new ArrayList<>();
        int at = off;
        int end = off + len;
        while (at < end) {
            if (current == null) {
                int taken = Math.min(MAX_HEADER - headerLength, end - at);
                System.arraycopy(data, at, header, headerLength, taken);
                headerLength += taken;
                int used = header(out);
                if (used < 0) {
                    at += taken;
                    continue;
                }
                // What the header buffer took beyond the header is payload: give it back.
                at += taken - (headerLength - used);
                headerLength = 0;
                if (chunkLeft == 0) {
                    finishChunk(out);
                }
                continue;
            }
            int n = Math.min(chunkLeft, end - at);
            append(current, data, at, n);
            at += n;
            chunkLeft -= n;
            if (chunkLeft == 0) {
                finishChunk(out);
            }
        }
        return out;
    }

    /**
     * Parses the header in {@code header[0, headerLength)} if it is all there: returns its length
     * and makes {@link #current} the chunk stream it opens a chunk of; -1 if bytes are missing.
     */
    private int header(List<RtmpMessage> out) {
        int b0 = header[0] & 0xff;
        int fmt = b0 >>> 6;
        int at;
        int csid;
        switch (b0 & 0x3f) {
            case 0 -> {
                if (headerLength < 2) {
                    return -1;
                }
                csid = 64 + u8(1);
                at = 2;
            }
            case 1 -> {
                if (headerLength < 3) {
                    return -1;
                }
                csid = 64 + u8(1) + 256 * u8(2);
                at = 3;
            }
            default -> {
                csid = b0 & 0x3f;
                at = 1;
            }
        }
        ChunkStream cs = streams.get(csid);
        if (cs == null && fmt != 0) {
            throw new RtmpException("chunk stream " + csid + " starts with a type " + fmt + " header, not type 0");
        }
        int messageHeader = switch (fmt) {
            case 0 -> 11;
            case 1 -> 7;
            case 2 -> 3;
            default -> 0;
        };
        if (headerLength < at + messageHeader) {
            return -1;
        }
        int field = fmt == 3 ? 0 : u24(at);
        boolean extended = fmt == 3 ? cs.extended : field == EXTENDED;
        int total = at + messageHeader + (extended ? 4 : 0);
        if (headerLength < total) {
            return -1;
        }
        long time = extended ? u32(at + messageHeader) : field;
        if (cs == null) {
            if (streams.size() == MAX_CHUNK_STREAMS) {
                throw new RtmpException("more than " + MAX_CHUNK_STREAMS + " chunk streams");
            }
            cs = new ChunkStream();
            streams.put(csid, cs);
        }
        if (cs.inProgress() && fmt != 3) {
            throw new RtmpException("a type " + fmt + " header on chunk stream " + csid + " before its message of "
                    + cs.length + " bytes ended (" + cs.received + " received)");
        }
        if (fmt == 3 && cs.inProgress()) {
            // A continuation: the header carries nothing new (§5.3.1.2.4).
            current = cs;
            chunkLeft = Math.min(chunkSize, cs.length - cs.received);
            return total;
        }
        switch (fmt) {
            case 0 -> {
                cs.timestamp = time;
                // §5.3.1.2.4: a type 3 header after a type 0 one has the type 0 timestamp as its delta.
                cs.delta = time;
                cs.length = u24(at + 3);
                cs.type = u8(at + 6);
                cs.streamId = Integer.toUnsignedLong(Integer.reverseBytes((int) u32(at + 7)));
            }
            case 1, 2 -> {
                cs.delta = time;
                cs.timestamp = (cs.timestamp + time) & 0xffff_ffffL;
                if (fmt == 1) {
                    cs.length = u24(at + 3);
                    cs.type = u8(at + 6);
                }
            }
            default -> cs.timestamp = (cs.timestamp + cs.delta) & 0xffff_ffffL;
        }
        if (fmt != 3) {
            cs.extended = extended;
        }
        if (cs.length > maxMessageSize) {
            throw new RtmpException("message of " + cs.length + " bytes (type " + cs.type + ") exceeds the "
                    + maxMessageSize + " accepted");
        }
        cs.payload = new byte[0];
        cs.received = 0;
        current = cs;
        chunkLeft = Math.min(chunkSize, cs.length);
        return total;
    }

    /** Copies payload bytes into {@code cs}'s message, growing its buffer by doubling up to the declared length. */
    private void append(ChunkStream cs, byte[] data, int at, int n) {
        int need = cs.received + n;
        if (need > cs.payload.length) {
            int capacity = Math.min(cs.length, Math.max(need, Math.max(FIRST_CAPACITY, 2 * cs.payload.length)));
            if (buffered - cs.payload.length + capacity > maxBuffered) {
                throw new RtmpException("partial messages would hold more than " + maxBuffered + " bytes");
            }
            buffered += capacity - cs.payload.length;
            cs.payload = Arrays.copyOf(cs.payload, capacity);
        }
        System.arraycopy(data, at, cs.payload, cs.received, n);
        cs.received = need;
    }

    /** The current chunk is read: completes its message if that was the last chunk. */
    private void finishChunk(List<RtmpMessage> out) {
        ChunkStream cs = current;
        current = null;
        if (cs.received < cs.length) {
            return;
        }
        byte[] payload = cs.payload;
        buffered -= payload.length;
        cs.payload = null;
        control(new RtmpMessage(cs.streamId, new TcMessage(cs.type, cs.timestamp, payload)), out);
    }

    /** Applies Set Chunk Size and Abort here; any other message goes out. */
    private void control(RtmpMessage m, List<RtmpMessage> out) {
        int type = m.message().type();
        if (type != ProtocolControl.SET_CHUNK_SIZE && type != ProtocolControl.ABORT) {
            out.add(m);
            return;
        }
        byte[] p = m.message().payload();
        if (p.length != 4) {
            throw new RtmpException("protocol control message " + type + " of " + p.length + " bytes, not 4");
        }
        long value = Integer.toUnsignedLong(ByteReader.u32(p, 0));
        if (type == ProtocolControl.SET_CHUNK_SIZE) {
            if (value < 1 || value > MAX_CHUNK_SIZE) {
                throw new RtmpException("chunk size " + value + " is outside 1 to " + MAX_CHUNK_SIZE);
            }
            chunkSize = (int) value;
            return;
        }
        ChunkStream aborted = streams.get((int) Math.min(value, Integer.MAX_VALUE));
        if (aborted != null && aborted.inProgress()) {
            buffered -= aborted.payload.length;
            aborted.payload = null;
        }
    }

    private int u8(int i) {
        return header[i] & 0xff;
    }

    private int u24(int i) {
        return u8(i) << 16 | u8(i + 1) << 8 | u8(i + 2);
    }

    private long u32(int i) {
        return Integer.toUnsignedLong(ByteReader.u32(header, i));
    }
}
