package io.rtmfp4j.flash.amf;

import static io.rtmfp4j.flash.amf.Amf3Marker.ARRAY;
import static io.rtmfp4j.flash.amf.Amf3Marker.BYTE_ARRAY;
import static io.rtmfp4j.flash.amf.Amf3Marker.DATE;
import static io.rtmfp4j.flash.amf.Amf3Marker.DICTIONARY;
import static io.rtmfp4j.flash.amf.Amf3Marker.DOUBLE;
import static io.rtmfp4j.flash.amf.Amf3Marker.FALSE;
import static io.rtmfp4j.flash.amf.Amf3Marker.INTEGER;
import static io.rtmfp4j.flash.amf.Amf3Marker.NULL;
import static io.rtmfp4j.flash.amf.Amf3Marker.OBJECT;
import static io.rtmfp4j.flash.amf.Amf3Marker.STRING;
import static io.rtmfp4j.flash.amf.Amf3Marker.TRAITS_DYNAMIC;
import static io.rtmfp4j.flash.amf.Amf3Marker.TRAITS_EXTERNALIZABLE;
import static io.rtmfp4j.flash.amf.Amf3Marker.TRAITS_INLINE;
import static io.rtmfp4j.flash.amf.Amf3Marker.TRUE;
import static io.rtmfp4j.flash.amf.Amf3Marker.UNDEFINED;
import static io.rtmfp4j.flash.amf.Amf3Marker.VECTOR_DOUBLE;
import static io.rtmfp4j.flash.amf.Amf3Marker.VECTOR_INT;
import static io.rtmfp4j.flash.amf.Amf3Marker.VECTOR_OBJECT;
import static io.rtmfp4j.flash.amf.Amf3Marker.VECTOR_UINT;
import static io.rtmfp4j.flash.amf.Amf3Marker.XML;
import static io.rtmfp4j.flash.amf.Amf3Marker.XML_DOCUMENT;

import io.rtmfp4j.core.wire.ByteReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads AMF3 values (AMF3 specification; spec §6.9) from untrusted bytes.
 *
 * <p>The string, object and traits reference tables live as long as this reader, so read one
 * message with one reader. A reference decodes to the very instance it refers to: graphs that
 * share or cycle come out shared or cyclic. Every malformed input raises {@link AmfException};
 * containers may nest at most {@code maxDepth} deep.
 */
public final class Amf3Reader extends AmfReader {
    /**
     * Externalizable classes whose format is known: each writes exactly one AMF3 value (its
     * source array or proxied object), which stands for it. Any other externalizable class writes
     * bytes only its own code can read, so nothing after it could be found.
     */
    private static final Set<String> WRAPPERS = Set.of(
            "flex.messaging.io.ArrayCollection", "flex.messaging.io.ObjectProxy");

    /** Holds an externalizable object's slot in the object table while its value is read. */
    private static final Object PENDING = new Object();

    private record Traits(String className, List<String> sealed, boolean dynamic, boolean externalizable) {
    }

    private final List<String> strings = new ArrayList<>();
    private final List<Object> objects = new ArrayList<>();
    private final List<Traits> traits = new ArrayList<>();

    public Amf3Reader(byte[] data) {
        this(new ByteReader(data));
    }

    public Amf3Reader(ByteReader in) {
        this(in, Amf.DEFAULT_MAX_DEPTH);
    }

    public Amf3Reader(ByteReader in, int maxDepth) {
        this(new AmfInput(in, maxDepth));
    }

    /** A reader with fresh tables over input another reader is in the middle of (AMF0's 0x11). */
    Amf3Reader(AmfInput in) {
        super(in);
    }

    @Override
    Object value(int depth) {
        int marker = in.u8("AMF3 marker");
        return switch (marker) {
            case UNDEFINED -> Undefined.INSTANCE;
            case NULL -> null;
            case FALSE -> Boolean.FALSE;
            case TRUE -> Boolean.TRUE;
            case INTEGER -> (u29("integer") << 3) >> 3;
            case DOUBLE -> in.f64("double");
            case STRING -> string();
            case XML_DOCUMENT, DATE, ARRAY, OBJECT, XML, BYTE_ARRAY, VECTOR_INT, VECTOR_UINT, VECTOR_DOUBLE,
                    VECTOR_OBJECT, DICTIONARY -> objectTableValue(marker, depth);
            default -> throw new AmfException("unknown AMF3 marker 0x" + Integer.toHexString(marker));
        };
    }

    /**
     * A value of a type that takes a place in the object table. Its U29 is a reference (low bit
     * 0) or, inline, a length or count above the flag bit; objects use the other bits for traits.
     */
    private Object objectTableValue(int marker, int depth) {
        int header = u29("reference or length");
        if ((header & 1) == 0) {
            return objectReference(header >>> 1);
        }
        int length = header >>> 1;
        return switch (marker) {
            case XML_DOCUMENT -> register(new XmlDocument(in.utf8(length, "XML document")));
            case XML -> register(new Xml(in.utf8(length, "XML")));
            // The bits after the flag are unused; the time follows as a double (AMF3 specification §3.10).
            case DATE -> register(in.date("date"));
            case BYTE_ARRAY -> register(in.bytes(length, "ByteArray"));
            case ARRAY -> array(length, depth);
            case OBJECT -> object(header, depth);
            case VECTOR_OBJECT -> objectVector(length, depth);
            case DICTIONARY -> dictionary(length, depth);
            default -> numberVector(marker, length);
        };
    }

    /**
     * U29 (AMF3 specification §1.3.1): three bytes of 7 bits with a continuation bit, then at
     * most one byte of 8 bits.
     */
    private int u29(String what) {
        int v = 0;
        for (int i = 0; i < 3; i++) {
            int b = in.u8(what);
            if ((b & 0x80) == 0) {
                return v << 7 | b;
            }
            v = v << 7 | (b & 0x7f);
        }
        return v << 8 | in.u8(what);
    }

    /** UTF-8-vr: a reference to the string table or an inline string, which joins the table unless empty. */
    private String string() {
        int header = u29("string");
        if ((header & 1) == 0) {
            int index = header >>> 1;
            if (index >= strings.size()) {
                throw new AmfException("string reference " + index + " beyond the " + strings.size() + " strings read");
            }
            return strings.get(index);
        }
        int length = header >>> 1;
        if (length == 0) {
            return "";
        }
        String s = in.utf8(length, "string");
        strings.add(s);
        return s;
    }

    private Object objectReference(int index) {
        if (index >= objects.size()) {
            throw new AmfException("object reference " + index + " beyond the " + objects.size() + " objects read");
        }
        Object o = objects.get(index);
        if (o == PENDING) {
            throw new AmfException("externalizable object referred to from inside itself");
        }
        return o;
    }

    private <T> T register(T object) {
        objects.add(object);
        return object;
    }

    /**
     * Array (AMF3 specification §3.11): the dense count, the associative part as name/value pairs
     * ended by the empty string, then the dense part. The first name tells whether there is an
     * associative part, before any element could refer back to the array.
     */
    private Object array(int denseCount, int depth) {
        in.checkCount(denseCount, 1, "array");
        int inner = in.enter(depth);
        String name = string();
        List<Object> dense = new ArrayList<>(AmfInput.initialCapacity(denseCount));
        if (name.isEmpty()) {
            register(dense);
            readElements(dense, denseCount, inner);
            return dense;
        }
        MixedArray mixed = register(new MixedArray(new LinkedHashMap<>(), dense));
        for (; !name.isEmpty(); name = string()) {
            mixed.associative().put(name, value(inner));
        }
        in.checkCount(denseCount, 1, "array");
        readElements(dense, denseCount, inner);
        return mixed;
    }

    private void readElements(List<Object> into, int count, int depth) {
        for (int i = 0; i < count; i++) {
            into.add(value(depth));
        }
    }

    /**
     * Object (AMF3 specification §3.12): traits (inline or a reference), then the sealed values in
     * trait order, then, for a dynamic class, name/value pairs ended by the empty string. An empty
     * class name is an anonymous object and decodes as a {@code Map}.
     */
    private Object object(int header, int depth) {
        Traits t = traits(header);
        int inner = in.enter(depth);
        if (t.externalizable()) {
            return externalizable(t.className(), inner);
        }
        in.checkCount(t.sealed().size(), 1, "object");
        Map<String, Object> properties = new LinkedHashMap<>();
        Object object = register(t.className().isEmpty() ? properties : new TypedObject(t.className(), properties));
        for (String name : t.sealed()) {
            properties.put(name, value(inner));
        }
        if (t.dynamic()) {
            for (String name = string(); !name.isEmpty(); name = string()) {
                properties.put(name, value(inner));
            }
        }
        return object;
    }

    /** The bits after the two flags of a U29O-traits header say how the traits come. */
    private Traits traits(int header) {
        if ((header & TRAITS_INLINE) == 0) {
            int index = header >>> 2;
            if (index >= traits.size()) {
                throw new AmfException("traits reference " + index + " beyond the " + traits.size() + " traits read");
            }
            return traits.get(index);
        }
        Traits t;
        if ((header & TRAITS_EXTERNALIZABLE) != 0) {
            t = new Traits(string(), List.of(), false, true);
        } else {
            int sealedCount = header >>> 4;
            in.checkCount(sealedCount, 1, "traits");
            String className = string();
            List<String> sealed = new ArrayList<>(AmfInput.initialCapacity(sealedCount));
            for (int i = 0; i < sealedCount; i++) {
                sealed.add(string());
            }
            t = new Traits(className, sealed, (header & TRAITS_DYNAMIC) != 0, false);
        }
        traits.add(t);
        return t;
    }

    /** The wrapped value takes the wrapper's place, in the result and in the object table. */
    private Object externalizable(String className, int depth) {
        if (!WRAPPERS.contains(className)) {
            throw new AmfException("externalizable class '" + className + "' has a format only its own code knows");
        }
        int index = objects.size();
        objects.add(PENDING);
        Object wrapped = value(depth);
        objects.set(index, wrapped);
        return wrapped;
    }

    /** Vectors of int, uint and Number (AMF3 specification §3.15): fixed-size elements, big-endian. */
    private Object numberVector(int marker, int count) {
        boolean fixed = in.u8("vector") != 0;
        if (marker == VECTOR_DOUBLE) {
            in.checkCount(count, 8, "Number vector");
            double[] values = new double[count];
            for (int i = 0; i < count; i++) {
                values[i] = in.f64("Number vector");
            }
            return register(new DoubleVector(fixed, values));
        }
        in.checkCount(count, 4, "int vector");
        if (marker == VECTOR_INT) {
            int[] values = new int[count];
            for (int i = 0; i < count; i++) {
                values[i] = (int) in.u32("int vector");
            }
            return register(new IntVector(fixed, values));
        }
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = in.u32("uint vector");
        }
        return register(new UintVector(fixed, values));
    }

    private Object objectVector(int count, int depth) {
        boolean fixed = in.u8("vector") != 0;
        String typeName = string();
        in.checkCount(count, 1, "object vector");
        int inner = in.enter(depth);
        ObjectVector vector = register(new ObjectVector(fixed, typeName, new ArrayList<>(AmfInput.initialCapacity(count))));
        readElements(vector.values(), count, inner);
        return vector;
    }

    /** Dictionary (AMF3 specification §3.16): the entry count, the weak-keys flag, then key/value pairs. */
    private Object dictionary(int count, int depth) {
        boolean weakKeys = in.u8("dictionary") != 0;
        in.checkCount(count, 2, "dictionary");
        int inner = in.enter(depth);
        Dictionary dictionary = register(new Dictionary(weakKeys, new DictionaryEntries()));
        for (int i = 0; i < count; i++) {
            Object key = value(inner);
            dictionary.entries().put(key, value(inner));
        }
        return dictionary;
    }
}
