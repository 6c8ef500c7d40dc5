package io.rtmfp4j.flash.files;

import java.io.Flushable;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes a file back to the disk while it is being written, on a thread of its own. A file that
 * must be on the disk before it counts as received (the receiver forces the part before the
 * check and the rename, {@code PartialFile.finish}) would otherwise wait at the end for all of it
 * to reach the disk; with this the disk works during the transfer, and the final force waits for
 * the last few megabytes only (docs/benchmarks.md, "Writing back while receiving").
 *
 * <p>The writer says how far the file goes after each write ({@link #written}). Once
 * {@code every} bytes more than the last flush was asked for are there, and no flush is running,
 * the thread flushes the target. A disk slower than the writer is thus flushed back to back:
 * flushes never queue up, and the writer waits for one only in {@link #close}.
 *
 * <p>A flush that fails is kept ({@link #failure}, {@link #close}): Linux reports a write-back
 * error once to each open file, so a later force on the same channel would not see it again. The
 * writer must fail with it.
 *
 * <p>{@link #written} is for one thread, the writer's; {@link #failure} and {@link #close} may
 * be called from any.
 */
public final class WriteBack {
    /**
     * Bytes between flushes on a receiver: by measurement, a final force of about 4 ms per file here
     * (4 MiB gave as much goodput with twice the forces; 16 MiB, a final force of up to 9 ms).
     */
    public static final long EVERY = 8 << 20;

    private final Flushable target;
    private final long every;
    /** Its thread starts with the first flush: a small file never has one. */
    private final ExecutorService thread;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile IOException failure;
    /** Where the last flush was asked for (the writer's thread only). */
    private long requestedAt;

    /**
     * @param target what to flush, such as {@code () -> channel.force(false)}
     * @param name   the file's name, for the thread's ({@code rtmfp-file-flush-NAME})
     * @param every  bytes written between flushes
     */
    public WriteBack(Flushable target, String name, long every) {
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

    /**
     * The file now holds {@code position} bytes: flushes if {@code every} more are there and none
     * runs. Ignored after {@link #close}.
     */
    public void written(long position) {
        if (position - requestedAt < every || !running.compareAndSet(false, true)) {
            return;
        }
        requestedAt = position;
        try {
            thread.execute(this::flush);
        } catch (RejectedExecutionException closed) {
            running.set(false);
        }
    }

    private void flush() {
        try {
            target.flush();
        } catch (IOException e) {
            keep(e);
        } catch (RuntimeException e) {
            keep(new IOException("writing back failed: " + e, e));
        } finally {
            running.set(false);
        }
    }

    private void keep(IOException e) {
        if (failure == null) {
            failure = e;
        }
    }

    /** The first flush that failed, or null. */
    public IOException failure() {
        return failure;
    }

    /**
     * Waits for a flush that runs (one at most) and ends the thread, so that the file may be
     * closed or forced; returns the failure, if any. No more {@link #written} after this.
     */
    public IOException close() {
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
