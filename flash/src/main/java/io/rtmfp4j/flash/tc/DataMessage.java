package io.rtmfp4j.flash.tc;

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.flash.amf.Amf0Writer;
import io.rtmfp4j.flash.amf.AmfException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A data message (RFC 7425 §5.1.1; spec §6.3): AMF values without a transaction, such as
 * {@code "|RtmpSampleAccess", true, true}, {@code "@setDataFrame", "onMetaData", {...}} or a
 * {@code NetStream.send} handler name and its arguments.
 *
 * @param values kept as an unmodifiable copy; elements may be {@code null}
 */
public record DataMessage(List<Object> values) {
    /** Room in {@link #encode()}'s buffer for what surrounds the byte arrays: markers, lengths, a handler name, numbers. */
    private static final int ENCODING_SLACK = 64;

    public DataMessage {
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    public static DataMessage of(Object... values) {
        return new DataMessage(Arrays.asList(values));
    }

    /** As a plain AMF0 data message (type 0x12) at time 0. */
    public TcMessage toMessage() {
        return toMessage(0);
    }

    /** As a plain AMF0 data message (type 0x12) at {@code timestamp} ms of the stream. */
    public TcMessage toMessage(long timestamp) {
        Amf0Writer w = new Amf0Writer();
        writeValues(w);
        return new TcMessage(TcMessage.DATA_AMF0, timestamp, w.toByteArray());
    }

    /**
     * As the bytes of a plain AMF0 data message at time 0, {@code out.array()[0, out.size())}: the
     * same bytes as {@code toMessage().encode()}, written once into a buffer sized for the byte
     * arrays among the values. Bulk data is mostly such arrays (a file's chunks), which the other
     * way copies three times more (the growing AMF buffer, its exact copy, the header in front).
     */
    public ByteWriter encode() {
        int size = TcMessage.HEADER_SIZE + ENCODING_SLACK;
        for (Object v : values) {
            if (v instanceof byte[] b) {
                size += b.length;
            }
        }
        ByteWriter out = new ByteWriter(size).u8(TcMessage.DATA_AMF0).u32(0);
        writeValues(new Amf0Writer(out));
        return out;
    }

    private void writeValues(Amf0Writer w) {
        for (Object v : values) {
            w.writeValue(v);
        }
    }

    /**
     * Whether {@code m} is a stream's metadata ({@code onMetaData}, or {@code @setDataFrame} around
     * it): what a live stream keeps for viewers that join later.
     */
    public static boolean isMetadata(TcMessage m) {
        if (m.type() != TcMessage.DATA_AMF0 && m.type() != TcMessage.DATA_AMF3) {
            return false;
        }
        try {
            List<Object> values = decode(m).values();
            return !values.isEmpty() && ("onMetaData".equals(values.get(0)) || "@setDataFrame".equals(values.get(0)));
        } catch (AmfException e) {
            return false;
        }
    }

    /** Reads a data message of type 0x12, or 0x0f with format byte 0. */
    public static DataMessage decode(TcMessage message) {
        return new DataMessage(message.amfValues(TcMessage.DATA_AMF0, TcMessage.DATA_AMF3, "data"));
    }

    /**
     * Reads a data message from a whole RTMFP message as received on a TC flow, where it lies:
     * the same as {@code decode(TcMessage.decode(message))} without the payload's copy.
     */
    public static DataMessage decode(byte[] message) {
        return new DataMessage(TcMessage.amfValues(TcMessage.typeOf(message), message, TcMessage.HEADER_SIZE,
                TcMessage.DATA_AMF0, TcMessage.DATA_AMF3, "data"));
    }
}
