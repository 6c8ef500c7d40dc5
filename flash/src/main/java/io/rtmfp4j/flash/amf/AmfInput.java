package io.rtmfp4j.flash.amf;

import io.rtmfp4j.core.wire.ByteReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The reading side shared by the AMF0 and AMF3 decoders: a {@link ByteReader} whose every read is
 * checked here first, so that malformed input raises {@link AmfException} and nothing else, and
 * no length from the wire allocates more than the bytes that are actually there.
 */
final class AmfInput {
    /** ECMAScript time values are limited to ±10^8 days around the epoch (ECMA-262, TimeClip). */
    static final double MAX_DATE_MILLIS = 8.64e15;

    private final ByteReader in;
    private final int maxDepth;

    AmfInput(ByteReader in, int maxDepth) {
        if (maxDepth < 0) {
            throw new IllegalArgumentException("maxDepth must be non-negative: " + maxDepth);
        }
        this.in = in;
        this.maxDepth = maxDepth;
    }

    /**
     * Called as a container starts, with the number of containers around it; returns the depth of
     * its elements. The bound keeps hostile nesting from exhausting the stack.
     */
    int enter(int depth) {
        if (depth >= maxDepth) {
            throw new AmfException("values nested deeper than " + maxDepth + " containers");
        }
        return depth + 1;
    }

    boolean hasRemaining() {
        return in.hasRemaining();
    }

    private void need(long n, String what) {
        if (n > in.remaining()) {
            throw new AmfException(what + ": needs " + n + " bytes, " + in.remaining() + " left");
        }
    }

    /**
     * Rejects a count of elements that cannot all be there, before anything is allocated for
     * them: each element takes at least {@code bytesEach} bytes.
     */
    void checkCount(long count, int bytesEach, String what) {
        if (count * bytesEach > in.remaining()) {
            throw new AmfException(what + " of " + count + " elements in " + in.remaining() + " bytes");
        }
    }

    /**
     * The initial capacity of a container of {@code count} elements. Containers grow as elements
     * actually arrive: a count that passed {@link #checkCount} still could, in every one of many
     * nested containers, reserve room for all the bytes that remain.
     */
    static int initialCapacity(long count) {
        return (int) Math.min(count, 16);
    }

    int u8(String what) {
        need(1, what);
        return in.u8();
    }

    /** The next byte, without moving past it. */
    int peek(String what) {
        need(1, what);
        return in.duplicate().u8();
    }

    int u16(String what) {
        need(2, what);
        return in.u16();
    }

    long u32(String what) {
        need(4, what);
        return in.u32() & 0xffff_ffffL;
    }

    double f64(String what) {
        need(8, what);
        long hi = in.u32() & 0xffff_ffffL;
        long lo = in.u32() & 0xffff_ffffL;
        return Double.longBitsToDouble(hi << 32 | lo);
    }

    byte[] bytes(long n, String what) {
        need(n, what);
        return in.bytes((int) n);
    }

    /**
     * UTF-8 text. Malformed sequences become U+FFFD instead of failing the whole message: the
     * text is data for the application, and other implementations are just as lenient.
     */
    String utf8(long n, String what) {
        return new String(bytes(n, what), StandardCharsets.UTF_8);
    }

    /**
     * A date: milliseconds since the epoch as a double. Fractions are cut off as ECMAScript's
     * TimeClip does; NaN (an invalid {@code Date}) and values outside the ECMAScript range have
     * no {@link Instant} and are rejected.
     */
    Instant date(String what) {
        double millis = f64(what);
        if (!(Math.abs(millis) <= MAX_DATE_MILLIS)) {
            throw new AmfException(what + ": " + millis + " ms is not a valid date");
        }
        return Instant.ofEpochMilli((long) millis);
    }
}
