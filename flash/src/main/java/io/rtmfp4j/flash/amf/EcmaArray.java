package io.rtmfp4j.flash.amf;

import java.util.Map;
import java.util.Objects;

/**
 * An AMF0 ECMA array (0x08): an ActionScript {@code Array} used as an associative array, as in
 * {@code onMetaData}. The map is kept, not copied, so that a graph may refer back to the array.
 * AMF3 has no such type: there it becomes an array with only an associative part, which decodes
 * as a {@link MixedArray}.
 */
public record EcmaArray(Map<String, Object> properties) {

    public EcmaArray {
        Objects.requireNonNull(properties, "properties");
    }
}
