package io.rtmfp4j.flash.amf;

import java.util.Map;
import java.util.Objects;

/**
 * An AMF3 {@code flash.utils.Dictionary} (0x11): a map whose keys may be any value.
 *
 * <p>A decoded dictionary compares its keys as ActionScript does ({@code ===}): null, undefined,
 * booleans, numbers, strings, dates and XML by value, every other object by identity. Besides
 * being ActionScript's meaning, this keeps the decoder from hashing a key that is a container:
 * the hash of a hostile graph (shared or cyclic references) could take exponential time or never
 * end. To encode, any {@code Map} will do.
 *
 * @param weakKeys whether the dictionary holds its keys weakly (a flag only; nothing here is weak)
 */
public record Dictionary(boolean weakKeys, Map<Object, Object> entries) {

    public Dictionary {
        Objects.requireNonNull(entries, "entries");
    }
}
