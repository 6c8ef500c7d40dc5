package io.rtmfp4j.flash.store;

import io.rtmfp4j.core.crypto.Sha256;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.group.GroupAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One signed entry of a {@link GroupStore} (this project's wire, provisional like spec §16):
 *
 * <pre>
 * VLU(n) &lt;n-byte UTF-8 key&gt; &lt;32-byte writer public key&gt; VLU(version) &lt;flags: 01 = removed&gt;
 *     VLU(m) &lt;m-byte value&gt; &lt;64-byte Ed25519 signature&gt;
 * </pre>
 *
 * The signature is the writer's over {@code "rtmfp4j store entry" ‖} everything before it, so no
 * member can make or alter an entry of another writer. A removal is an entry too (a signed
 * tombstone, with no value), so that it replaces the older versions wherever it goes.
 */
public record StoreEntry(String key, byte[] writer, long version, boolean removed, byte[] value, byte[] signature) {
    /** The longest key, in UTF-8 bytes. */
    public static final int MAX_KEY = 256;
    /** The largest value, in bytes: an entry travels whole in one routed message. */
    public static final int MAX_VALUE = 32 * 1024;
    private static final int REMOVED = 0x01;
    private static final byte[] DOMAIN = "rtmfp4j store entry".getBytes(StandardCharsets.US_ASCII);

    public StoreEntry {
        checkKey(key);
        if (writer.length != WriterKey.PUBLIC_LENGTH || signature.length != WriterKey.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("a writer key is 32 bytes and a signature 64");
        }
        if (version < 0 || value.length > MAX_VALUE || removed && value.length > 0) {
            throw new IllegalArgumentException("a version is not negative, a value at most " + MAX_VALUE
                    + " bytes, and a removal has none");
        }
        writer = writer.clone();
        value = value.clone();
        signature = signature.clone();
    }

    /**
     * Checks that {@code key} can be one.
     *
     * @throws IllegalArgumentException if it is empty, longer than {@link #MAX_KEY} bytes of UTF-8, or not text
     */
    public static void checkKey(String key) {
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(key)) {
            throw new IllegalArgumentException("a key is text (no lone surrogates)");
        }
        int n = key.getBytes(StandardCharsets.UTF_8).length;
        if (n == 0 || n > MAX_KEY) {
            throw new IllegalArgumentException("a key is 1 to " + MAX_KEY + " bytes of UTF-8, not " + n);
        }
    }

    /** Signs a new version of {@code key}: {@code value}, or a removal when it is null. */
    static StoreEntry sign(WriterKey by, String key, long version, byte[] value) {
        byte[] v = value == null ? new byte[0] : value;
        byte[] unsigned = new StoreEntry(key, by.publicKey(), version, value == null, v,
                new byte[WriterKey.SIGNATURE_LENGTH]).unsigned();
        return new StoreEntry(key, by.publicKey(), version, value == null, v, by.sign(signed(unsigned)));
    }

    /** Where the entry lives: SHA-256 of the key's UTF-8 bytes, a group address as peers' are. */
    public static GroupAddress address(String key) {
        return new GroupAddress(Sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    public GroupAddress address() {
        return address(key);
    }

    /** Whether the signature is the writer's over this entry. */
    public boolean verified() {
        return WriterKey.verify(writer, signed(unsigned()), signature);
    }

    /** The writer's public key in hex, as users see and pin it. */
    public String writerHex() {
        return Hex.encode(writer);
    }

    @Override
    public byte[] writer() {
        return writer.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    boolean sameWriter(StoreEntry o) {
        return Arrays.equals(writer, o.writer);
    }

    private static byte[] signed(byte[] unsigned) {
        byte[] b = Arrays.copyOf(DOMAIN, DOMAIN.length + unsigned.length);
        System.arraycopy(unsigned, 0, b, DOMAIN.length, unsigned.length);
        return b;
    }

    private byte[] unsigned() {
        return writeUnsigned(new ByteWriter(64 + value.length)).toByteArray();
    }

    private ByteWriter writeUnsigned(ByteWriter w) {
        return w.field(key.getBytes(StandardCharsets.UTF_8)).bytes(writer).vlu(version).u8(removed ? REMOVED : 0)
                .field(value);
    }

    public byte[] encode() {
        return encodeTo(new ByteWriter(128 + value.length)).toByteArray();
    }

    ByteWriter encodeTo(ByteWriter w) {
        return writeUnsigned(w).bytes(signature);
    }

    /**
     * Reads an entry (its signature is not checked: see {@link #verified()}).
     *
     * @throws WireFormatException if the bytes are not one, or more follow
     */
    public static StoreEntry decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        StoreEntry e = read(r);
        if (r.hasRemaining()) {
            throw new WireFormatException("store entry: " + r.remaining() + " bytes after it");
        }
        return e;
    }

    static StoreEntry read(ByteReader r) {
        int keyLength = r.vluInt();
        if (keyLength == 0 || keyLength > MAX_KEY) {
            throw new WireFormatException("store entry: key of " + keyLength + " bytes");
        }
        String key = utf8(r.bytes(keyLength));
        byte[] writer = r.bytes(WriterKey.PUBLIC_LENGTH);
        long version = r.vlu();
        int flags = r.u8();
        if (version < 0 || (flags & ~REMOVED) != 0) {
            throw new WireFormatException("store entry: version out of range or unknown flags");
        }
        int valueLength = r.vluInt();
        boolean removed = flags == REMOVED;
        if (valueLength > MAX_VALUE || removed && valueLength > 0) {
            throw new WireFormatException("store entry: value of " + valueLength + " bytes");
        }
        byte[] value = r.bytes(valueLength);
        return new StoreEntry(key, writer, version, removed, value, r.bytes(WriterKey.SIGNATURE_LENGTH));
    }

    static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new WireFormatException("store entry: the key is not UTF-8");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoreEntry e && key.equals(e.key) && Arrays.equals(writer, e.writer) && version == e.version
                && removed == e.removed && Arrays.equals(value, e.value) && Arrays.equals(signature, e.signature);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Long.hashCode(version);
    }

    @Override
    public String toString() {
        return "StoreEntry[" + key + " v" + version + (removed ? " removed" : ", " + value.length + " bytes") + " by "
                + writerHex().substring(0, 16) + "]";
    }
}
