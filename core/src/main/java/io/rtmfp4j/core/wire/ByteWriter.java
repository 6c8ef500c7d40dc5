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

    /** Moves past {@code n} bytes, left as they are: room for something written there later. */
    public ByteWriter skip(int n) {
        ensure(n);
        size += n;
        return this;
    }

    /** Makes sure {@code n} more bytes fit the backing array, for a caller that writes there itself. */
    public ByteWriter reserve(int n) {
        ensure(n);
        return this;
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
        ensure(Vlu.size(v));
        size = Vlu.write(buf, size, v);
        return this;
    }

    /** A field: VLU length then the bytes. */
    public ByteWriter field(byte[] b) {
        return vlu(b.length).bytes(b);
    }

    /** Writes a big-endian 32-bit value at an absolute position of an array. */
    public static void putU32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
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
