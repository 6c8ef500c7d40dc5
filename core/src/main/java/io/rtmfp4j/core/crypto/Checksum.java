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
        long sum = 0;
        int end = off + len;
        int i = off;
        // Four 16-bit words per read: the hot path of every packet sent or received without HMAC.
        for (; i + 7 < end; i += 8) {
            long v = (long) LONGS.get(b, i);
            sum += (v >>> 48) + ((v >>> 32) & 0xffff) + ((v >>> 16) & 0xffff) + (v & 0xffff);
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
