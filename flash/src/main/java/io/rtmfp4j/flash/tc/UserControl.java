package io.rtmfp4j.flash.tc;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.amf.AmfException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A user control event (RTMP message type 4; spec §6.4): {@code eventType u16 || data}. Known
 * events have a record each; any other, including RTMP's pings, which RTMFP does not use, is
 * kept as {@link Unknown} so that it re-encodes exactly.
 */
public sealed interface UserControl {
    int STREAM_BEGIN = 0;
    int STREAM_EOF = 1;
    int STREAM_DRY = 2;
    int SET_BUFFER_LENGTH = 3;
    int STREAM_IS_RECORDED = 4;
    /** RFC 7425 §5.2. */
    int FLOW_SYNC = 0x22;
    /** RFC 7425 §5.3.4. */
    int SET_KEEPALIVE = 0x29;

    int eventType();

    /** The event data after the type. */
    byte[] data();

    /** The payload of a type 4 message: the event type, then the data. */
    default byte[] encode() {
        byte[] data = data();
        return new ByteWriter(2 + data.length).u16(eventType()).bytes(data).toByteArray();
    }

    /** As a TC message; control events carry timestamp 0. */
    default TcMessage toMessage() {
        return new TcMessage(TcMessage.USER_CONTROL, 0, encode());
    }

    static UserControl decode(TcMessage message) {
        if (message.type() != TcMessage.USER_CONTROL) {
            throw new AmfException("message type 0x" + Integer.toHexString(message.type()) + " is not a user control event");
        }
        return decode(message.payload());
    }

    /**
     * Reads the payload of a type 4 message. A known event must carry its fields; bytes after
     * them are ignored, as the other implementations read only the fields they know.
     */
    static UserControl decode(byte[] payload) {
        if (payload.length < 2) {
            throw new AmfException("user control event of " + payload.length + " bytes has no event type");
        }
        ByteReader r = new ByteReader(payload);
        int type = r.u16();
        int fields = fieldCount(type);
        if (fields == 0) {
            return new Unknown(type, r.rest());
        }
        if (r.remaining() < 4 * fields) {
            throw new AmfException("user control event " + type + " needs " + 4 * fields + " bytes of data, has " + r.remaining());
        }
        long a = r.u32() & 0xffff_ffffL;
        long b = fields == 2 ? r.u32() & 0xffff_ffffL : 0;
        return switch (type) {
            case STREAM_BEGIN -> new StreamBegin(a);
            case STREAM_EOF -> new StreamEof(a);
            case STREAM_DRY -> new StreamDry(a);
            case STREAM_IS_RECORDED -> new StreamIsRecorded(a);
            case SET_BUFFER_LENGTH -> new SetBufferLength(a, b);
            case FLOW_SYNC -> new FlowSync(a, b);
            default -> new SetKeepalive(a, b);
        };
    }

    /** How many u32 fields a known event carries; 0 for an event without a record. */
    private static int fieldCount(int eventType) {
        return switch (eventType) {
            case STREAM_BEGIN, STREAM_EOF, STREAM_DRY, STREAM_IS_RECORDED -> 1;
            case SET_BUFFER_LENGTH, FLOW_SYNC, SET_KEEPALIVE -> 2;
            default -> 0;
        };
    }

    private static void checkU32(long... values) {
        for (long v : values) {
            if (v < 0 || v > 0xffff_ffffL) {
                throw new IllegalArgumentException("user control field is unsigned 32 bits: " + v);
            }
        }
    }

    private static byte[] u32s(long... values) {
        ByteWriter w = new ByteWriter(4 * values.length);
        for (long v : values) {
            w.u32((int) v);
        }
        return w.toByteArray();
    }

    /** The server starts sending stream {@code streamId}. */
    record StreamBegin(long streamId) implements UserControl {
        public StreamBegin {
            checkU32(streamId);
        }

        @Override
        public int eventType() {
            return STREAM_BEGIN;
        }

        @Override
        public byte[] data() {
            return u32s(streamId);
        }
    }

    /** Playback of stream {@code streamId} reached its end. */
    record StreamEof(long streamId) implements UserControl {
        public StreamEof {
            checkU32(streamId);
        }

        @Override
        public int eventType() {
            return STREAM_EOF;
        }

        @Override
        public byte[] data() {
            return u32s(streamId);
        }
    }

    /** Stream {@code streamId} has no more data for now. */
    record StreamDry(long streamId) implements UserControl {
        public StreamDry {
            checkU32(streamId);
        }

        @Override
        public int eventType() {
            return STREAM_DRY;
        }

        @Override
        public byte[] data() {
            return u32s(streamId);
        }
    }

    /** The client's buffer length for stream {@code streamId}, in milliseconds. */
    record SetBufferLength(long streamId, long bufferMs) implements UserControl {
        public SetBufferLength {
            checkU32(streamId, bufferMs);
        }

        @Override
        public int eventType() {
            return SET_BUFFER_LENGTH;
        }

        @Override
        public byte[] data() {
            return u32s(streamId, bufferMs);
        }
    }

    /** Stream {@code streamId} is recorded, not live. */
    record StreamIsRecorded(long streamId) implements UserControl {
        public StreamIsRecorded {
            checkU32(streamId);
        }

        @Override
        public int eventType() {
            return STREAM_IS_RECORDED;
        }

        @Override
        public byte[] data() {
            return u32s(streamId);
        }
    }

    /**
     * Lines up {@code count} flows of one NetStream (RFC 7425 §5.2): a receiver holds each in-order
     * flow that reads sync {@code syncId} until it has read it on {@code count} flows.
     */
    record FlowSync(long syncId, long count) implements UserControl {
        public FlowSync {
            checkU32(syncId, count);
        }

        @Override
        public int eventType() {
            return FLOW_SYNC;
        }

        @Override
        public byte[] data() {
            return u32s(syncId, count);
        }
    }

    /**
     * The keepalive periods a server asks for (RFC 7425 §5.3.4), in milliseconds: for the session
     * to the server and for sessions to peers. Receivers clamp each to at least 5 s (spec §6.4).
     */
    record SetKeepalive(long serverPeriodMs, long peerPeriodMs) implements UserControl {
        public SetKeepalive {
            checkU32(serverPeriodMs, peerPeriodMs);
        }

        @Override
        public int eventType() {
            return SET_KEEPALIVE;
        }

        @Override
        public byte[] data() {
            return u32s(serverPeriodMs, peerPeriodMs);
        }
    }

    /**
     * An event without a record here. The data array belongs to the record from then on and is
     * not copied; equality, hash code and {@code toString} look at its contents.
     */
    record Unknown(int eventType, byte[] data) implements UserControl {
        public Unknown {
            if ((eventType & ~0xffff) != 0) {
                throw new IllegalArgumentException("event type is 16 bits: " + eventType);
            }
            if (fieldCount(eventType) != 0) {
                throw new IllegalArgumentException("event type " + eventType + " has its own record");
            }
            Objects.requireNonNull(data, "data");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown other && eventType == other.eventType && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return 31 * eventType + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Unknown[eventType=" + eventType + ", data=" + Hex.encode(data) + "]";
        }
    }
}
