package io.rtmfp4j.flash.amf;

import java.util.List;
import java.util.Objects;

/**
 * An AMF3 {@code Vector.<T>} of objects (0x10). The list is kept, not copied, so that a graph may
 * refer back to the vector.
 *
 * @param fixed    whether the vector has a fixed length
 * @param typeName the class alias of {@code T}, {@code "*"} for an untyped vector
 */
public record ObjectVector(boolean fixed, String typeName, List<Object> values) {

    public ObjectVector {
        Objects.requireNonNull(typeName, "typeName");
        Objects.requireNonNull(values, "values");
    }
}
