package io.rtmfp4j.flash.tc;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.amf.Amf0Reader;
import io.rtmfp4j.flash.amf.AmfException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One RTMP message as one RTMFP message (RFC 7425 §5.1.1; spec §6.3):
 * {@code type u8 || timestamp u32 || payload}. There is no chunk stream, no length and no stream
 * ID; the stream is the flow's ({@link TcMetadata}).
 *
 * <p>The payload array belongs to the record from then on: it is not copied, so treat it as
 * read-only. Equality, hash code and {@code toString} look at its contents.
 *
 * @param type      the RTMP message type, one of the constants here or any other byte
 * @param timestamp milliseconds, unsigned 32 bits; 0 for commands and control
 */
public record TcMessage(int type, long timestamp, byte[] payload) {
    public static final int USER_CONTROL = 0x04;
    public static final int AUDIO = 0x08;
    public static final int VIDEO = 0x09;
    /** Data with a leading format byte, then AMF0 content (spec §6.3). */
    public static final int DATA_AMF3 = 0x0f;
    public static final int SHARED_OBJECT_AMF3 = 0x10;
    /** A command with a leading format byte, then AMF0 content (spec §6.3). */
    public static final int COMMAND_AMF3 = 0x11;
    public static final int DATA_AMF0 = 0x12;
    public static final int SHARED_OBJECT_AMF0 = 0x13;
    public static final int COMMAND_AMF0 = 0x14;
    /** Several FLV tags in one message; RFC 7425 says not to send it over RTMFP. */
    public static final int AGGREGATE = 0x16;

    /** Bytes before the payload: the type and the timestamp. */
    public static final int HEADER_SIZE = 5;

    public TcMessage {
        if ((type & ~0xff) != 0) {
            throw new IllegalArgumentException("message type is one byte: " + type);
        }
        if (timestamp < 0 || timestamp > 0xffff_ffffL) {
            throw new IllegalArgumentException("timestamp is unsigned 32 bits: " + timestamp);
        }
        Objects.requireNonNull(payload, "payload");
    }

    /** A whole RTMFP message as received on a TC flow. */
    public static TcMessage decode(byte[] message) {
        requireHeader(message);
        ByteReader r = new ByteReader(message);
        int type = r.u8();
        long timestamp = r.u32() & 0xffff_ffffL;
        return new TcMessage(type, timestamp, r.rest());
    }

    /** The type of a whole RTMFP message as received on a TC flow. */
    public static int typeOf(byte[] message) {
        requireHeader(message);
        return message[0] & 0xff;
    }

    private static void requireHeader(byte[] message) {
        if (message.length < HEADER_SIZE) {
            throw new AmfException("TC message of " + message.length + " bytes is shorter than its 5-byte header");
        }
    }

    public byte[] encode() {
        return new ByteWriter(HEADER_SIZE + payload.length).u8(type).u32((int) timestamp).bytes(payload).toByteArray();
    }

    /**
     * The AMF values of a message of type {@code amf0Type} or {@code amf3Type}. The "AMF3" types
     * carry a format byte and then AMF0 content; format 0 is the only one defined (spec §6.3).
     * AMF3 values inside arrive behind AMF0's 0x11 marker and are read as they come.
     */
    List<Object> amfValues(int amf0Type, int amf3Type, String what) {
        return amfValues(type, payload, 0, amf0Type, amf3Type, what);
    }

    /**
     * {@link #amfValues(int, int, String)} of a message of {@code type} whose payload is
     * {@code bytes[from..]}, read where it lies.
     */
    static List<Object> amfValues(int type, byte[] bytes, int from, int amf0Type, int amf3Type, String what) {
        int start = from;
        if (type == amf3Type) {
            if (bytes.length == from) {
                throw new AmfException(what + " message without its format byte");
            }
            if (bytes[from] != 0) {
                throw new AmfException(what + " message of format " + (bytes[from] & 0xff) + "; only format 0 is defined");
            }
            start++;
        } else if (type != amf0Type) {
            throw new AmfException("message type 0x" + Integer.toHexString(type) + " is not a " + what + " message");
        }
        return new Amf0Reader(new ByteReader(bytes, start, bytes.length - start)).readAll();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcMessage other && type == other.type && timestamp == other.timestamp
                && Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
        return (31 * type + Long.hashCode(timestamp)) * 31 + Arrays.hashCode(payload);
    }

    /** Shows the start of the payload only: media payloads run to kilobytes. */
    @Override
    public String toString() {
        int shown = Math.min(payload.length, 32);
        return "TcMessage[type=0x" + Integer.toHexString(type) + ", timestamp=" + timestamp + ", payload="
                + payload.length + " bytes " + Hex.encode(Arrays.copyOf(payload, shown))
                + (shown < payload.length ? "...]" : "]");
    }
}
