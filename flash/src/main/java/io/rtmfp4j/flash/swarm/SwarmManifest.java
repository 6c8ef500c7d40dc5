package io.rtmfp4j.flash.swarm;

import io.rtmfp4j.core.crypto.Sha256;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * What a swarm shares: a file's size, the size of its chunks and the SHA-256 of each chunk. It is
 * the swarm's object 0; its own SHA-256 is the swarm ID, so a member that knows the ID can check
 * the manifest, and through it every chunk, whoever sent them.
 *
 * <pre>
 * VLU(version = 1) VLU(size) VLU(chunkSize) chunkCount × &lt;32-byte SHA-256&gt;
 * chunkCount = ceil(size / chunkSize); chunkSize a power of two, 1 KiB to 16 MiB; VLUs in their shortest form
 * </pre>
 */
public record SwarmManifest(long size, int chunkSize, byte[] hashes) {
    public static final int VERSION = 1;
    public static final int HASH_LENGTH = 32;
    public static final int MIN_CHUNK = 1 << 10;
    public static final int MAX_CHUNK = 16 << 20;
    /** The chunk size a file gets unless asked otherwise: 64 KiB, the size objects should have (spec §11). */
    public static final int DEFAULT_CHUNK = 64 << 10;
    /** Chunks at most: the manifest stays within 1 MiB, an object a member fetches in a second or so. */
    public static final int MAX_CHUNKS = 32_768;

    public SwarmManifest {
        if (size < 0 || Integer.bitCount(chunkSize) != 1 || chunkSize < MIN_CHUNK || chunkSize > MAX_CHUNK) {
            throw new IllegalArgumentException("size >= 0 and a chunk size that is a power of two, 1 KiB to 16 MiB");
        }
        long count = chunkCount(size, chunkSize);
        if (count > MAX_CHUNKS || hashes.length != count * HASH_LENGTH) {
            throw new IllegalArgumentException(count + " chunks (at most " + MAX_CHUNKS + "), " + hashes.length / HASH_LENGTH
                    + " hashes");
        }
        hashes = hashes.clone();
    }

    private static long chunkCount(long size, int chunkSize) {
        return (size + chunkSize - 1) / chunkSize;
    }

    /**
     * The chunk size for a file of {@code size} bytes: {@link #DEFAULT_CHUNK}, doubled as often as
     * it takes to stay within {@link #MAX_CHUNKS} chunks.
     *
     * @throws IllegalArgumentException if the file is too large even in chunks of 16 MiB (512 GiB)
     */
    public static int chunkSizeFor(long size) {
        int chunk = DEFAULT_CHUNK;
        while (chunkCount(size, chunk) > MAX_CHUNKS) {
            if (chunk == MAX_CHUNK) {
                throw new IllegalArgumentException("a file of " + size + " bytes is too large to share");
            }
            chunk <<= 1;
        }
        return chunk;
    }

    /** The manifest of a file: reads it once, hashing each chunk. */
    public static SwarmManifest of(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            int chunk = chunkSizeFor(size);
            int count = (int) chunkCount(size, chunk);
            byte[] hashes = new byte[count * HASH_LENGTH];
            ByteBuffer buffer = ByteBuffer.allocate(chunk);
            for (int i = 0; i < count; i++) {
                buffer.clear().limit((int) Math.min(chunk, size - (long) i * chunk));
                while (buffer.hasRemaining()) {
                    if (ch.read(buffer, (long) i * chunk + buffer.position()) < 0) {
                        throw new IOException(file + " shrank while it was read");
                    }
                }
                System.arraycopy(Sha256.digest(Arrays.copyOf(buffer.array(), buffer.limit())), 0, hashes,
                        i * HASH_LENGTH, HASH_LENGTH);
            }
            return new SwarmManifest(size, chunk, hashes);
        }
    }

    /** The manifest of bytes held in memory, in chunks of {@code chunkSize}. */
    public static SwarmManifest of(byte[] content, int chunkSize) {
        int count = (int) chunkCount(content.length, chunkSize);
        byte[] hashes = new byte[count * HASH_LENGTH];
        for (int i = 0; i < count; i++) {
            int from = i * chunkSize;
            System.arraycopy(Sha256.digest(Arrays.copyOfRange(content, from, Math.min(content.length, from + chunkSize))),
                    0, hashes, i * HASH_LENGTH, HASH_LENGTH);
        }
        return new SwarmManifest(content.length, chunkSize, hashes);
    }

    public int chunkCount() {
        return hashes.length / HASH_LENGTH;
    }

    /** Bytes in chunk {@code chunk}: the chunk size, or less for the last. */
    public int chunkLength(int chunk) {
        return (int) Math.min(chunkSize, size - (long) chunk * chunkSize);
    }

    /** Where chunk {@code chunk} starts in the file. */
    public long offset(int chunk) {
        return (long) chunk * chunkSize;
    }

    /** Whether {@code bytes} are chunk {@code chunk}: its length and its SHA-256. */
    public boolean matches(int chunk, byte[] bytes) {
        return chunk >= 0 && chunk < chunkCount() && bytes.length == chunkLength(chunk)
                && Arrays.equals(Sha256.digest(bytes), 0, HASH_LENGTH, hashes, chunk * HASH_LENGTH,
                        (chunk + 1) * HASH_LENGTH);
    }

    @Override
    public byte[] hashes() {
        return hashes.clone();
    }

    public byte[] encode() {
        return new ByteWriter(24 + hashes.length).vlu(VERSION).vlu(size).vlu(chunkSize).bytes(hashes).toByteArray();
    }

    /** The swarm ID: the SHA-256 of the encoded manifest, 64 lowercase hex digits. */
    public String id() {
        return Hex.encode(Sha256.digest(encode()));
    }

    /**
     * Reads a manifest.
     *
     * @throws WireFormatException if it is not one
     */
    public static SwarmManifest decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        if (r.vlu() != VERSION) {
            throw new WireFormatException("not a version " + VERSION + " swarm manifest");
        }
        long size = r.vlu();
        long chunk = r.vlu();
        if (size < 0 || size > Long.MAX_VALUE / 2 || chunk < MIN_CHUNK || chunk > MAX_CHUNK || Long.bitCount(chunk) != 1) {
            throw new WireFormatException("swarm manifest: size " + size + ", chunk size " + chunk);
        }
        long count = chunkCount(size, (int) chunk);
        if (count > MAX_CHUNKS || count * HASH_LENGTH != r.remaining()) {
            throw new WireFormatException("swarm manifest: " + count + " chunks, " + r.remaining() + " bytes of hashes");
        }
        SwarmManifest m = new SwarmManifest(size, (int) chunk, r.rest());
        // One encoding per manifest (VLUs padded with 0x80 bytes are not): the ID names the manifest, not a spelling.
        if (!Arrays.equals(m.encode(), bytes)) {
            throw new WireFormatException("swarm manifest: not in its canonical encoding");
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SwarmManifest m && size == m.size && chunkSize == m.chunkSize && Arrays.equals(hashes, m.hashes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(size) * 31 + Arrays.hashCode(hashes);
    }

    @Override
    public String toString() {
        return "SwarmManifest[" + size + " bytes, " + chunkCount() + " chunks of " + chunkSize + "]";
    }
}
