package io.rtmfp4j.flash.amf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Value trees in a form whose {@code equals} compares everything (byte arrays by content, map
 * order included), so that a decoded value can be checked against what it must be: for a value
 * given to an encoder, {@link #amf0}/{@link #amf3} say what the decoder must give back; for a
 * decoded value, {@link #decoded} says what it is. AMF0 decodes every number as a double and XML
 * as an XML document; AMF3 keeps 29-bit integers apart from doubles and turns ECMA arrays into
 * arrays. What AMF0 embeds as AMF3 follows AMF3's rules.
 */
final class AmfCanonical {
    private enum Mode {
        AMF0, AMF3, DECODED;

        /** The rules for a value AMF0 writes as AMF3 behind 0x11. */
        Mode embedded() {
            return this == AMF0 ? AMF3 : this;
        }
    }

    private AmfCanonical() {
    }

    static Object amf0(Object v) {
        return of(v, Mode.AMF0);
    }

    static Object amf3(Object v) {
        return of(v, Mode.AMF3);
    }

    static Object decoded(Object v) {
        return of(v, Mode.DECODED);
    }

    private static List<Object> tagged(Object... parts) {
        return Arrays.asList(parts);
    }

    private static Object of(Object v, Mode mode) {
        if (v instanceof Number n) {
            return number(n, mode);
        } else if (v instanceof Xml x && mode == Mode.AMF0) {
            return new XmlDocument(x.text());
        } else if (v instanceof byte[] b) {
            return tagged("bytes", HexFormat.of().formatHex(b));
        } else if (v instanceof Map<?, ?> m) {
            return tagged("object", entries(m, mode));
        } else if (v instanceof TypedObject t) {
            return tagged("typed", t.className(), entries(t.properties(), mode));
        } else if (v instanceof EcmaArray a) {
            return mode == Mode.AMF3 ? array(a.properties(), List.of(), mode) : tagged("ecma", entries(a.properties(), mode));
        } else if (v instanceof MixedArray a) {
            return array(a.associative(), a.dense(), mode.embedded());
        } else if (v instanceof List<?> l) {
            return tagged("list", elements(l, mode));
        } else if (v instanceof ObjectVector vector) {
            return tagged("vector", vector.fixed(), vector.typeName(), elements(vector.values(), mode.embedded()));
        } else if (v instanceof Dictionary d) {
            List<Object> entries = new ArrayList<>();
            d.entries().forEach((key, value) -> entries.add(tagged(of(key, mode.embedded()), of(value, mode.embedded()))));
            return tagged("dictionary", d.weakKeys(), entries);
        }
        return v;
    }

    private static Object number(Number n, Mode mode) {
        if (mode == Mode.DECODED) {
            return n;
        }
        boolean integer = (n instanceof Integer || n instanceof Short || n instanceof Byte || n instanceof Long)
                && n.longValue() >= Amf3Marker.INTEGER_MIN && n.longValue() <= Amf3Marker.INTEGER_MAX;
        return mode == Mode.AMF3 && integer ? (Object) n.intValue() : (Object) n.doubleValue();
    }

    /** An AMF3 array: without named entries it is a plain list. */
    private static Object array(Map<?, ?> associative, List<?> dense, Mode mode) {
        return associative.isEmpty() ? tagged("list", elements(dense, mode))
                : tagged("mixed", entries(associative, mode), elements(dense, mode));
    }

    private static List<Object> entries(Map<?, ?> m, Mode mode) {
        List<Object> entries = new ArrayList<>();
        m.forEach((key, value) -> entries.add(tagged(key, of(value, mode))));
        return entries;
    }

    private static List<Object> elements(List<?> l, Mode mode) {
        List<Object> elements = new ArrayList<>();
        for (Object v : l) {
            elements.add(of(v, mode));
        }
        return elements;
    }
}
