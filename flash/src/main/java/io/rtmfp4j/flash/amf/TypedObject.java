package io.rtmfp4j.flash.amf;

import java.util.Map;
import java.util.Objects;

/**
 * An object of a named ActionScript class (AMF0 typed object 0x10, AMF3 object with a class name
 * in its traits). The properties map is kept, not copied, so that a decoder can hand out the
 * object before filling it in and a graph may refer back to it.
 *
 * @param className the class alias; never empty, because an empty name means an anonymous
 *                  object, which is a plain {@code Map}
 */
public record TypedObject(String className, Map<String, Object> properties) {

    public TypedObject {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(properties, "properties");
        if (className.isEmpty()) {
            throw new IllegalArgumentException("an object without a class name is a plain Map");
        }
    }
}
