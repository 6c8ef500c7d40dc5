package io.rtmfp4j.core.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One option of an option list (RFC 7016 §2.1.3): {@code VLU L || VLU type || value}, where L
 * covers the type and the value. An L of 0 is a <em>marker</em>, not an option; it terminates a
 * list (§2.1.4) and is therefore never represented by this record.
 *
 * <p>The value array is owned by the record and must not be modified.
 */
public record Option(long type, byte[] value) {

    /** The L = 0 option that ends a terminated option list (RFC 7016 §2.1.4). */
    public static final int MARKER = 0x00;

    public Option {
        if (type < 0) {
            throw new IllegalArgumentException("option type must be non-negative: " + type);
        }
        Objects.requireNonNull(value, "value");
    }

    /** Bytes this option occupies on the wire, length prefix included. */
    public int encodedSize() {
        return Vlu.fieldSize(Vlu.size(type) + value.length);
    }

    public void encode(ByteWriter w) {
        w.vlu(Vlu.size(type) + value.length).vlu(type).bytes(value);
    }

    /**
     * Reads one option, or returns {@code null} for a marker. The type must fit inside L and L
     * must fit inside the container, otherwise the option is malformed (RFC 7016 §2.1.3).
     */
    /** Reads one option; null for a marker (an option of length 0, RFC 7016 §2.1.3). */
    public static Option decodeOne(ByteReader r) {
        int length = r.vluInt();
        if (length == 0) {
            return null;
        }
        ByteReader body = r.slice(length);
        long type = body.vlu();
        return new Option(type, body.rest());
    }

    /** Reads options up to and including the terminating marker; no marker is malformed. */
    public static List<Option> decodeList(ByteReader r) {
        List<Option> options = new ArrayList<>();
        while (true) {
            if (!r.hasRemaining()) {
                throw new WireFormatException("option list without end marker");
            }
            Option o = decodeOne(r);
            if (o == null) {
                return List.copyOf(options);
            }
            options.add(o);
        }
    }

    /**
     * Reads options to the end of the reader, for structures whose list runs to the end of its
     * container. A marker here carries nothing and is skipped.
     */
    public static List<Option> decodeUnterminated(ByteReader r) {
        List<Option> options = new ArrayList<>();
        while (r.hasRemaining()) {
            Option o = decodeOne(r);
            if (o != null) {
                options.add(o);
            }
        }
        return List.copyOf(options);
    }

    public static void encodeList(ByteWriter w, List<Option> options, boolean terminate) {
        for (Option o : options) {
            o.encode(w);
        }
        if (terminate) {
            w.u8(MARKER);
        }
    }

    /** Bytes {@link #encodeList} writes. */
    public static int encodedListSize(List<Option> options, boolean terminate) {
        int size = terminate ? 1 : 0;
        for (Option o : options) {
            size += o.encodedSize();
        }
        return size;
    }

    /** The first option of the given type; receivers use the first and ignore repeats. */
    public static Optional<Option> first(List<Option> options, long type) {
        for (Option o : options) {
            if (o.type == type) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Option other && type == other.type && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(type) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Option[type=" + type + ", value=" + Hex.encode(value) + "]";
    }
}
