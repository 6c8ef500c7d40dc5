package io.rtmfp4j.core.wire;

/**
 * Variable Length Unsigned integers (RFC 7016 §2.1.2): big-endian groups of 7 bits, every byte
 * but the last with bit 0x80 set.
 */
public final class Vlu {
    /** 9 bytes carry 63 bits: every non-negative {@code long}. Longer encodings are malformed. */
    public static final int MAX_BYTES = 9;

    private Vlu() {
    }

    /** Encoded size of a non-negative value. */
    public static int size(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("VLU must be non-negative: " + v);
        }
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /** Encoded size of a field (RFC 7016 §2.1.2): VLU length then {@code length} bytes. */
    public static int fieldSize(int length) {
        return size(length) + length;
    }

    /** Writes {@code v} at {@code at}, which must have room for {@link #size}; returns the offset after it. */
    public static int write(byte[] dst, int at, long v) {
        int n = size(v);
        for (int i = n - 1; i >= 0; i--) {
            int group = (int) ((v >>> (7 * i)) & 0x7f);
            dst[at++] = (byte) (i == 0 ? group : group | 0x80);
        }
        return at;
    }

    public static byte[] encode(long v) {
        return new ByteWriter(MAX_BYTES).vlu(v).toByteArray();
    }
}
