package io.rtmfp4j.flash.files;

import io.rtmfp4j.core.wire.Hex;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of files and file prefixes, the digest an offer carries. */
public final class FileDigest {
    private static final int BUFFER = 1 << 20;

    private FileDigest() {
    }

    /** A fresh SHA-256; every JDK has one. */
    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The SHA-256 of the whole file, as 64 lowercase hex digits. */
    public static String sha256(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MessageDigest md = newSha256();
            update(md, ch, ch.size());
            return Hex.encode(md.digest());
        }
    }

    /** Feeds the first {@code length} bytes of {@code ch} to {@code md}. */
    static void update(MessageDigest md, FileChannel ch, long length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(1, length)));
        long position = 0;
        while (position < length) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
            int n = ch.read(buffer, position);
            if (n < 0) {
                throw new EOFException("the file is shorter than " + length + " bytes");
            }
            position += n;
            md.update(buffer.flip());
        }
    }
}
