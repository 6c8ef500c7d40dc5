package io.rtmfp4j.flash.amf;

import java.util.Arrays;
import java.util.Objects;

/**
 * An AMF3 {@code Vector.<uint>} (0x0e); each value is an unsigned 32-bit integer held in a
 * {@code long}. The array belongs to the record from then on: it is not copied, so treat it as
 * read-only. Equality, hash code and {@code toString} look at its contents.
 *
 * @param fixed whether the vector has a fixed length
 */
public record UintVector(boolean fixed, long[] values) {

    public UintVector {
        Objects.requireNonNull(values, "values");
        for (long v : values) {
            if (v < 0 || v > 0xffff_ffffL) {
                throw new IllegalArgumentException("uint out of range: " + v);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UintVector other && fixed == other.fixed && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * Boolean.hashCode(fixed) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "UintVector[fixed=" + fixed + ", values=" + Arrays.toString(values) + "]";
    }
}
