package io.rtmfp4j.flash.swarm;

import java.util.Set;

/**
 * How far a swarm member has come.
 *
 * @param id            the swarm ID
 * @param size          the file's size in bytes; -1 until the manifest came
 * @param bytes         bytes of the chunks held and checked
 * @param resumedAt     bytes already held when this member started (a resumed download's)
 * @param chunks        chunks held
 * @param chunkCount    chunks in the file; -1 until the manifest came
 * @param neighbors     members this one exchanges objects with
 * @param corrupt       objects dropped because their hash was wrong
 * @param avoided       peer IDs of the members that sent them, asked for nothing since
 * @param servedBytes   bytes of objects this member sent to others
 * @param elapsedMicros time since this member started
 */
public record SwarmProgress(String id, long size, long bytes, long resumedAt, int chunks, int chunkCount,
        int neighbors, long corrupt, Set<String> avoided, long servedBytes, long elapsedMicros) {

    public boolean isComplete() {
        return chunkCount >= 0 && chunks == chunkCount;
    }

    /** 0..1; 0 until the manifest came. */
    public double fraction() {
        return size < 0 ? 0 : size == 0 ? 1 : (double) bytes / size;
    }

    /** Average download rate so far, not counting what was resumed, in bytes per second. */
    public double bytesPerSecond() {
        return elapsedMicros <= 0 ? 0 : (bytes - resumedAt) * 1e6 / elapsedMicros;
    }

    /** Seconds left at the average rate so far; -1 while unknown. */
    public double etaSeconds() {
        double rate = bytesPerSecond();
        return rate <= 0 || size < 0 ? -1 : (size - bytes) / rate;
    }
}
