package io.rtmfp4j.flash.amf;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An AMF3 array (0x09) with named entries as well as indexed ones. Arrays with only indexed
 * entries decode as a plain {@code List}. The map and list are kept, not copied, so that a graph
 * may refer back to the array.
 */
public record MixedArray(Map<String, Object> associative, List<Object> dense) {

    public MixedArray {
        Objects.requireNonNull(associative, "associative");
        Objects.requireNonNull(dense, "dense");
    }
}
