package io.rtmfp4j.flash.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.wire.Hex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PartWriterTest {
    /** A bound for a hung test on a loaded machine, not a timing. */
    private static final long WAIT_SECONDS = 60;
    private static final int CHUNK = 8 * 1024;
    private static final long LIMIT = 64 * 1024;

    @TempDir
    Path dir;

    private final byte[] content = new byte[1 << 20];
    private final FileOffer offer;

    PartWriterTest() {
        new Random(11).nextBytes(content);
        offer = new FileOffer("data.bin", content.length, Hex.encode(FileDigest.newSha256().digest(content)));
    }

    /**
     * The worker's reports. Each {@code written} takes a permit first, so a test decides how fast
     * the "disk" goes: without permits the worker is stuck behind its first chunk.
     */
    static final class Recorder implements PartWriter.Events {
        final Semaphore writes = new Semaphore(0);
        volatile CountDownLatch drained = new CountDownLatch(1);
        final CompletableFuture<Path> result = new CompletableFuture<>();
        volatile long position;
        /** The thread that reports writes: the worker. */
        volatile Thread writer;

        @Override
        public void written(long position) {
            writes.acquireUninterruptibly();
            writer = Thread.currentThread();
            this.position = position;
        }

        @Override
        public void drained() {
            drained.countDown();
        }

        @Override
        public void finished(Path file) {
            result.complete(file);
        }

        @Override
        public void failed(IOException error, long position) {
            result.completeExceptionally(error);
        }
    }

    private byte[] chunk(int index) {
        return Arrays.copyOfRange(content, index * CHUNK, (index + 1) * CHUNK);
    }

    /** Hands chunk {@code index} to {@code writer} at its place in the file. */
    private boolean add(PartWriter writer, int index) {
        return writer.add((long) index * CHUNK, chunk(index));
    }

    @Test
    void aSlowWriterBoundsTheQueueAndReportsWhenItHasRoomAgain() throws Exception {
        Recorder events = new Recorder();
        PartWriter writer = PartWriter.start(PartialFile.open(dir, offer), LIMIT, events);
        int chunks = content.length / CHUNK;
        int next = 0;
        while (add(writer, next++)) {
            assertThat(next).as("the queue never said it was full").isLessThan(chunks);
        }
        // Full at the limit, not beyond it by more than the chunk that filled it.
        assertThat(writer.queuedBytes()).isBetween(LIMIT - CHUNK, LIMIT + CHUNK);
        assertThat(events.drained.getCount()).isOne();

        events.writes.release(Integer.MAX_VALUE / 2);
        assertThat(events.drained.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.queuedBytes()).isLessThanOrEqualTo(LIMIT / 2);

        // The rest as a receiver sends it: holding whenever the writer says it is full.
        while (next < chunks) {
            events.drained = new CountDownLatch(1);
            if (!add(writer, next++)) {
                assertThat(events.drained.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            }
        }
        Path file = events.result.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(file).isEqualTo(dir.resolve("data.bin"));
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(FileDigest.sha256(file)).isEqualTo(offer.sha256());
        assertThat(events.position).isEqualTo(content.length);
        assertThat(dir.resolve("data.bin.part")).doesNotExist();
    }

    @Test
    void corruptedBytesFailTheDigestOnTheWorkerAndThePartIsDeleted() throws Exception {
        Recorder events = new Recorder();
        events.writes.release(Integer.MAX_VALUE / 2);
        PartWriter writer = PartWriter.start(PartialFile.open(dir, offer), LIMIT, events);
        for (int i = 0; i < content.length / CHUNK; i++) {
            byte[] c = chunk(i);
            if (i == 5) {
                c[100] ^= 1;
            }
            writer.add((long) i * CHUNK, c);
        }
        assertThat(events.result).failsWithin(WAIT_SECONDS, TimeUnit.SECONDS).withThrowableThat()
                .havingRootCause().isInstanceOf(PartialFile.DigestMismatchException.class);
        assertThat(dir.resolve("data.bin.part")).doesNotExist();
        assertThat(dir.resolve("data.bin")).doesNotExist();
    }

    @Test
    void stoppingClosesThePartAndLeavesItForAResume() throws Exception {
        Recorder events = new Recorder();
        PartWriter writer = PartWriter.start(PartialFile.open(dir, offer), LIMIT, events);
        for (int i = 0; i < 4; i++) {
            add(writer, i);
        }
        events.writes.release(Integer.MAX_VALUE / 2);
        writer.stop();

        assertThat(events.result).isNotDone();
        long kept = Files.size(dir.resolve("data.bin.part"));
        assertThat(kept).isLessThanOrEqualTo(4L * CHUNK).isEqualTo(events.position);
        assertThat(dir.resolve("data.bin.part.state")).exists();
        try (PartialFile again = PartialFile.open(dir, offer)) {
            assertThat(again.position()).isEqualTo(kept);
        }
    }

    /**
     * Stopping while the worker writes a long batch keeps an exact prefix of the file. A stop that
     * empties the queue while the worker polls it can hand the worker a chunk whose predecessor was
     * just cleared ({@code ConcurrentLinkedQueue.clear} empties the nodes one by one), to be
     * written in that predecessor's place; a resume would keep those bytes and end in a digest
     * mismatch. The window is short, so the test stops many times with many small chunks queued
     * (a stop that empties the queue fails it within the first few dozen rounds here). The file
     * never completes, so each round's part stays to be read.
     */
    @Test
    void stoppingWhileTheWorkerWritesKeepsAnExactPrefix() throws Exception {
        int small = 64;
        int count = content.length / small;
        PartWriter.Events unheard = new PartWriter.Events() {
            @Override
            public void written(long position) {
            }

            @Override
            public void drained() {
            }

            @Override
            public void finished(Path file) {
            }

            @Override
            public void failed(IOException error, long position) {
            }
        };
        for (int round = 0; round < 200; round++) {
            Path roundDir = Files.createDirectory(dir.resolve("round" + round));
            PartWriter writer = PartWriter.start(PartialFile.open(roundDir, offer), (long) small * 400, unheard);
            for (int i = 0; i < count - 1 && writer.queuedBytes() < (long) small * 2000; i++) {
                writer.add((long) i * small, Arrays.copyOfRange(content, i * small, (i + 1) * small));
            }
            writer.stop();

            byte[] kept = Files.readAllBytes(roundDir.resolve("data.bin.part"));
            assertThat(kept).as("round %d: %d bytes kept", round, kept.length)
                    .isEqualTo(Arrays.copyOf(content, kept.length));
        }
    }

    @Test
    void aChunkThatIsNotTheNextFailsTheWriterAndThePartKeepsWhatCameBefore() throws Exception {
        Recorder events = new Recorder();
        events.writes.release(Integer.MAX_VALUE / 2);
        PartWriter writer = PartWriter.start(PartialFile.open(dir, offer), LIMIT, events);

        add(writer, 0);
        add(writer, 2);
        add(writer, 1);

        assertThat(events.result).failsWithin(WAIT_SECONDS, TimeUnit.SECONDS).withThrowableThat()
                .havingRootCause().isInstanceOf(IllegalArgumentException.class)
                .withMessageContaining("a chunk at " + 2 * CHUNK + " where " + CHUNK + " was expected");
        writer.stop();
        assertThat(Files.readAllBytes(dir.resolve("data.bin.part"))).isEqualTo(chunk(0));
    }

    @Test
    void theLastChunkWakesTheWorkerThoughLessThanABatchWaits() throws Exception {
        // 12 KiB in two chunks: less than the quarter of the limit that wakes the worker otherwise.
        byte[] small = Arrays.copyOf(content, CHUNK + CHUNK / 2);
        FileOffer smallOffer = new FileOffer("small.bin", small.length,
                Hex.encode(FileDigest.newSha256().digest(small)));
        Recorder events = new Recorder();
        events.writes.release(Integer.MAX_VALUE / 2);
        PartWriter writer = PartWriter.start(PartialFile.open(dir, smallOffer), LIMIT, events);
        assertThat((long) small.length).isLessThan(LIMIT / 4);

        writer.add(0, Arrays.copyOfRange(small, 0, CHUNK));
        writer.add(CHUNK, Arrays.copyOfRange(small, CHUNK, small.length));

        assertThat(events.result.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(dir.resolve("small.bin"));
        assertThat(Files.readAllBytes(dir.resolve("small.bin"))).isEqualTo(small);
        assertThat(events.position).isEqualTo(small.length);
    }

    @Test
    @Timeout(value = WAIT_SECONDS, unit = TimeUnit.SECONDS)
    void stoppingWakesAWorkerWaitingForABatch() throws Exception {
        Recorder events = new Recorder();
        events.writes.release(Integer.MAX_VALUE / 2);
        PartWriter writer = PartWriter.start(PartialFile.open(dir, offer), LIMIT, events);
        add(writer, 0);

        // Returns only once the worker closed the part: a worker asleep until a batch would hang it.
        writer.stop();

        long kept = Files.size(dir.resolve("data.bin.part"));
        assertThat(kept).isLessThanOrEqualTo(CHUNK).isEqualTo(events.position);
        try (PartialFile again = PartialFile.open(dir, offer)) {
            assertThat(again.position()).isEqualTo(kept);
        }
    }

    @Test
    void thePartIsWrittenBackWhileItIsWrittenOneFlushAtATimeAndTheCheckWaitsForIt() throws Exception {
        Recorder events = new Recorder();
        events.writes.release(Integer.MAX_VALUE / 2);
        PartialFile part = PartialFile.open(dir, offer);
        CountDownLatch flushing = new CountDownLatch(1);
        CountDownLatch disk = new CountDownLatch(1);
        AtomicInteger flushes = new AtomicInteger();
        WriteBack writeBack = new WriteBack(() -> {
            flushes.incrementAndGet();
            flushing.countDown();
            try {
                disk.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            part.flush();
        }, offer.name(), 4 * CHUNK);
        PartWriter writer = PartWriter.start(part, Long.MAX_VALUE, writeBack, events);
        for (int i = 0; i < content.length / CHUNK; i++) {
            add(writer, i);
        }
        assertThat(flushing.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        // The writer goes on past a slow disk, without queueing a flush per 4 chunks behind it...
        Awaitility.await().atMost(WAIT_SECONDS, TimeUnit.SECONDS).until(() -> events.position == content.length);
        assertThat(flushes).hasValue(1);
        // ...and, with the whole part written, waits for the write-back it started (the only timed
        // wait left to the worker) before it checks the file.
        Awaitility.await().atMost(WAIT_SECONDS, TimeUnit.SECONDS)
                .until(() -> events.writer.getState() == Thread.State.TIMED_WAITING);
        assertThat(events.result).isNotDone();

        disk.countDown();
        assertThat(events.result.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(dir.resolve("data.bin"));
        assertThat(Files.readAllBytes(dir.resolve("data.bin"))).isEqualTo(content);
        assertThat(flushes).hasValue(1);
    }

    @Test
    void aFailedWriteBackFailsTheTransferAndKeepsThePart() throws Exception {
        Recorder events = new Recorder();
        events.writes.release(Integer.MAX_VALUE / 2);
        IOException eio = new IOException("Input/output error");
        PartWriter writer = PartWriter.start(PartialFile.open(dir, offer), LIMIT, new WriteBack(() -> {
            throw eio;
        }, offer.name(), 4 * CHUNK), events);
        for (int i = 0; i < content.length / CHUNK; i++) {
            add(writer, i);
        }
        assertThat(events.result).failsWithin(WAIT_SECONDS, TimeUnit.SECONDS).withThrowableThat()
                .havingRootCause().isSameAs(eio);
        assertThat(dir.resolve("data.bin")).doesNotExist();
        assertThat(dir.resolve("data.bin.part.state")).exists();
    }

    @Test
    void inlineWritesWithinAddAndNeverHolds() throws Exception {
        Recorder events = new Recorder();
        events.writes.release(Integer.MAX_VALUE / 2);
        PartWriter writer = PartWriter.inline(PartialFile.open(dir, offer), events);
        for (int i = 0; i < content.length / CHUNK; i++) {
            assertThat(add(writer, i)).isTrue();
            assertThat(events.position).isEqualTo((long) (i + 1) * CHUNK);
        }
        assertThat(events.result).isCompletedWithValue(dir.resolve("data.bin"));
        assertThat(Files.readAllBytes(dir.resolve("data.bin"))).isEqualTo(content);
    }
}
