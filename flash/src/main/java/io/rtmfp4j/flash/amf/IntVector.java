package io.rtmfp4j.flash.amf;

import java.util.Arrays;
import java.util.Objects;

/**
 * An AMF3 {@code Vector.<int>} (0x0d). The array belongs to the record from then on: it is not
 * copied, so treat it as read-only. Equality, hash code and {@code toString} look at its contents.
 *
 * @param fixed whether the vector has a fixed length
 */
public record IntVector(boolean fixed, int[] values) {

    public IntVector {
        Objects.requireNonNull(values, "values");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntVector other && fixed == other.fixed && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * Boolean.hashCode(fixed) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "IntVector[fixed=" + fixed + ", values=" + Arrays.toString(values) + "]";
    }
}
