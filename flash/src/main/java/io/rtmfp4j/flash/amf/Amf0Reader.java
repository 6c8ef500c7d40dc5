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
import static io.rtmfp4j.flash.amf.Amf0Marker.UNSUPPORTED;
import static io.rtmfp4j.flash.amf.Amf0Marker.XML_DOCUMENT;

import io.rtmfp4j.core.wire.ByteReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AMF0 values (AMF0 specification; spec §6.9) from untrusted bytes.
 *
 * <p>The object reference table lives as long as this reader, so read one message with one
 * reader. A reference (0x07) decodes to the very instance it refers to: graphs that share or
 * cycle come out shared or cyclic. An AVM+ marker (0x11) is followed by one AMF3 value, read with
 * fresh AMF3 tables and returned as if it were AMF0 (spec §6.9). Every malformed input raises
 * {@link AmfException}; containers may nest at most {@code maxDepth} deep, AMF3 ones included.
 */
public final class Amf0Reader extends AmfReader {
    private final List<Object> references = new ArrayList<>();

    public Amf0Reader(byte[] data) {
        this(new ByteReader(data));
    }

    public Amf0Reader(ByteReader in) {
        this(in, Amf.DEFAULT_MAX_DEPTH);
    }

    public Amf0Reader(ByteReader in, int maxDepth) {
        super(new AmfInput(in, maxDepth));
    }

    @Override
    Object value(int depth) {
        int marker = in.u8("AMF0 marker");
        return switch (marker) {
            case NUMBER -> in.f64("number");
            case BOOLEAN -> in.u8("boolean") != 0;
            case STRING -> in.utf8(in.u16("string"), "string");
            case OBJECT -> object(depth);
            case NULL -> null;
            // "Unsupported" stands for a value Flash could not serialize; the nearest Java has is undefined.
            case UNDEFINED, UNSUPPORTED -> Undefined.INSTANCE;
            case REFERENCE -> reference();
            case ECMA_ARRAY -> ecmaArray(depth);
            case STRICT_ARRAY -> strictArray(depth);
            case DATE -> date();
            case LONG_STRING -> in.utf8(in.u32("long string"), "long string");
            case XML_DOCUMENT -> new XmlDocument(in.utf8(in.u32("XML document"), "XML document"));
            case TYPED_OBJECT -> typedObject(depth);
            case AVM_PLUS -> new Amf3Reader(in).value(depth);
            case OBJECT_END -> throw new AmfException("object end marker outside an object");
            default -> throw new AmfException("AMF0 marker 0x" + Integer.toHexString(marker) + " is reserved or unknown");
        };
    }

    /**
     * Objects, typed objects, ECMA arrays and strict arrays take the next index of the reference
     * table as they start, before their contents, so that a content may refer back to them.
     */
    private <T> T register(T container) {
        references.add(container);
        return container;
    }

    private Object reference() {
        int index = in.u16("reference");
        if (index >= references.size()) {
            throw new AmfException("reference " + index + " beyond the " + references.size() + " objects read");
        }
        return references.get(index);
    }

    /**
     * Name/value pairs up to an empty name followed by the object end marker (AMF0 specification
     * §2.5). An empty name followed by anything else is a property named "".
     */
    private void readProperties(Map<String, Object> into, int depth) {
        while (true) {
            int length = in.u16("property name");
            if (length == 0 && in.peek("object end") == OBJECT_END) {
                in.u8("object end");
                return;
            }
            String name = in.utf8(length, "property name");
            into.put(name, value(depth));
        }
    }

    private Object object(int depth) {
        Map<String, Object> properties = register(new LinkedHashMap<>());
        readProperties(properties, in.enter(depth));
        return properties;
    }

    /** The count is only a hint (encoders write 0 as well) and the pairs end like an object's. */
    private Object ecmaArray(int depth) {
        in.u32("ECMA array count");
        EcmaArray array = register(new EcmaArray(new LinkedHashMap<>()));
        readProperties(array.properties(), in.enter(depth));
        return array;
    }

    private Object strictArray(int depth) {
        long count = in.u32("strict array count");
        in.checkCount(count, 1, "strict array");
        int inner = in.enter(depth);
        List<Object> list = register(new ArrayList<>(AmfInput.initialCapacity(count)));
        for (long i = 0; i < count; i++) {
            list.add(value(inner));
        }
        return list;
    }

    /** The time zone that follows the time is not used by Flash and is ignored (AMF0 specification §2.13). */
    private Object date() {
        Instant t = in.date("date");
        in.u16("date time zone");
        return t;
    }

    /** A typed object with an empty class name is an anonymous object. */
    private Object typedObject(int depth) {
        String className = in.utf8(in.u16("class name"), "class name");
        Map<String, Object> properties = new LinkedHashMap<>();
        Object object = register(className.isEmpty() ? properties : new TypedObject(className, properties));
        readProperties(properties, in.enter(depth));
        return object;
    }
}
