package io.rtmfp4j.flash.swarm;

import io.rtmfp4j.flash.files.PartFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

/**
 * A swarm's file on disk. Shared, it is read as it is. Downloaded, chunks go to {@code FILE.part}
 * at their place as they come, each checked against the manifest before it is written; the part
 * becomes {@code FILE} once every chunk is there. Resuming needs no state beside the part: its
 * chunks are hashed again when it opens, and those that match the manifest are held, whatever
 * stopped the download (a chunk half written when it stopped does not match, and comes again).
 */
public final class SwarmFile implements ChunkStore {
    public static final String PART_SUFFIX = ".part";

    private final SwarmManifest manifest;
    private final Path target;
    private final Path part;
    private FileChannel channel;
    /** Whether the bytes are the whole file, at {@link #target}: shared, or downloaded and complete. */
    private boolean whole;

    private SwarmFile(SwarmManifest manifest, Path target, Path part, FileChannel channel, boolean whole) {
        this.manifest = manifest;
        this.target = target;
        this.part = part;
        this.channel = channel;
        this.whole = whole;
    }

    /**
     * A complete file to share, described by {@code manifest} (from {@link SwarmManifest#of(Path)}):
     * every chunk counts as held; a file changed since the manifest was made sends chunks that
     * their receivers refuse.
     */
    public static SwarmFile shared(Path file, SwarmManifest manifest) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        if (ch.size() != manifest.size()) {
            ch.close();
            throw new IOException(file + " is " + ch.size() + " bytes, not the manifest's " + manifest.size());
        }
        return new SwarmFile(manifest, file, file, ch, true);
    }

    /**
     * The download of {@code manifest}'s file into {@code target}, resuming from
     * {@code target.part} if an earlier download left one.
     *
     * @throws FileAlreadyExistsException if {@code target} exists and is not this very file
     */
    public static SwarmFile download(Path target, SwarmManifest manifest) throws IOException {
        if (Files.exists(target)) {
            SwarmFile existing = shared(target, manifest);
            if (existing.verified().cardinality() == manifest.chunkCount()) {
                return existing;
            }
            existing.close();
            throw new FileAlreadyExistsException(target.toString(), null, "a different file of that name exists");
        }
        Path part = target.resolveSibling(target.getFileName() + PART_SUFFIX);
        FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (ch.size() > manifest.size()) {
            ch.truncate(manifest.size());
        }
        return new SwarmFile(manifest, target, part, ch, false);
    }

    /** Where the bytes are: the file itself once whole, else its part. */
    public Path path() {
        return whole ? target : part;
    }

    @Override
    public BitSet held() throws IOException {
        if (whole) {
            BitSet all = new BitSet(manifest.chunkCount());
            all.set(0, manifest.chunkCount());
            return all;
        }
        return verified();
    }

    /** The chunks whose bytes match the manifest. */
    private BitSet verified() throws IOException {
        BitSet held = new BitSet(manifest.chunkCount());
        long length = channel.size();
        for (int i = 0; i < manifest.chunkCount(); i++) {
            if (manifest.offset(i) + manifest.chunkLength(i) <= length && manifest.matches(i, read(i))) {
                held.set(i);
            }
        }
        return held;
    }

    @Override
    public byte[] read(int chunk) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(manifest.chunkLength(chunk));
        long at = manifest.offset(chunk);
        while (b.hasRemaining()) {
            if (channel.read(b, at + b.position()) < 0) {
                throw new IOException(path() + " ends before chunk " + chunk);
            }
        }
        return b.array();
    }

    @Override
    public void write(int chunk, byte[] bytes) throws IOException {
        if (whole) {
            throw new IllegalStateException("a whole file is not written");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long at = manifest.offset(chunk);
        while (b.hasRemaining()) {
            channel.write(b, at + b.position());
        }
    }

    @Override
    public void complete() throws IOException {
        if (whole) {
            return;
        }
        channel.force(false);
        channel.close();
        PartFiles.moveIntoPlace(part, target);
        // Still there to be read: the member may go on serving the file.
        channel = FileChannel.open(target, StandardOpenOption.READ);
        whole = true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
