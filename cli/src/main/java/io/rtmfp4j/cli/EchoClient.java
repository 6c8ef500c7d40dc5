package io.rtmfp4j.cli;

import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.SendFlowListener;
import io.rtmfp4j.core.session.Session;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client half of an echo exchange ({@code rtmfp ping --echo}): writes {@code count} random
 * messages of {@code size} bytes on one flow, as fast as the send buffer allows, and checks that
 * each comes back identical and in order on the return flow the server opens in answer to ours
 * (return flow association, RFC 7016 §2.3.11.1.2). rtmfp-cpp's echoserver names its return flow
 * after ours with {@code " return"} appended; so does {@code rtmfp server --echo}.
 *
 * <p>Everything but {@link #done()}, {@link #progress()} and the result runs on the endpoint's loop.
 */
final class EchoClient implements SendFlowListener, ReceiveFlowHandler {
    /** Metadata of the flow we open; echo servers accept any. */
    static final byte[] METADATA = "rtmfp4j echo".getBytes(StandardCharsets.US_ASCII);

    /** What the exchange measured; built on the loop once every echo arrived. */
    record Result(int messages, int size, long bytes, long elapsedNanos, long minEchoNanos, long maxEchoNanos,
            long totalEchoNanos, long srttMicros, String returnMetadata) {
        double elapsedMs() {
            return elapsedNanos / 1e6;
        }

        double avgEchoMs() {
            return messages == 0 ? 0 : totalEchoNanos / 1e6 / messages;
        }

        /** Application bytes per second each way, in MB (10^6 bytes). */
        double megabytesPerSecond() {
            return elapsedNanos == 0 ? 0 : bytes / (elapsedNanos / 1e9) / 1e6;
        }
    }

    private final int count;
    private final int size;
    private final SplittableRandom random;
    private final CompletableFuture<Result> done = new CompletableFuture<>();
    private final AtomicLong progress = new AtomicLong();
    /** Messages written and not yet echoed, oldest first, with their write times. */
    private final ArrayDeque<byte[]> awaiting = new ArrayDeque<>();
    private final ArrayDeque<Long> writtenAt = new ArrayDeque<>();
    private SendFlow flow;
    private ReceiveFlow back;
    private int written;
    private int echoed;
    private long started;
    private long minEcho = Long.MAX_VALUE;
    private long maxEcho;
    private long totalEcho;

    EchoClient(int count, int size, long seed) {
        this.count = count;
        this.size = size;
        this.random = new SplittableRandom(seed);
    }

    /** Completes with the result, or exceptionally with an {@link EchoException} saying what went wrong. */
    CompletableFuture<Result> done() {
        return done;
    }

    /** Grows with every write and echo: lets the caller tell a slow exchange from a stalled one. */
    long progress() {
        return progress.get();
    }

    /** Opens the flow and starts writing. Loop thread. */
    void start(Session session) {
        started = System.nanoTime();
        flow = session.openFlow(METADATA);
        flow.setListener(this);
        if (count == 0) {
            closeWhenDone();
            finish();
            return;
        }
        pump();
    }

    /** A flow the server opened: ours to take if it answers our flow. Loop thread. */
    void offer(ReceiveFlow f) {
        if (back == null && flow != null && f.association() == flow) {
            back = f;
            f.accept(this);
            closeWhenDone();
        }
        // Anything else is left alone, which rejects it.
    }

    /** The session ended before the exchange did. Loop thread. */
    void sessionEnded(String why) {
        fail("session closed (" + why + ") after " + echoed + " of " + count + " messages were echoed");
    }

    private void pump() {
        while (written < count && flow.isWritable()) {
            byte[] m = new byte[size];
            random.nextBytes(m);
            awaiting.addLast(m);
            writtenAt.addLast(System.nanoTime());
            flow.write(m);
            written++;
            progress.incrementAndGet();
        }
        closeWhenDone();
    }

    /**
     * Once everything is queued the flow can end (the server then closes its return flow), but not
     * before the return flow arrived: a flow associated with a closed one is rejected (RFC 7016
     * §3.6.3.1; rtmfp-cpp does the same).
     */
    private void closeWhenDone() {
        if (written == count && (back != null || count == 0)) {
            flow.close();
        }
    }

    @Override
    public void onWritable(SendFlow f) {
        if (!done.isDone()) {
            pump();
        }
    }

    @Override
    public void onException(SendFlow f, long code) {
        fail("the server rejected our flow (exception code " + code + ")");
    }

    @Override
    public void onMessage(ReceiveFlow f, byte[] message) {
        if (done.isDone()) {
            return;
        }
        byte[] expected = awaiting.pollFirst();
        if (expected == null) {
            fail("message " + (echoed + 1) + " came back but only " + written + " were sent");
            return;
        }
        long echoTime = System.nanoTime() - writtenAt.pollFirst();
        if (!Arrays.equals(expected, message)) {
            fail("echo of message " + (echoed + 1) + " differs from what was sent (" + describe(expected, message) + ")");
            return;
        }
        echoed++;
        minEcho = Math.min(minEcho, echoTime);
        maxEcho = Math.max(maxEcho, echoTime);
        totalEcho += echoTime;
        progress.incrementAndGet();
        if (echoed == count) {
            finish();
        }
    }

    @Override
    public void onComplete(ReceiveFlow f) {
        if (echoed < count) {
            fail("the server closed its return flow after " + echoed + " of " + count + " messages");
        }
    }

    private void finish() {
        long elapsed = System.nanoTime() - started;
        long srtt = flow.session().rtt().srtt();
        String meta = back == null ? "" : printable(back.metadata());
        done.complete(new Result(count, size, (long) count * size, elapsed, count == 0 ? 0 : minEcho, maxEcho,
                totalEcho, srtt, meta));
    }

    private void fail(String why) {
        done.completeExceptionally(new EchoException(why));
    }

    private static String describe(byte[] expected, byte[] got) {
        if (expected.length != got.length) {
            return got.length + " bytes instead of " + expected.length;
        }
        int i = Arrays.mismatch(expected, got);
        return "first difference at byte " + i;
    }

    /** Metadata as text when it is printable ASCII, else hex. */
    static String printable(byte[] b) {
        for (byte x : b) {
            if (x < 0x20 || x > 0x7e) {
                return io.rtmfp4j.core.wire.Hex.encode(b);
            }
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** A failed exchange; the message is for the user. */
    static final class EchoException extends Exception {
        EchoException(String message) {
            super(message, null, false, false);
        }
    }
}
