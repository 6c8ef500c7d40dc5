package io.rtmfp4j.flash.files;

import java.io.Flushable;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes a part back to the disk while the transfer goes on, on a thread of its own. The check at
 * the end ({@link PartialFile#finish}) forces the file before it renames it; without this it
 * would wait there for the whole file to reach the disk, after the last byte came in. With it the
 * disk works during the transfer and the final force only waits for the last few megabytes
 * (docs/benchmarks.md, "Writing back while receiving").
 *
 * <p>The writer says how far the part goes after each chunk ({@link #written}). Once {@code every}
 * bytes more than the last flush was asked for are there, and no flush is running, the flusher's
 * thread flushes. A disk slower than the network is thus flushed back to back: flushes never
 * queue up, and the writer never waits for one.
 *
 * <p>A flush that fails is kept ({@link #failure}, {@link #close}) for the writer to fail the
 * transfer with: Linux reports a write-back error once to each open file, so the final force on
 * the same channel would not see it again.
 */
final class PartFlusher {
    /** Bytes between flushes: a few milliseconds of a disk's writing, chosen by measurement. */
    static final long EVERY = 8 << 20;

    private final Flushable target;
    private final long every;
    /** Started with the first flush: a small file never has the thread. */
    private final ExecutorService thread;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile IOException failure;
    /** Where the last flush was asked for (the writer's thread only). */
    private long requestedAt;

    /**
     * @param target what to flush
     * @param name   the file's name, for the thread's
     * @param every  bytes written between flushes
     */
    PartFlusher(Flushable target, String name, long every) {
        if (every < 1) {
            throw new IllegalArgumentException("bytes between flushes must be positive");
        }
        this.target = Objects.requireNonNull(target);
        this.every = every;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rtmfp-file-flush-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The part now holds {@code position} bytes: flushes if {@code every} more are there and none runs. */
    void written(long position) {
        if (position - requestedAt < every || !running.compareAndSet(false, true)) {
            return;
        }
        requestedAt = position;
        thread.execute(this::flush);
    }

    private void flush() {
        try {
            target.flush();
        } catch (IOException e) {
            failure = e;
        } finally {
            running.set(false);
        }
    }

    /** The first flush that failed, or null. */
    IOException failure() {
        return failure;
    }

    /**
     * Waits for a flush that runs (one at most) and ends the thread, so that the part may be
     * closed or forced; returns the failure, if any. No more {@link #written} after this.
     */
    IOException close() {
        thread.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (thread.awaitTermination(1, TimeUnit.DAYS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return failure;
    }
}
