package io.rtmfp4j.flash.files;

import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.net.PeerIds;
import io.rtmfp4j.flash.net.PeerStream;
import io.rtmfp4j.flash.tc.Status;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Sends one file to a peer that runs a {@link FileReceiver} (docs/files.md): publishes
 * {@link FileProtocol#SENDER_STREAM}, plays the receiver's {@link FileProtocol#RECEIVER_STREAM},
 * offers the file once the receiver plays back, and sends it in order from the offset the
 * receiver answers, keeping at most {@link Options#window} bytes unacknowledged. The result
 * completes when the receiver confirms the SHA-256, or fails with a {@link FileTransferException}.
 *
 * <p>One sender at a time per connection: the stream name is fixed so the receiver knows what to
 * play. Callbacks (progress) run where the connection runs its callbacks. The file is read and each
 * chunk encoded as {@link Options#reading} says: by default on a thread of the transfer's own, so
 * that the connection's loop thread only fragments, seals and sends, and reading the next chunks
 * overlaps with sending the last ones.
 */
public final class FileSender {
    /** Where the file is read and its chunks encoded. */
    public enum Reading {
        /** On a thread of the transfer's own, which waits while the window is full; the default. */
        WORKER_THREAD,
        /** Where the connection runs its callbacks: no thread of its own, so a deterministic simulation replays it. */
        CALLBACKS
    }

    /** How often the timeouts are checked. */
    private static final long WATCHDOG_MICROS = 250_000;

    /**
     * @param window        unacknowledged bytes at most: the memory a transfer holds, and what keeps
     *                      the path busy (it must exceed bandwidth × RTT to fill it)
     * @param answerTimeout how long the receiver may take to accept the offer
     * @param stallTimeout  how long a transfer may go without an acknowledgement before it is given up
     * @param progress      told after the offer is accepted and after every acknowledged chunk
     * @param reading       where the file is read and its chunks encoded
     */
    public record Options(long window, Duration answerTimeout, Duration stallTimeout,
            Consumer<TransferProgress> progress, Reading reading) {
        public Options {
            if (window < FileProtocol.CHUNK_SIZE) {
                throw new IllegalArgumentException("the window must hold at least one chunk");
            }
            Objects.requireNonNull(answerTimeout);
            Objects.requireNonNull(stallTimeout);
            Objects.requireNonNull(progress);
            Objects.requireNonNull(reading);
        }

        /** 4 MiB window, 30 s to answer, 60 s without progress, no progress reports, read on a worker thread. */
        public static Options defaults() {
            return new Options(4 << 20, Duration.ofSeconds(30), Duration.ofSeconds(60), p -> { }, Reading.WORKER_THREAD);
        }

        public Options withWindow(long bytes) {
            return new Options(bytes, answerTimeout, stallTimeout, progress, reading);
        }

        public Options withAnswerTimeout(Duration d) {
            return new Options(window, d, stallTimeout, progress, reading);
        }

        public Options withStallTimeout(Duration d) {
            return new Options(window, answerTimeout, d, progress, reading);
        }

        public Options withProgress(Consumer<TransferProgress> p) {
            return new Options(window, answerTimeout, stallTimeout, p, reading);
        }

        public Options withReading(Reading r) {
            return new Options(window, answerTimeout, stallTimeout, progress, r);
        }
    }

    /**
     * A delivered file.
     *
     * @param resumedAt     bytes the receiver already had
     * @param elapsedMicros from the receiver's acceptance to its confirmation
     */
    public record Result(String peerId, FileOffer offer, long resumedAt, long elapsedMicros) {
        /** Bytes this transfer moved per second. */
        public double bytesPerSecond() {
            return elapsedMicros <= 0 ? 0 : (offer.size() - resumedAt) * 1e6 / elapsedMicros;
        }
    }

    private enum State { OFFERING, SENDING, DONE }

    private final NetConnection nc;
    private final String peerId;
    private final FileOffer offer;
    private final Options options;
    private final FileChannel file;
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    private final NetStream out;
    private final NetStream in;
    private final long createdMicros;
    private final byte[] readBuffer = new byte[FileProtocol.CHUNK_SIZE];
    private State state = State.OFFERING;
    private PeerStream receiver;
    private long acceptedMicros;
    private long lastProgressMicros;
    private long resumedAt;
    private long next;
    private long acknowledged;
    private long inFlight;

    private FileSender(NetConnection nc, String peerId, FileOffer offer, FileChannel file, Options options) {
        this.nc = nc;
        this.peerId = peerId;
        this.offer = offer;
        this.options = options;
        this.file = file;
        this.createdMicros = nc.host().now();
        this.out = NetStream.publisher(nc);
        this.in = NetStream.player(nc, peerId);
    }

    /** The offer for a file: its name, size and SHA-256 (reads the whole file). */
    public static FileOffer offerFor(Path file) throws IOException {
        return new FileOffer(file.getFileName().toString(), Files.size(file), FileDigest.sha256(file));
    }

    /**
     * Sends {@code file}, described by {@code offer} (see {@link #offerFor}), to the peer
     * {@code receiverPeerId} over {@code nc}, which must be connected.
     *
     * @throws IOException if the file cannot be opened
     */
    public static CompletableFuture<Result> send(NetConnection nc, String receiverPeerId, Path file, FileOffer offer,
            Options options) throws IOException {
        String peer = PeerIds.normalize(receiverPeerId);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        FileSender sender = new FileSender(nc, peer, offer, ch, options);
        sender.start();
        return sender.result;
    }

    private void start() {
        out.onPeerConnect(p -> p.farId().equals(peerId));
        out.setHandler(new NetStreamHandler() {
            @Override
            public void onStatus(NetStatus s) {
                publisherStatus(s);
            }
        });
        in.setHandler(new NetStreamHandler() {
            @Override
            public void onStatus(NetStatus s) {
                playerStatus(s);
            }

            @Override
            public void onData(String handler, List<Object> arguments) {
                answer(handler, arguments);
            }
        });
        // Publish first: the receiver plays our stream as soon as we play its own.
        out.publish(FileProtocol.SENDER_STREAM);
        in.play(FileProtocol.RECEIVER_STREAM);
        watchdog();
    }

    private synchronized void publisherStatus(NetStatus s) {
        if (state == State.DONE) {
            return;
        }
        boolean fromReceiver = peerId.equals(s.info().get("peerId"));
        if (Status.PUBLISH_BAD_NAME.equals(s.code())) {
            fail(FileTransferException.Reason.LOCAL_IO, "cannot publish '" + FileProtocol.SENDER_STREAM + "': "
                    + s.description());
        } else if (Status.STREAM_CONNECT_SUCCESS.equals(s.code()) && fromReceiver && receiver == null) {
            receiver = out.peerStreams().stream().filter(p -> p.farId().equals(peerId)).findFirst().orElse(null);
            if (receiver != null) {
                receiver.send(FileProtocol.OFFER, offer.toAmf());
            }
        } else if (Status.STREAM_CONNECT_CLOSED.equals(s.code()) && fromReceiver) {
            peerLeft("the receiver stopped playing our stream");
        }
    }

    private synchronized void playerStatus(NetStatus s) {
        if (state == State.DONE) {
            return;
        }
        switch (s.code()) {
            case Status.STREAM_CONNECT_FAILED -> fail(FileTransferException.Reason.UNREACHABLE,
                    "cannot reach peer " + peerId + ": " + s.description());
            case Status.STREAM_CONNECT_REJECTED -> fail(FileTransferException.Reason.REFUSED,
                    "peer " + peerId + " refused the connection");
            case Status.PLAY_STREAM_NOT_FOUND -> fail(FileTransferException.Reason.UNREACHABLE,
                    "peer " + peerId + " is not receiving files");
            case Status.STREAM_CONNECT_CLOSED -> peerLeft(s.description());
            default -> {
                // Play.Start and the like: the offer goes once the receiver plays back.
            }
        }
    }

    private synchronized void answer(String handler, List<Object> args) {
        if (state == State.DONE) {
            return;
        }
        Object first = args.isEmpty() ? null : args.get(0);
        switch (handler) {
            case FileProtocol.ACCEPT -> accepted(first);
            case FileProtocol.REFUSE -> fail(FileTransferException.Reason.REFUSED, "the receiver refused "
                    + offer.name() + ": " + first);
            case FileProtocol.FAILED -> fail(FileTransferException.Reason.FAILED, "the receiver stopped the transfer of "
                    + offer.name() + ": " + first);
            case FileProtocol.DONE -> confirmed(first);
            default -> {
                // Unknown messages are for later versions of the protocol.
            }
        }
    }

    private void accepted(Object offset) {
        if (state != State.OFFERING) {
            return;
        }
        if (!(offset instanceof Number n) || !(n.doubleValue() >= 0 && n.doubleValue() <= offer.size())
                || n.doubleValue() != Math.rint(n.doubleValue())) {
            fail(FileTransferException.Reason.FAILED, "the receiver answered with a bad offset: " + offset);
            return;
        }
        state = State.SENDING;
        resumedAt = next = acknowledged = n.longValue();
        acceptedMicros = lastProgressMicros = nc.host().now();
        report();
        if (options.reading() == Reading.WORKER_THREAD) {
            Thread reader = new Thread(this::readOnWorker, "rtmfp-file-send-" + offer.name());
            reader.setDaemon(true);
            reader.start();
        } else {
            pump();
        }
    }

    private void confirmed(Object digest) {
        // The confirmation may overtake the acknowledgement of the last chunks (they travel on different flows).
        if (state != State.SENDING || next != offer.size()) {
            fail(FileTransferException.Reason.FAILED, "the receiver confirmed before the end of the file");
            return;
        }
        if (!offer.sha256().equals(digest)) {
            fail(FileTransferException.Reason.FAILED, "the receiver confirmed another digest: " + digest);
            return;
        }
        acknowledged = offer.size();
        report();
        finish();
        result.complete(new Result(peerId, offer, resumedAt, nc.host().now() - acceptedMicros));
    }

    /** {@link Reading#CALLBACKS}: sends chunks until the window is full or the file is all sent. */
    private void pump() {
        while (windowOpen()) {
            int n = claimChunk();
            if (!readAndSend(next - n, n)) {
                return;
            }
        }
    }

    /**
     * {@link Reading#WORKER_THREAD}: sends chunks in order, waiting while the window is full, until
     * the file is all sent or the transfer ends. Only the bookkeeping holds the lock: the read and
     * the encoding overlap with the loop sending earlier chunks and taking their acknowledgements.
     */
    private void readOnWorker() {
        while (true) {
            long at;
            int n;
            synchronized (this) {
                while (state == State.SENDING && next < offer.size() && !windowOpen()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!windowOpen()) {
                    return;
                }
                n = claimChunk();
                at = next - n;
            }
            if (!readAndSend(at, n)) {
                return;
            }
        }
    }

    private boolean windowOpen() {
        return state == State.SENDING && next < offer.size() && inFlight < options.window();
    }

    /** Takes the next chunk's bytes into the window; returns its length. */
    private int claimChunk() {
        int n = (int) Math.min(FileProtocol.CHUNK_SIZE, offer.size() - next);
        next += n;
        inFlight += n;
        return n;
    }

    /** Reads the chunk at {@code at} and sends it; false if the file could not be read (the transfer failed). */
    private boolean readAndSend(long at, int n) {
        // send() has encoded the chunk by the time it returns, so a whole chunk reuses one buffer
        // (one thread reads: the worker, or the callbacks' thread).
        byte[] chunk = n == readBuffer.length ? readBuffer : new byte[n];
        try {
            readFully(chunk, at);
        } catch (IOException e) {
            readFailed(e);
            return false;
        }
        receiver.send(FileProtocol.CHUNK, (double) at, chunk).whenComplete((ok, error) -> delivered(n, error));
        return true;
    }

    private synchronized void readFailed(IOException e) {
        // After the end (a confirmation, a failure) the file is closed under the worker: nothing to report.
        if (state == State.SENDING) {
            fail(FileTransferException.Reason.LOCAL_IO, "cannot read " + offer.name() + ": " + e.getMessage());
        }
    }

    private void readFully(byte[] into, long position) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(into);
        while (b.hasRemaining()) {
            if (file.read(b, position + b.position()) < 0) {
                throw new EOFException("the file became shorter than offered");
            }
        }
    }

    private synchronized void delivered(int n, Throwable error) {
        if (state != State.SENDING) {
            return;
        }
        if (error != null) {
            peerLeft("a chunk was not delivered");
            return;
        }
        inFlight -= n;
        acknowledged += n;
        lastProgressMicros = nc.host().now();
        report();
        if (options.reading() == Reading.WORKER_THREAD) {
            notifyAll();
        } else {
            pump();
        }
    }

    private void report() {
        options.progress().accept(new TransferProgress(peerId, offer.name(), offer.size(), resumedAt, acknowledged,
                nc.host().now() - acceptedMicros));
    }

    private void watchdog() {
        nc.host().schedule(WATCHDOG_MICROS, e -> checkTimeouts());
    }

    private synchronized void checkTimeouts() {
        long now = nc.host().now();
        if (state == State.OFFERING && now - createdMicros > options.answerTimeout().toNanos() / 1000) {
            fail(FileTransferException.Reason.UNREACHABLE, "no answer from peer " + peerId + " within "
                    + options.answerTimeout().toSeconds() + " s (is it connected and receiving files?)");
        } else if (state == State.SENDING && now - lastProgressMicros > options.stallTimeout().toNanos() / 1000) {
            peerLeft("no progress for " + options.stallTimeout().toSeconds() + " s");
        }
        if (state != State.DONE) {
            watchdog();
        }
    }

    private void peerLeft(String why) {
        if (state == State.OFFERING) {
            fail(FileTransferException.Reason.UNREACHABLE, "peer " + peerId + " went away before accepting: " + why);
        } else {
            fail(FileTransferException.Reason.PEER_LEFT, "the receiver left after " + acknowledged + " of "
                    + offer.size() + " bytes (" + why + "); send again to resume");
        }
    }

    private void fail(FileTransferException.Reason reason, String message) {
        if (state == State.DONE) {
            return;
        }
        finish();
        result.completeExceptionally(new FileTransferException(reason, message));
    }

    private synchronized void finish() {
        state = State.DONE;
        // The worker, if it waits for the window, sees the end.
        notifyAll();
        out.close();
        in.close();
        try {
            file.close();
        } catch (IOException e) {
            // Only read from; nothing is lost.
        }
    }
}
