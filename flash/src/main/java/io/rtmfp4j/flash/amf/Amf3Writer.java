package io.rtmfp4j.flash.amf;

import static io.rtmfp4j.flash.amf.Amf3Marker.ARRAY;
import static io.rtmfp4j.flash.amf.Amf3Marker.BYTE_ARRAY;
import static io.rtmfp4j.flash.amf.Amf3Marker.DATE;
import static io.rtmfp4j.flash.amf.Amf3Marker.DICTIONARY;
import static io.rtmfp4j.flash.amf.Amf3Marker.DOUBLE;
import static io.rtmfp4j.flash.amf.Amf3Marker.FALSE;
import static io.rtmfp4j.flash.amf.Amf3Marker.INTEGER;
import static io.rtmfp4j.flash.amf.Amf3Marker.INTEGER_MAX;
import static io.rtmfp4j.flash.amf.Amf3Marker.INTEGER_MIN;
import static io.rtmfp4j.flash.amf.Amf3Marker.NULL;
import static io.rtmfp4j.flash.amf.Amf3Marker.OBJECT;
import static io.rtmfp4j.flash.amf.Amf3Marker.STRING;
import static io.rtmfp4j.flash.amf.Amf3Marker.TRAITS_DYNAMIC;
import static io.rtmfp4j.flash.amf.Amf3Marker.TRAITS_INLINE;
import static io.rtmfp4j.flash.amf.Amf3Marker.TRUE;
import static io.rtmfp4j.flash.amf.Amf3Marker.U28_MAX;
import static io.rtmfp4j.flash.amf.Amf3Marker.UNDEFINED;
import static io.rtmfp4j.flash.amf.Amf3Marker.VECTOR_DOUBLE;
import static io.rtmfp4j.flash.amf.Amf3Marker.VECTOR_INT;
import static io.rtmfp4j.flash.amf.Amf3Marker.VECTOR_OBJECT;
import static io.rtmfp4j.flash.amf.Amf3Marker.VECTOR_UINT;
import static io.rtmfp4j.flash.amf.Amf3Marker.XML;
import static io.rtmfp4j.flash.amf.Amf3Marker.XML_DOCUMENT;

import io.rtmfp4j.core.wire.ByteWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes Java values as AMF3 (AMF3 specification; spec §6.9); see {@code docs/flash.md} for the
 * type mapping.
 *
 * <p>The reference tables live as long as this writer, so write one message with one writer. A
 * non-empty string written again becomes a string reference; an object-table value (object,
 * array, date, XML, byte array, vector, dictionary) written again as the same instance
 * ({@code ==}) becomes an object reference, which is also how cyclic graphs end; object traits
 * written again become a traits reference. Unsupported types and values AMF3 cannot hold raise
 * {@link IllegalArgumentException}, after which the output is incomplete.
 */
public final class Amf3Writer {

    /** Traits as written: anonymous objects are dynamic, typed objects sealed. */
    private record TraitsKey(String className, List<String> sealed, boolean dynamic) {
    }

    private final AmfOutput out;
    private final Map<String, Integer> strings = new HashMap<>();
    private final Map<Object, Integer> objects = new IdentityHashMap<>();
    private final Map<TraitsKey, Integer> traits = new HashMap<>();

    public Amf3Writer() {
        this(new ByteWriter());
    }

    public Amf3Writer(ByteWriter out) {
        this(out, Amf.DEFAULT_MAX_DEPTH);
    }

    public Amf3Writer(ByteWriter out, int maxDepth) {
        this(new AmfOutput(out, maxDepth));
    }

    /** A writer with fresh tables into output another writer is in the middle of (AMF0's 0x11). */
    Amf3Writer(AmfOutput out) {
        this.out = out;
    }

    public Amf3Writer writeValue(Object value) {
        value(value, 0);
        return this;
    }

    /** Everything written so far. */
    public byte[] toByteArray() {
        return out.out.toByteArray();
    }

    /** One value inside {@code depth} containers. */
    void value(Object v, int depth) {
        ByteWriter w = out.out;
        if (v == null) {
            w.u8(NULL);
        } else if (v instanceof Undefined) {
            w.u8(UNDEFINED);
        } else if (v instanceof Boolean b) {
            w.u8(b ? TRUE : FALSE);
        } else if (v instanceof Number n) {
            number(n);
        } else if (v instanceof String s) {
            w.u8(STRING);
            string(s);
        } else {
            objectTableValue(v, depth);
        }
    }

    private void objectTableValue(Object v, int depth) {
        if (v instanceof Map<?, ?> map) {
            if (!reference(OBJECT, v)) {
                anonymousObject(map, depth);
            }
        } else if (v instanceof TypedObject t) {
            if (!reference(OBJECT, v)) {
                typedObject(t, depth);
            }
        } else if (v instanceof List<?> list) {
            if (!reference(ARRAY, v)) {
                array(Map.of(), list, depth);
            }
        } else if (v instanceof EcmaArray a) {
            if (!reference(ARRAY, v)) {
                array(a.properties(), List.of(), depth);
            }
        } else if (v instanceof MixedArray a) {
            if (!reference(ARRAY, v)) {
                array(a.associative(), a.dense(), depth);
            }
        } else if (v instanceof Instant t) {
            if (!reference(DATE, v)) {
                u29(1);
                out.f64(AmfOutput.millis(t));
            }
        } else if (v instanceof XmlDocument x) {
            if (!reference(XML_DOCUMENT, v)) {
                bytes(AmfOutput.utf8(x.text()), "XML document");
            }
        } else if (v instanceof Xml x) {
            if (!reference(XML, v)) {
                bytes(AmfOutput.utf8(x.text()), "XML");
            }
        } else if (v instanceof byte[] b) {
            if (!reference(BYTE_ARRAY, v)) {
                bytes(b, "ByteArray");
            }
        } else {
            vectorOrDictionary(v, depth);
        }
    }

    private void vectorOrDictionary(Object v, int depth) {
        ByteWriter w = out.out;
        if (v instanceof IntVector vector) {
            if (!reference(VECTOR_INT, v)) {
                header(vector.values().length, "int vector");
                w.u8(vector.fixed() ? 1 : 0);
                for (int x : vector.values()) {
                    w.u32(x);
                }
            }
        } else if (v instanceof UintVector vector) {
            if (!reference(VECTOR_UINT, v)) {
                header(vector.values().length, "uint vector");
                w.u8(vector.fixed() ? 1 : 0);
                for (long x : vector.values()) {
                    w.u32((int) x);
                }
            }
        } else if (v instanceof DoubleVector vector) {
            if (!reference(VECTOR_DOUBLE, v)) {
                header(vector.values().length, "Number vector");
                w.u8(vector.fixed() ? 1 : 0);
                for (double x : vector.values()) {
                    out.f64(x);
                }
            }
        } else if (v instanceof ObjectVector vector) {
            if (!reference(VECTOR_OBJECT, v)) {
                objectVector(vector, depth);
            }
        } else if (v instanceof Dictionary dictionary) {
            if (!reference(DICTIONARY, v)) {
                dictionary(dictionary, depth);
            }
        } else {
            throw AmfOutput.unsupported(v);
        }
    }

    /**
     * Integer types in the 29-bit range take the integer type, as Flash's {@code int} does;
     * everything else, including whole-valued doubles, is a double, so that it decodes as the
     * same Java type.
     */
    private void number(Number n) {
        if (n instanceof Integer || n instanceof Short || n instanceof Byte || n instanceof Long) {
            long v = n.longValue();
            if (v >= INTEGER_MIN && v <= INTEGER_MAX) {
                out.out.u8(INTEGER);
                u29((int) v & 0x1fff_ffff);
                return;
            }
        }
        out.out.u8(DOUBLE);
        out.f64(n.doubleValue());
    }

    /** U29 (AMF3 specification §1.3.1) of a value in 0 .. 2^29 - 1. */
    private void u29(int v) {
        ByteWriter w = out.out;
        if (v < 0x80) {
            w.u8(v);
        } else if (v < 0x4000) {
            w.u8(v >> 7 | 0x80).u8(v & 0x7f);
        } else if (v < 0x20_0000) {
            w.u8(v >> 14 | 0x80).u8(v >> 7 & 0x7f | 0x80).u8(v & 0x7f);
        } else {
            w.u8(v >> 22 | 0x80).u8(v >> 15 & 0x7f | 0x80).u8(v >> 8 & 0x7f | 0x80).u8(v & 0xff);
        }
    }

    /** The U29 of an inline value: its length or count, then the flag bit 1. */
    private void header(int count, String what) {
        if (count > U28_MAX) {
            throw new IllegalArgumentException(what + " of " + count + " exceeds AMF3's 2^28 - 1");
        }
        u29(count << 1 | 1);
    }

    private void referenceTo(int index, String what) {
        if (index > U28_MAX) {
            throw new IllegalArgumentException("more " + what + " than AMF3 references can index");
        }
        u29(index << 1);
    }

    /**
     * Writes the marker, then a reference if this instance was written before; otherwise the
     * instance takes the next index, as the decoder will give it, and the caller writes it inline.
     */
    private boolean reference(int marker, Object v) {
        out.out.u8(marker);
        Integer index = objects.putIfAbsent(v, objects.size());
        if (index == null) {
            return false;
        }
        referenceTo(index, "objects");
        return true;
    }

    private void bytes(byte[] b, String what) {
        header(b.length, what);
        out.out.bytes(b);
    }

    /** UTF-8-vr: the empty string is always inline and never joins the table (AMF3 specification §1.3.2). */
    private void string(String s) {
        if (s.isEmpty()) {
            u29(1);
            return;
        }
        Integer index = strings.putIfAbsent(s, strings.size());
        if (index != null) {
            referenceTo(index, "strings");
            return;
        }
        bytes(AmfOutput.utf8(s), "string");
    }

    /** U29O-traits: a traits reference, or the traits inline (AMF3 specification §3.12). */
    private void traits(String className, List<String> sealed, boolean dynamic) {
        Integer index = traits.putIfAbsent(new TraitsKey(className, sealed, dynamic), traits.size());
        if (index != null) {
            if (index > U28_MAX >> 1) {
                throw new IllegalArgumentException("more traits than AMF3 references can index");
            }
            u29(index << 2 | 1);
            return;
        }
        if (sealed.size() > U28_MAX >> 3) {
            throw new IllegalArgumentException(sealed.size() + " sealed properties exceed AMF3's 2^25 - 1");
        }
        u29(sealed.size() << 4 | (dynamic ? TRAITS_DYNAMIC : 0) | TRAITS_INLINE | 1);
        string(className);
        for (String name : sealed) {
            string(name);
        }
    }

    /** A name of a dynamic property or associative entry; the empty name would end the list. */
    private void dynamicName(Object key) {
        String name = AmfOutput.propertyName(key);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("AMF3 cannot name a dynamic property or array entry \"\"");
        }
        string(name);
    }

    private void anonymousObject(Map<?, ?> properties, int depth) {
        int inner = out.enter(depth);
        traits("", List.of(), true);
        for (Map.Entry<?, ?> e : properties.entrySet()) {
            dynamicName(e.getKey());
            value(e.getValue(), inner);
        }
        string("");
    }

    /** All properties are sealed members, as a registered ActionScript class expects them. */
    private void typedObject(TypedObject object, int depth) {
        int inner = out.enter(depth);
        List<String> names = new ArrayList<>(object.properties().size());
        List<Object> values = new ArrayList<>(object.properties().size());
        for (Map.Entry<?, ?> e : object.properties().entrySet()) {
            names.add(AmfOutput.propertyName(e.getKey()));
            values.add(e.getValue());
        }
        traits(object.className(), names, false);
        for (Object v : values) {
            value(v, inner);
        }
    }

    private void array(Map<?, ?> associative, List<?> dense, int depth) {
        int inner = out.enter(depth);
        header(dense.size(), "array");
        for (Map.Entry<?, ?> e : associative.entrySet()) {
            dynamicName(e.getKey());
            value(e.getValue(), inner);
        }
        string("");
        for (Object v : dense) {
            value(v, inner);
        }
    }

    private void objectVector(ObjectVector vector, int depth) {
        int inner = out.enter(depth);
        header(vector.values().size(), "object vector");
        out.out.u8(vector.fixed() ? 1 : 0);
        string(vector.typeName());
        for (Object v : vector.values()) {
            value(v, inner);
        }
    }

    private void dictionary(Dictionary dictionary, int depth) {
        int inner = out.enter(depth);
        header(dictionary.entries().size(), "dictionary");
        out.out.u8(dictionary.weakKeys() ? 1 : 0);
        for (Map.Entry<?, ?> e : dictionary.entries().entrySet()) {
            value(e.getKey(), inner);
            value(e.getValue(), inner);
        }
    }
}
