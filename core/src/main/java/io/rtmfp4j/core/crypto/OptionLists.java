package io.rtmfp4j.core.crypto;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Option;
import io.rtmfp4j.core.wire.Vlu;
import io.rtmfp4j.core.wire.WireFormatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Option lists (RFC 7016 §2.1.3–2.1.4) as the crypto profile needs them: certificates, endpoint
 * discriminators and keying components are all option lists (RFC 7425 §4.3, §4.4, §4.6).
 *
 * <p>Deliberately package-private and minimal: the general-purpose option codec lives in the wire
 * package; this keeps the crypto profile self-contained.
 */
final class OptionLists {
    /** Type given to a marker (an option with length 0), which has no type on the wire. */
    static final long MARKER = -1;

    private OptionLists() {
    }

    /**
     * One parsed option. Internal and never compared, so default record equality is fine here.
     *
     * @param type the option type, or {@link #MARKER}
     * @param value the value bytes (a copy; empty for a marker)
     * @param end offset just past this option, relative to the start of the list
     */
    record Entry(long type, byte[] value, int end) {
        boolean isMarker() {
            return type == MARKER;
        }
    }

    /**
     * Parses a whole option list with {@link Option#decodeOne}, keeping markers and where each
     * option ends (a certificate's canonical part ends at its first marker, RFC 7425 §4.3).
     */
    static List<Entry> parse(byte[] b, int off, int len) {
        ByteReader r = new ByteReader(b, off, len);
        List<Entry> out = new ArrayList<>();
        while (r.hasRemaining()) {
            Option o = Option.decodeOne(r);
            int end = r.position() - off;
            out.add(o == null ? new Entry(MARKER, new byte[0], end) : new Entry(o.type(), o.value(), end));
        }
        return Collections.unmodifiableList(out);
    }

    static List<Entry> parse(byte[] b) {
        return parse(b, 0, b.length);
    }

    /** The value of the first option of {@code type} before any marker, or null. */
    static byte[] first(List<Entry> options, long type) {
        for (Entry e : options) {
            if (e.isMarker()) {
                return null;
            }
            if (e.type() == type) {
                return e.value();
            }
        }
        return null;
    }

    static ByteWriter append(ByteWriter w, long type, byte[] value) {
        new Option(type, value).encode(w);
        return w;
    }

    /** A value made of a VLU group ID followed by bytes (options 0x0d, 0x1d). */
    static byte[] groupValue(long groupId, byte[] rest) {
        return new ByteWriter(Vlu.MAX_BYTES + rest.length).vlu(groupId).bytes(rest).toByteArray();
    }

    /** Splits a "VLU group || bytes" value; malformed VLU → {@link WireFormatException}. */
    static GroupValue splitGroupValue(byte[] value) {
        ByteReader r = new ByteReader(value);
        long group = r.vlu();
        return new GroupValue(group, r.rest());
    }

    record GroupValue(long groupId, byte[] bytes) {
    }
}
