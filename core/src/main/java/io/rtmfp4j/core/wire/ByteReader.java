package io.rtmfp4j.core.wire;

import java.util.Arrays;

/**
 * A bounds-checked cursor over a slice of a byte array.
 *
 * <p>Every read checks what remains and throws {@link WireFormatException} instead of running
 * past the slice, so no length taken from the wire can cause an out-of-range access or an
 * allocation larger than the datagram it came from.
 */
public final class ByteReader {
    private final byte[] buf;
    private int pos;
    private final int limit;

    public ByteReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public ByteReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new IndexOutOfBoundsException("slice " + offset + "+" + length + " of " + buf.length);
        }
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
    }

    public int remaining() {
        return limit - pos;
    }

    public boolean hasRemaining() {
        return pos < limit;
    }

    /** Absolute position in the backing array. */
    public int position() {
        return pos;
    }

    private void need(int n, String what) {
        if (n < 0 || n > limit - pos) {
            throw new WireFormatException(what + ": need " + n + " bytes, " + (limit - pos) + " left");
        }
    }

    public int u8() {
        need(1, "u8");
        return buf[pos++] & 0xff;
    }

    public int u16() {
        need(2, "u16");
        int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    /** A big-endian 32-bit value at an absolute position of a trusted array (not a wire read). */
    public static int u32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    public int u32() {
        need(4, "u32");
        int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16)
                | ((buf[pos + 2] & 0xff) << 8) | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    public void skip(int n) {
        need(n, "skip");
        pos += n;
    }

    public byte[] bytes(int n) {
        need(n, "bytes");
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /** All bytes up to the end of the slice. */
    public byte[] rest() {
        return bytes(remaining());
    }

    /** A reader over the next {@code n} bytes; this reader moves past them. */
    public ByteReader slice(int n) {
        need(n, "slice");
        ByteReader sub = new ByteReader(buf, pos, n);
        pos += n;
        return sub;
    }

    /** A Variable Length Unsigned integer (RFC 7016 §2.1.2). */
    public long vlu() {
        long v = 0;
        for (int i = 0; ; i++) {
            if (i == Vlu.MAX_BYTES) {
                throw new WireFormatException("VLU longer than " + Vlu.MAX_BYTES + " bytes");
            }
            need(1, "VLU");
            int b = buf[pos++] & 0xff;
            v = (v << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) {
                return v;
            }
        }
    }

    /** A VLU that must fit a non-negative {@code int}, such as a length. */
    public int vluInt() {
        long v = vlu();
        if (v > Integer.MAX_VALUE) {
            throw new WireFormatException("VLU " + v + " out of int range");
        }
        return (int) v;
    }

    /**
     * An independent reader over what remains; this reader does not move. Lets a decoder try a
     * structure and still hand the untouched bytes on when it turns out to be malformed.
     */
    public ByteReader duplicate() {
        return new ByteReader(buf, pos, limit - pos);
    }

    /** A field: VLU length followed by that many bytes (RFC 7016 §2.1.2). */
    public byte[] field() {
        return bytes(vluInt());
    }

}
