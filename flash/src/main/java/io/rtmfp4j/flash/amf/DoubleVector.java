package io.rtmfp4j.flash.amf;

import java.util.Arrays;
import java.util.Objects;

/**
 * An AMF3 {@code Vector.<Number>} (0x0f). The array belongs to the record from then on: it is not
 * copied, so treat it as read-only. Equality, hash code and {@code toString} look at its contents
 * (NaN equals NaN, as {@link Arrays#equals(double[], double[])} has it).
 *
 * @param fixed whether the vector has a fixed length
 */
public record DoubleVector(boolean fixed, double[] values) {

    public DoubleVector {
        Objects.requireNonNull(values, "values");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DoubleVector other && fixed == other.fixed && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * Boolean.hashCode(fixed) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "DoubleVector[fixed=" + fixed + ", values=" + Arrays.toString(values) + "]";
    }
}
