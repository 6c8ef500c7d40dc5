package io.rtmfp4j.core.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 16-bit packet checksum of RFC 7425 §4.5: the one's-complement Internet checksum (RFC 1071)
 * over the cleartext that follows the checksum field, padding included.
 *
 * <p>Used only in directions without HMAC; with HMAC the checksum field is absent.
 */
public final class Checksum {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Checksum() {
    }

    /**
     * Bytes are summed as big-endian 16-bit words. A trailing odd byte is added as the
     * <em>low</em>-order byte ({@code b}, not {@code b << 8}): that is what rtmfp-cpp and librtmfp
     * do, so interoperability requires it even though RFC 1071 pads on the right. Odd lengths
     * occur when a session sequence number prefix makes the checksummed part odd.
     */
    public static int compute(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off > b.length - len) {
            throw new IndexOutOfBoundsException("slice " + off + "+" + len + " of " + b.length);
        }
        int end = off + len;
        int i = off;
        // The hot path of every packet sent or received without HMAC. One's-complement addition
        // is associative (RFC 1071 §2), so 32-bit words summed into 64-bit accumulators and
        // folded at the end give the same result as 16-bit words; four independent sums keep the
        // additions from waiting on each other.
        long s0 = 0;
        long s1 = 0;
        long s2 = 0;
        long s3 = 0;
        for (; i + 15 < end; i += 16) {
            long v = (long) LONGS.get(b, i);
            long w = (long) LONGS.get(b, i + 8);
            s0 += v >>> 32;
            s1 += v & 0xffffffffL;
            s2 += w >>> 32;
            s3 += w & 0xffffffffL;
        }
        long sum = s0 + s1 + s2 + s3;
        for (; i + 7 < end; i += 8) {
            long v = (long) LONGS.get(b, i);
            sum += (v >>> 32) + (v & 0xffffffffL);
        }
        for (; i + 1 < end; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if (i < end) {
            sum += b[i] & 0xff;
        }
        // Fold the carries back in (end-around carry) until the sum fits 16 bits.
        while ((sum >>> 16) != 0) {
            sum = (sum >>> 16) + (sum & 0xffff);
        }
        return (int) (~sum & 0xffff);
    }
}
