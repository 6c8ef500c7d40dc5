package io.rtmfp4j.flash.files;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes and hashes one {@link PartialFile} on a thread of its own, so that the loop thread that
 * receives the chunks only hands them over: the digest and the disk would otherwise take as much
 * of the loop as the protocol does (docs/benchmarks.md, "P2P file transfer").
 *
 * <p>The queue is bounded by bytes, not by a blocking put (the loop must never wait): {@link #add}
 * says when the queue reached {@code limit}, the caller then holds the stream's messages
 * ({@code NetStream.holdMessages}), and {@link Events#drained} says when the worker has brought it
 * down to half. A disk slower than the network thus closes the flow's receive window and slows the
 * sender, and the memory a transfer holds stays at {@code limit} plus the receive window.
 *
 * <p>The worker is woken in batches, not per chunk: once it has written all it was given it
 * sleeps until a quarter of {@code limit} waits, or the file's last chunk, or {@link #stop}; then
 * it writes all that waits. A wake-up per 32 KiB chunk would
 * preempt the loop threads as often (docs/benchmarks.md, "Fewer wake-ups per megabyte"); a
 * quarter of the limit wakes it well before {@link #add} says the queue is full.
 *
 * <p>The worker has the part written back to the disk as it goes ({@link WriteBack}), so that
 * the force before the rename waits for the last megabytes only. Once the part holds the whole
 * file the worker checks it ({@link PartialFile#finish}) and reports the result. The part belongs
 * to the worker from {@link #start} on.
 *
 * <p>{@link #inline} does the same work on the caller's thread, inside {@link #add}, with the same
 * reports: no thread of its own, so a deterministic simulation replays it, and no write-back
 * before the end.
 */
final class PartWriter {
    /** What the worker reports, on its own thread. */
    interface Events {
        /**
         * The part now holds {@code position} bytes: after each chunk written, so it must be cheap
         * (it must not wake another thread, or the batches would be undone).
         */
        void written(long position);

        /**
         * The queue that {@link #add} found full is down to half: deliver chunks again. It may
         * come before the caller of that {@code add} has acted on its false, so the caller releases
         * on its own thread, after its hold.
         */
        void drained();

        /** The whole file is there, its digest matched, and it is now {@code file}. */
        void finished(Path file);

        /** Writing or the final check failed at {@code position} bytes; the worker has stopped. */
        void failed(IOException error, long position);
    }

    private final PartialFile part;
    private final long limit;
    /** Bytes queued at which a sleeping worker is woken. */
    private final long wakeAt;
    private final Events events;
    private final ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean full = new AtomicBoolean();
    /** The worker; null inline. */
    private final Thread thread;
    /** Writes the part back as the worker goes; null inline. */
    private final WriteBack writeBack;
    /** The worker sleeps, or is about to: {@link #add} wakes it when there is a batch. */
    private volatile boolean sleeping;
    /** The file's last chunk is queued, or {@link #stop} was called: the worker is woken whatever waits. */
    private volatile boolean lastQueued;
    /** {@link #stop} was called: the worker writes nothing more, closes the part and ends. */
    private volatile boolean stopping;
    /** Bytes handed to {@link #add}, counting those already in the part (the caller's thread only). */
    private long handed;
    /** Inline: the part was finished, failed or stopped. */
    private boolean done;

    private PartWriter(PartialFile part, long limit, Events events, WriteBack writeBack) {
        if (limit < 1) {
            throw new IllegalArgumentException("the queue limit must be positive");
        }
        this.part = part;
        this.limit = limit;
        this.wakeAt = Math.max(1, limit / 4);
        this.events = Objects.requireNonNull(events);
        this.handed = part.position();
        this.writeBack = writeBack;
        this.thread = writeBack != null ? new Thread(this::run, "rtmfp-file-" + part.offer().name()) : null;
    }

    /**
     * Starts the worker of {@code part}, which queues at most about {@code limit} bytes. A part
     * already complete (a resume that found every byte) is checked at once.
     */
    static PartWriter start(PartialFile part, long limit, Events events) {
        return start(part, limit, new WriteBack(part, part.offer().name(), WriteBack.EVERY), events);
    }

    /** {@link #start(PartialFile, long, Events)} with the given write-back. */
    static PartWriter start(PartialFile part, long limit, WriteBack writeBack, Events events) {
        PartWriter w = new PartWriter(part, limit, events, Objects.requireNonNull(writeBack));
        w.thread.setDaemon(true);
        w.thread.start();
        return w;
    }

    /** Writes {@code part} on the caller's thread, within {@link #add}; a complete part is checked at once. */
    static PartWriter inline(PartialFile part, Events events) {
        PartWriter w = new PartWriter(part, Long.MAX_VALUE, events, null);
        w.finishIfComplete();
        return w;
    }

    /** Bytes handed over and not yet written. */
    long queuedBytes() {
        return queued.get();
    }

    /**
     * Hands the file's bytes at {@code offset} to the worker, which now owns them. Returns false
     * when the queue has reached its limit: deliver no more until {@link Events#drained}. The
     * worker writes them at {@code offset} only if the part ends there; otherwise the transfer
     * fails ({@link Events#failed}), and the part keeps what came before.
     */
    boolean add(long offset, byte[] bytes) {
        if (thread == null) {
            if (!done && write(offset, bytes)) {
                finishIfComplete();
            }
            return true;
        }
        queue.add(new Chunk(offset, bytes));
        handed += bytes.length;
        if (handed == part.offer().size()) {
            lastQueued = true;
        }
        long q = queued.addAndGet(bytes.length);
        // After the count: a worker that went to sleep before it sees the new count (Dekker, both volatile).
        if (sleeping && (q >= wakeAt || lastQueued)) {
            LockSupport.unpark(thread);
        }
        if (q < limit) {
            return true;
        }
        full.set(true);
        // The worker may have drained the queue between the two lines above, and seen no flag to clear.
        return queued.get() <= limit / 2 && full.compareAndSet(true, false);
    }

    /**
     * Stops the worker, dropping what it has not written, and waits for it to close the part, so
     * that the part may be opened again at once. The wait is one write and one write-back at most
     * (or the final check, if the file was complete).
     */
    void stop() {
        if (thread == null) {
            if (!done) {
                done = true;
                closeQuietly();
            }
            return;
        }
        // Only the worker takes from the queue, so it writes the chunks in the order they came; what
        // it leaves is dropped with this writer. Emptying the queue from here would race with its polls:
        // ConcurrentLinkedQueue.clear() empties the nodes one by one, and a poll meanwhile may return a
        // chunk whose predecessor was just cleared, to be written in that predecessor's place.
        stopping = true;
        lastQueued = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (!part.isComplete()) {
            Chunk chunk = queue.poll();
            if (stopping) {
                closeQuietly();
                return;
            }
            if (chunk == null) {
                // The batch is written: sleep until the next.
                if (!awaitBatch()) {
                    closeQuietly();
                    return;
                }
                continue;
            }
            if (!write(chunk.offset(), chunk.bytes())) {
                return;
            }
            IOException flushFailed = writeBack.failure();
            if (flushFailed != null) {
                fail(flushFailed);
                return;
            }
            writeBack.written(part.position());
            long left = queued.addAndGet(-chunk.bytes().length);
            if (left <= limit / 2 && full.compareAndSet(true, false)) {
                events.drained();
            }
        }
        finishIfComplete();
    }

    /**
     * Sleeps until {@link #wakeAt} bytes wait, or the last chunk or a stop; false if interrupted
     * (nothing interrupts this thread but the JVM going down: the part stays for a resume).
     */
    private boolean awaitBatch() {
        sleeping = true;
        try {
            // Checked after the flag is up: an add that missed the flag is seen here.
            while (queued.get() < wakeAt && !lastQueued) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    return false;
                }
            }
            return true;
        } finally {
            sleeping = false;
        }
    }

    /** Appends {@code bytes} at {@code offset} and reports it; false if that failed (reported, and the part closed). */
    private boolean write(long offset, byte[] bytes) {
        try {
            part.write(offset, bytes);
        } catch (IOException e) {
            fail(e);
            return false;
        } catch (IllegalArgumentException notNext) {
            // Not where the part ends: written anyway it would corrupt the part, and a resume after it.
            fail(new IOException(notNext.getMessage(), notNext));
            return false;
        }
        events.written(part.position());
        return true;
    }

    private void finishIfComplete() {
        if (!part.isComplete()) {
            return;
        }
        done = true;
        Path file;
        try {
            // The write-back's error, if any, would not be seen again by the final force.
            IOException flushFailed = writeBack == null ? null : writeBack.close();
            if (flushFailed != null) {
                throw flushFailed;
            }
            file = part.finish();
        } catch (IOException e) {
            fail(e);
            return;
        }
        events.finished(file);
    }

    private void fail(IOException e) {
        done = true;
        closeQuietly();
        events.failed(e, part.position());
    }

    private void closeQuietly() {
        if (writeBack != null) {
            // Not under a running flush: it would fail on the closed channel.
            writeBack.close();
        }
        try {
            part.close();
        } catch (IOException e) {
            // The bytes written are in the file already; closing only releases the handle.
        }
    }

    /** The file's bytes at {@code offset}, as handed over. */
    private record Chunk(long offset, byte[] bytes) {
    }
}
