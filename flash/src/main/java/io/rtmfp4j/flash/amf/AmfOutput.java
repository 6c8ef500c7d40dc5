package io.rtmfp4j.flash.amf;

import io.rtmfp4j.core.wire.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The writing side shared by the AMF0 and AMF3 encoders. */
final class AmfOutput {
    final ByteWriter out;
    private final int maxDepth;

    AmfOutput(ByteWriter out, int maxDepth) {
        if (maxDepth < 0) {
            throw new IllegalArgumentException("maxDepth must be non-negative: " + maxDepth);
        }
        this.out = out;
        this.maxDepth = maxDepth;
    }

    /**
     * Called as a container starts, with the number of containers around it; returns the depth of
     * its elements. Bounding it turns a too deep value into an exception instead of a
     * {@link StackOverflowError}, and keeps what we write readable by a decoder with the same limit.
     */
    int enter(int depth) {
        if (depth >= maxDepth) {
            throw new IllegalArgumentException("value nested deeper than " + maxDepth + " containers");
        }
        return depth + 1;
    }

    void f64(double v) {
        long bits = Double.doubleToRawLongBits(v);
        out.u32((int) (bits >>> 32)).u32((int) bits);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Milliseconds since the epoch, within the range an ECMAScript {@code Date} can hold. */
    static double millis(Instant t) {
        long max = (long) AmfInput.MAX_DATE_MILLIS;
        if (t.isBefore(Instant.ofEpochMilli(-max)) || t.isAfter(Instant.ofEpochMilli(max))) {
            throw new IllegalArgumentException("date outside the ECMAScript range: " + t);
        }
        return t.toEpochMilli();
    }

    /** AMF objects, ECMA arrays and associative array parts are keyed by strings only. */
    static String propertyName(Object key) {
        if (key instanceof String name) {
            return name;
        }
        throw new IllegalArgumentException("property names must be strings, not "
                + (key == null ? "null" : key.getClass().getName()));
    }

    static IllegalArgumentException unsupported(Object value) {
        return new IllegalArgumentException("no AMF encoding for " + value.getClass().getName());
    }
}
