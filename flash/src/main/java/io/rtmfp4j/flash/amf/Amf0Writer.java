package io.rtmfp4j.flash.amf;

import static io.rtmfp4j.flash.amf.Amf0Marker.AVM_PLUS;
import static io.rtmfp4j.flash.amf.Amf0Marker.BOOLEAN;
import static io.rtmfp4j.flash.amf.Amf0Marker.DATE;
import static io.rtmfp4j.flash.amf.Amf0Marker.ECMA_ARRAY;
import static io.rtmfp4j.flash.amf.Amf0Marker.LONG_STRING;
import static io.rtmfp4j.flash.amf.Amf0Marker.NULL;
import static io.rtmfp4j.flash.amf.Amf0Marker.NUMBER;
import static io.rtmfp4j.flash.amf.Amf0Marker.OBJECT;
import static io.rtmfp4j.flash.amf.Amf0Marker.OBJECT_END;
import static io.rtmfp4j.flash.amf.Amf0Marker.REFERENCE;
import static io.rtmfp4j.flash.amf.Amf0Marker.STRICT_ARRAY;
import static io.rtmfp4j.flash.amf.Amf0Marker.STRING;
import static io.rtmfp4j.flash.amf.Amf0Marker.TYPED_OBJECT;
import static io.rtmfp4j.flash.amf.Amf0Marker.UNDEFINED;
import static io.rtmfp4j.flash.amf.Amf0Marker.XML_DOCUMENT;

import io.rtmfp4j.core.wire.ByteWriter;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes Java values as AMF0 (AMF0 specification; spec §6.9); see {@code docs/flash.md} for the
 * type mapping.
 *
 * <p>Values AMF0 cannot express (byte arrays, vectors, dictionaries, arrays with both named and
 * indexed entries) go out as one AMF3 value behind the AVM+ marker 0x11. With {@code amf3Values}
 * every value written by {@link #writeValue} does, as Flash with object encoding 3 writes command
 * arguments (spec §6.5). Each embedded value has fresh AMF3 tables (spec §6.9).
 *
 * <p>The object reference table lives as long as this writer, so write one message with one
 * writer. An object, typed object, ECMA array or list written again as the same instance
 * ({@code ==}) becomes a reference (0x07), which is also how cyclic graphs end. Unsupported
 * types and values AMF0 cannot hold raise {@link IllegalArgumentException}, after which the
 * output is incomplete.
 */
public final class Amf0Writer {
    private static final int MAX_U16 = 0xffff;

    private final AmfOutput out;
    private final boolean amf3Values;
    private final Map<Object, Integer> references = new IdentityHashMap<>();
    private int referenceCount;

    public Amf0Writer() {
        this(new ByteWriter());
    }

    public Amf0Writer(ByteWriter out) {
        this(out, false, Amf.DEFAULT_MAX_DEPTH);
    }

    /**
     * @param amf3Values write every value as AMF3 behind the AVM+ marker
     * @param maxDepth   how many containers deep a value may nest
     */
    public Amf0Writer(ByteWriter out, boolean amf3Values, int maxDepth) {
        this.out = new AmfOutput(out, maxDepth);
        this.amf3Values = amf3Values;
    }

    public Amf0Writer writeValue(Object value) {
        if (amf3Values) {
            embedAmf3(value, 0);
        } else {
            value(value, 0);
        }
        return this;
    }

    /** Everything written so far. */
    public byte[] toByteArray() {
        return out.out.toByteArray();
    }

    private void embedAmf3(Object value, int depth) {
        out.out.u8(AVM_PLUS);
        new Amf3Writer(out).value(value, depth);
    }

    private void value(Object v, int depth) {
        ByteWriter w = out.out;
        if (v == null) {
            w.u8(NULL);
        } else if (v instanceof Undefined) {
            w.u8(UNDEFINED);
        } else if (v instanceof Boolean b) {
            w.u8(BOOLEAN).u8(b ? 1 : 0);
        } else if (v instanceof Number n) {
            w.u8(NUMBER);
            out.f64(n.doubleValue());
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Map<?, ?> map) {
            if (!reference(v)) {
                w.u8(OBJECT);
                properties(map, depth);
            }
        } else if (v instanceof TypedObject t) {
            if (!reference(v)) {
                w.u8(TYPED_OBJECT);
                shortString(t.className(), "class name");
                properties(t.properties(), depth);
            }
        } else if (v instanceof EcmaArray a) {
            if (!reference(v)) {
                w.u8(ECMA_ARRAY).u32(a.properties().size());
                properties(a.properties(), depth);
            }
        } else if (v instanceof List<?> list) {
            if (!reference(v)) {
                strictArray(list, depth);
            }
        } else {
            otherValue(v, depth);
        }
    }

    private void otherValue(Object v, int depth) {
        ByteWriter w = out.out;
        if (v instanceof Instant t) {
            // The time zone field is unused; Flash writes 0 as well (AMF0 specification §2.13).
            w.u8(DATE);
            out.f64(AmfOutput.millis(t));
            w.u16(0);
        } else if (v instanceof XmlDocument x) {
            xmlDocument(x.text());
        } else if (v instanceof Xml x) {
            xmlDocument(x.text());
        } else if (v instanceof byte[] || v instanceof MixedArray || v instanceof IntVector
                || v instanceof UintVector || v instanceof DoubleVector || v instanceof ObjectVector
                || v instanceof Dictionary) {
            embedAmf3(v, depth);
        } else {
            throw AmfOutput.unsupported(v);
        }
    }

    /**
     * Writes a reference if this instance was written before; otherwise the instance takes the
     * next index, as the decoder will give it. An index beyond the 16-bit reference field cannot
     * be referred to, so the instance is written again and takes a new index.
     */
    private boolean reference(Object container) {
        Integer index = references.get(container);
        if (index != null && index <= MAX_U16) {
            out.out.u8(REFERENCE).u16(index);
            return true;
        }
        references.put(container, referenceCount++);
        return false;
    }

    /** A string, long (0x0c) when its UTF-8 form does not fit the 16-bit length. */
    private void string(String s) {
        byte[] b = AmfOutput.utf8(s);
        if (b.length <= MAX_U16) {
            out.out.u8(STRING).u16(b.length).bytes(b);
        } else {
            out.out.u8(LONG_STRING).u32(b.length).bytes(b);
        }
    }

    private void shortString(String s, String what) {
        byte[] b = AmfOutput.utf8(s);
        if (b.length > MAX_U16) {
            throw new IllegalArgumentException(what + " of " + b.length + " UTF-8 bytes exceeds AMF0's 65535");
        }
        out.out.u16(b.length).bytes(b);
    }

    private void xmlDocument(String text) {
        byte[] b = AmfOutput.utf8(text);
        out.out.u8(XML_DOCUMENT).u32(b.length).bytes(b);
    }

    private void properties(Map<?, ?> properties, int depth) {
        int inner = out.enter(depth);
        for (Map.Entry<?, ?> e : properties.entrySet()) {
            shortString(AmfOutput.propertyName(e.getKey()), "property name");
            value(e.getValue(), inner);
        }
        out.out.u16(0).u8(OBJECT_END);
    }

    private void strictArray(List<?> list, int depth) {
        int inner = out.enter(depth);
        out.out.u8(STRICT_ARRAY).u32(list.size());
        for (Object v : list) {
            value(v, inner);
        }
    }
}
