package io.rtmfp4j.flash.files;

import io.rtmfp4j.core.wire.Hex;
import java.io.Flushable;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Properties;

/**
 * A file being received: its bytes so far in {@code NAME.part}, and beside it
 * {@code NAME.part.state} naming the SHA-256 and size of the file they belong to. A later offer of
 * the same digest resumes after the bytes already there; any other offer of that name starts
 * over. The digest is computed as the bytes are written (and over the kept prefix on resume), and
 * checked before the part becomes {@code NAME}.
 */
final class PartialFile implements AutoCloseable, Flushable {
    static final String PART_SUFFIX = ".part";
    static final String STATE_SUFFIX = ".part.state";

    private final FileOffer offer;
    private final Path target;
    private final Path part;
    private final Path state;
    private final FileChannel channel;
    private final MessageDigest digest;
    private final long resumedAt;
    private long position;

    private PartialFile(FileOffer offer, Path target, Path part, Path state, FileChannel channel, MessageDigest digest,
            long position) {
        this.offer = offer;
        this.target = target;
        this.part = part;
        this.state = state;
        this.channel = channel;
        this.digest = digest;
        this.resumedAt = position;
        this.position = position;
    }

    /** The digest does not match the offer's: the part was deleted. */
    static final class DigestMismatchException extends IOException {
        DigestMismatchException(String message) {
            super(message);
        }
    }

    /**
     * Whether {@code dir} already holds this very file (a sender that did not hear our
     * {@code done} runs again).
     *
     * @throws FileAlreadyExistsException if a different file of that name is there
     */
    static boolean alreadyReceived(Path dir, FileOffer offer) throws IOException {
        Path target = dir.resolve(offer.name());
        if (!Files.exists(target)) {
            return false;
        }
        if (Files.isRegularFile(target) && Files.size(target) == offer.size()
                && FileDigest.sha256(target).equals(offer.sha256())) {
            return true;
        }
        throw new FileAlreadyExistsException(target.toString(), null, "a different file of that name exists");
    }

    /** Opens the part for {@code offer}, keeping the bytes an earlier transfer of the same file left. */
    static PartialFile open(Path dir, FileOffer offer) throws IOException {
        Path target = dir.resolve(offer.name());
        Path part = dir.resolve(offer.name() + PART_SUFFIX);
        Path state = dir.resolve(offer.name() + STATE_SUFFIX);
        long kept = resumable(part, state, offer);
        if (kept == 0) {
            Files.writeString(state, "sha256=" + offer.sha256() + "\nsize=" + offer.size() + "\n", StandardCharsets.UTF_8);
        }
        FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            ch.truncate(kept);
            MessageDigest md = FileDigest.newSha256();
            FileDigest.update(md, ch, kept);
            return new PartialFile(offer, target, part, state, ch, md, kept);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Bytes of {@code part} that belong to {@code offer}'s file: all of them if the state names it, else none. */
    private static long resumable(Path part, Path state, FileOffer offer) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(state, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException none) {
            return 0;
        } catch (IllegalArgumentException malformed) {
            return 0;
        }
        if (!offer.sha256().equals(p.getProperty("sha256")) || !String.valueOf(offer.size()).equals(p.getProperty("size"))
                || !Files.isRegularFile(part)) {
            return 0;
        }
        long size = Files.size(part);
        return size <= offer.size() ? size : 0;
    }

    FileOffer offer() {
        return offer;
    }

    /** Where this transfer started: the bytes kept from an earlier one. */
    long resumedAt() {
        return resumedAt;
    }

    /** Bytes held so far. */
    long position() {
        return position;
    }

    boolean isComplete() {
        return position == offer.size();
    }

    /**
     * Checks that a chunk of {@code length} bytes at {@code offset} is the next one of
     * {@code offer}'s file when {@code expected} bytes are held.
     *
     * @throws IllegalArgumentException if the chunk is not the next one or goes past the offered size
     */
    static void checkNext(FileOffer offer, long expected, long offset, int length) {
        if (offset != expected) {
            throw new IllegalArgumentException("a chunk at " + offset + " where " + expected + " was expected");
        }
        if (length > offer.size() - expected) {
            throw new IllegalArgumentException("a chunk past the offered size " + offer.size());
        }
    }

    /**
     * Appends the bytes of {@code offset}, which must be where the part ends.
     *
     * @throws IllegalArgumentException if the chunk is not the next one or goes past the offered size
     */
    void write(long offset, byte[] bytes) throws IOException {
        checkNext(offer, position, offset, bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b, position + b.position());
        }
        digest.update(bytes);
        position += bytes.length;
    }

    /**
     * Writes the bytes written so far through to the disk ({@code fdatasync}). Another thread may
     * call it while the owner writes: a {@link FileChannel} is safe for that.
     */
    @Override
    public void flush() throws IOException {
        channel.force(false);
    }

    /**
     * Checks the digest of the complete part and renames it to the file's name.
     *
     * @return the received file
     * @throws DigestMismatchException if the digest differs; the part and its state are deleted
     */
    Path finish() throws IOException {
        channel.force(false);
        channel.close();
        String got = Hex.encode(digest.digest());
        if (!got.equals(offer.sha256())) {
            discard();
            // A resumed part is only as good as the bytes it kept, which nothing checked on the way in: say so,
            // so that they are suspected first.
            String kept = resumedAt == 0 ? "" : " (the first " + resumedAt + " bytes were kept from an earlier transfer)";
            throw new DigestMismatchException("SHA-256 mismatch: received " + got + ", offered " + offer.sha256() + kept
                    + "; the part is deleted, so sending again starts over");
        }
        PartFiles.moveIntoPlace(part, target);
        Files.deleteIfExists(state);
        return target;
    }

    /** Deletes the part and its state. */
    void discard() throws IOException {
        channel.close();
        Files.deleteIfExists(part);
        Files.deleteIfExists(state);
    }

    /** Stops writing; the part and its state stay for a later resume. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
