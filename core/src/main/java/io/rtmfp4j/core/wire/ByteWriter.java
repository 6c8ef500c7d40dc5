package io.rtmfp4j.core.wire;

import java.util.Arrays;

/** A growable big-endian byte buffer for encoding wire structures. */
public final class ByteWriter {
    private byte[] buf;
    private int size;

    public ByteWriter() {
        this(64);
    }

    public ByteWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }

    public int size() {
        return size;
    }

    public ByteWriter u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    public ByteWriter u16(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    public ByteWriter u32(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    public ByteWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public ByteWriter bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
        return this;
    }

    public ByteWriter vlu(long v) {
        int n = Vlu.size(v);
        ensure(n);
        for (int i = n - 1; i >= 0; i--) {
            int group = (int) ((v >>> (7 * i)) & 0x7f);
            buf[size++] = (byte) (i == 0 ? group : group | 0x80);
        }
        return this;
    }

    /** A field: VLU length then the bytes. */
    public ByteWriter field(byte[] b) {
        return vlu(b.length).bytes(b);
    }

    /** Overwrites a 16-bit value at an absolute position already written. */
    public void setU16(int at, int v) {
        if (at < 0 || at + 2 > size) {
            throw new IndexOutOfBoundsException(at);
        }
        buf[at] = (byte) (v >>> 8);
        buf[at + 1] = (byte) v;
    }

    /** The backing array; valid up to {@link #size()}. */
    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    public void clear() {
        size = 0;
    }
}
