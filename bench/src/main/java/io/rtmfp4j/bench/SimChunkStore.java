package io.rtmfp4j.bench;

import io.rtmfp4j.flash.swarm.ChunkStore;
import io.rtmfp4j.flash.swarm.SwarmManifest;
import java.util.Arrays;
import java.util.BitSet;

/**
 * A simulated member's copy of a swarm's file. The members of a simulation share one copy of the
 * content in memory (a hundred members of a 100 MiB file would not fit otherwise): each keeps
 * which chunks it holds, and every chunk written is compared, byte for byte, with the original,
 * independently of the swarm's own hash check, so a test sees anything corrupt that got through.
 */
final class SimChunkStore implements ChunkStore {
    private final byte[] content;
    private final SwarmManifest manifest;
    private final BitSet held;
    private final BitSet read;
    private long corruptWrites;
    private long rereadEarly;

    SimChunkStore(byte[] content, SwarmManifest manifest, boolean whole) {
        this.content = content;
        this.manifest = manifest;
        this.held = new BitSet(manifest.chunkCount());
        this.read = new BitSet(manifest.chunkCount());
        if (whole) {
            held.set(0, manifest.chunkCount());
        }
    }

    @Override
    public BitSet held() {
        return (BitSet) held.clone();
    }

    @Override
    public byte[] read(int chunk) {
        if (!held.get(chunk)) {
            throw new IllegalStateException("chunk " + chunk + " is not held");
        }
        if (read.get(chunk) && read.cardinality() < manifest.chunkCount()) {
            rereadEarly++;
        }
        read.set(chunk);
        long from = manifest.offset(chunk);
        return Arrays.copyOfRange(content, (int) from, (int) from + manifest.chunkLength(chunk));
    }

    @Override
    public void write(int chunk, byte[] bytes) {
        int from = (int) manifest.offset(chunk);
        if (!Arrays.equals(bytes, 0, bytes.length, content, from, from + manifest.chunkLength(chunk))) {
            corruptWrites++;
        }
        held.set(chunk);
    }

    @Override
    public void complete() {
    }

    @Override
    public void close() {
    }

    /** Chunks written that were not the original's bytes: 0, or the swarm let something corrupt through. */
    long corruptWrites() {
        return corruptWrites;
    }

    /** Chunks read at least once: for the seed, the chunks it has sent. */
    int readCount() {
        return read.cardinality();
    }

    /** Chunks read again while some chunk was never read: for the seed, copies sent before every chunk left it once. */
    long rereadEarly() {
        return rereadEarly;
    }

    int heldCount() {
        return held.cardinality();
    }
}
