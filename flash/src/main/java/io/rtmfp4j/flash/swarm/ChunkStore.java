package io.rtmfp4j.flash.swarm;

import java.io.IOException;
import java.util.BitSet;

/**
 * Where a swarm member keeps the chunks of one file: {@link SwarmFile} on disk; a simulation may
 * keep them elsewhere. A {@link Swarm} writes a chunk only after checking it against the manifest,
 * and reads only chunks it holds. Called from one thread at a time.
 */
public interface ChunkStore extends AutoCloseable {
    /** The chunks already held when the swarm starts: a resumed download's, or all of a shared file's. */
    BitSet held() throws IOException;

    /** The bytes of a held chunk. */
    byte[] read(int chunk) throws IOException;

    /** Keeps a chunk whose hash was checked. */
    void write(int chunk, byte[] bytes) throws IOException;

    /** Every chunk is held: the file is whole. */
    void complete() throws IOException;

    /** Stops; what is held stays for a later resume. */
    @Override
    void close() throws IOException;
}
