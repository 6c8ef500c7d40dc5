package io.rtmfp4j.flash.files;

import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.net.PeerStream;
import io.rtmfp4j.flash.tc.Status;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives files from {@link FileSender}s into a directory (docs/files.md): publishes
 * {@link FileProtocol#RECEIVER_STREAM}, plays back {@link FileProtocol#SENDER_STREAM} of every
 * peer that plays it, and answers each offer with the offset to resume from. Bytes go to
 * {@code NAME.part} (see {@link PartialFile}); a complete file whose SHA-256 matches is renamed
 * to {@code NAME}, one that does not match is deleted. A sender that leaves mid-transfer leaves
 * its part for the next sender of the same file.
 *
 * <p>Several senders may send at once, different files. Each transfer writes and hashes its
 * part on a thread of its own ({@link PartWriter}), holding the sender's stream back while that
 * thread has 1 MiB to write; opening a part, and the listener's calls, happen
 * where the connection runs its callbacks (its loop thread by default).
 */
public final class FileReceiver implements AutoCloseable {
    /**
     * Bytes received and not yet written that a transfer may hold beside its flow's receive
     * window; more would not go faster, since a disk that keeps up empties the queue as fast as
     * chunks come (docs/benchmarks.md, "P2P file transfer").
     */
    static final long QUEUE_LIMIT = 1 << 20;

    /** What happens to offers; every method has a default. */
    public interface Listener {
        /** An offer was accepted; {@code offset} bytes were already here. */
        default void onAccepted(String peerId, FileOffer offer, long offset) {
        }

        /** An offer was declined; nothing was written. {@code offer} is null when it was malformed. */
        default void onRefused(String peerId, FileOffer offer, String reason) {
        }

        /**
         * After chunks were written, as the next chunk arrives (the writer wakes nobody to report),
         * and with the whole file before {@link #onReceived}: one call may cover several chunks, and
         * each says more than the last.
         */
        default void onProgress(TransferProgress progress) {
        }

        /** The file is complete, its digest checked, and it is at {@code file}. */
        default void onReceived(String peerId, FileOffer offer, Path file, TransferProgress progress) {
        }

        /** The transfer stopped: the sender left (the part is kept), or writing or the digest failed. */
        default void onFailed(String peerId, FileOffer offer, FileTransferException error) {
        }
    }

    /** Where each transfer writes and hashes its part. */
    public enum Writing {
        /** On a thread of its own, so that the connection's loop thread only receives; the default. */
        WORKER_THREAD,
        /** Where the connection runs its callbacks: no thread of its own, so a deterministic simulation replays it. */
        CALLBACKS
    }

    private final NetConnection nc;
    private final Path dir;
    private final Listener listener;
    private final Writing writing;
    private final NetStream publisher;
    /** Senders by peer ID: one subscription each at a time. */
    private final Map<String, Incoming> incoming = new HashMap<>();
    private boolean closed;

    private FileReceiver(NetConnection nc, Path dir, Listener listener, Writing writing) {
        this.nc = nc;
        this.dir = dir;
        this.listener = listener;
        this.writing = writing;
        this.publisher = NetStream.publisher(nc);
    }

    /**
     * Starts receiving into {@code dir} on {@code nc}, which must be connected.
     *
     * @throws IOException if {@code dir} is not a writable directory
     */
    public static FileReceiver start(NetConnection nc, Path dir, Listener listener) throws IOException {
        return start(nc, dir, listener, Writing.WORKER_THREAD);
    }

    /**
     * Starts receiving into {@code dir} on {@code nc}, which must be connected, writing as
     * {@code writing} says.
     *
     * @throws IOException if {@code dir} is not a writable directory
     */
    public static FileReceiver start(NetConnection nc, Path dir, Listener listener, Writing writing)
            throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("not a directory: " + dir);
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("cannot write into " + dir);
        }
        FileReceiver r = new FileReceiver(nc, dir, Objects.requireNonNull(listener), Objects.requireNonNull(writing));
        r.publisher.onPeerConnect(r::subscribed);
        r.publisher.setHandler(new NetStreamHandler() {
            @Override
            public void onStatus(NetStatus s) {
                r.publisherStatus(s);
            }
        });
        r.publisher.publish(FileProtocol.RECEIVER_STREAM);
        return r;
    }

    /** Stops receiving: every sender is disconnected, and parts stay for a resume. */
    @Override
    public synchronized void close() {
        closed = true;
        for (Incoming i : List.copyOf(incoming.values())) {
            i.end(null);
        }
        publisher.close();
    }

    /** A peer plays our stream: it is a sender, so play its stream back to hear its offer. */
    private synchronized boolean subscribed(PeerStream peer) {
        if (closed) {
            return false;
        }
        Incoming previous = incoming.get(peer.farId());
        if (previous != null) {
            previous.end("the sender subscribed again");
        }
        Incoming i = new Incoming(peer);
        incoming.put(peer.farId(), i);
        i.player.play(FileProtocol.SENDER_STREAM);
        return true;
    }

    private synchronized void publisherStatus(NetStatus s) {
        if (Status.STREAM_CONNECT_CLOSED.equals(s.code()) && s.info().get("peerId") instanceof String peer) {
            Incoming i = incoming.get(peer);
            if (i != null && !i.reply.isOpen()) {
                i.end("the sender stopped playing our stream");
            }
        }
    }

    /** The transfer from one sender. */
    private final class Incoming {
        final String peerId;
        final PeerStream reply;
        final NetStream player;
        FileOffer offer;
        /** Writes the part from the accept on; null before, and once the transfer ended or failed. */
        PartWriter writer;
        long resumedAt;
        /** Bytes handed to the writer, counting those already there: where the next chunk goes. */
        long received;
        /** Bytes on disk, as last reported to the listener. */
        long written;
        /** Bytes on disk, as the writer last wrote them: read as chunks arrive. */
        final AtomicLong writtenByWorker = new AtomicLong();
        long startMicros;
        boolean ended;

        Incoming(PeerStream reply) {
            this.peerId = reply.farId();
            this.reply = reply;
            this.player = NetStream.player(nc, peerId);
            player.setHandler(new NetStreamHandler() {
                @Override
                public void onStatus(NetStatus s) {
                    playerStatus(Incoming.this, s);
                }

                @Override
                public void onData(String handler, List<Object> arguments) {
                    data(Incoming.this, handler, arguments);
                }
            });
        }

        TransferProgress progress() {
            return new TransferProgress(peerId, offer.name(), offer.size(), resumedAt, written,
                    nc.host().now() - startMicros);
        }

        /**
         * Stops this transfer; a part not yet complete is kept. {@code why} non-null reports a
         * sender that left mid-transfer.
         */
        void end(String why) {
            if (ended) {
                return;
            }
            ended = true;
            incoming.remove(peerId, this);
            player.close();
            reply.close();
            if (writer != null) {
                long held = written;
                writer.stop();
                writer = null;
                if (why != null) {
                    listener.onFailed(peerId, offer, new FileTransferException(FileTransferException.Reason.PEER_LEFT,
                            "the sender of " + offer.name() + " left after " + held + " of " + offer.size()
                                    + " bytes (" + why + "); " + offer.name() + PartialFile.PART_SUFFIX
                                    + " is kept for a resume"));
                }
            }
        }
    }

    private synchronized void playerStatus(Incoming i, NetStatus s) {
        if (i.ended) {
            return;
        }
        switch (s.code()) {
            case Status.STREAM_CONNECT_CLOSED, Status.STREAM_CONNECT_FAILED, Status.STREAM_CONNECT_REJECTED,
                    Status.PLAY_STREAM_NOT_FOUND -> i.end(s.description());
            default -> {
                // Play.Start and the like: the offer follows.
            }
        }
    }

    private synchronized void data(Incoming i, String handler, List<Object> args) {
        if (i.ended) {
            return;
        }
        Object first = args.isEmpty() ? null : args.get(0);
        if (FileProtocol.OFFER.equals(handler) && i.offer == null) {
            offered(i, first);
        } else if (FileProtocol.CHUNK.equals(handler) && i.writer != null) {
            chunk(i, first, args.size() > 1 ? args.get(1) : null);
        }
    }

    private void offered(Incoming i, Object value) {
        FileOffer offer;
        PartialFile part;
        try {
            offer = FileOffer.fromAmf(value);
        } catch (IllegalArgumentException e) {
            refuse(i, null, e.getMessage());
            return;
        }
        i.offer = offer;
        Incoming other = receiving(offer.name());
        if (other != null) {
            if (!other.offer.sha256().equals(offer.sha256())) {
                refuse(i, offer, "another peer is sending a different " + offer.name());
                return;
            }
            // The same file from a new sender: the old one is gone or about to be (a rerun resumes).
            other.end("a new sender took over");
        }
        try {
            if (PartialFile.alreadyReceived(dir, offer)) {
                listener.onAccepted(i.peerId, offer, offer.size());
                i.reply.send(FileProtocol.ACCEPT, (double) offer.size());
                i.reply.send(FileProtocol.DONE, offer.sha256());
                TransferProgress p = new TransferProgress(i.peerId, offer.name(), offer.size(), offer.size(),
                        offer.size(), 0);
                listener.onReceived(i.peerId, offer, dir.resolve(offer.name()), p);
                return;
            }
            part = PartialFile.open(dir, offer);
        } catch (FileAlreadyExistsException e) {
            refuse(i, offer, offer.name() + " already exists");
            return;
        } catch (IOException e) {
            refuse(i, offer, "cannot write " + offer.name() + PartialFile.PART_SUFFIX + ": " + e.getMessage());
            return;
        }
        long need = offer.size() - part.position();
        long free = usableSpace();
        if (need > free) {
            try {
                if (part.resumedAt() == 0) {
                    part.discard();
                } else {
                    part.close();
                }
            } catch (IOException ignored) {
                // Refused either way.
            }
            refuse(i, offer, "not enough free space: " + need + " bytes needed, " + free + " free");
            return;
        }
        i.startMicros = nc.host().now();
        i.resumedAt = part.position();
        i.received = part.position();
        i.written = part.position();
        listener.onAccepted(i.peerId, offer, part.position());
        i.reply.send(FileProtocol.ACCEPT, (double) part.position());
        // A part already complete is checked by the writer at once, and answered as any other.
        WriterEvents events = new WriterEvents(i);
        i.writer = writing == Writing.WORKER_THREAD ? PartWriter.start(part, QUEUE_LIMIT, events)
                : PartWriter.inline(part, events);
    }

    /**
     * The writer's reports: its position kept for the loop to take up with the next chunk, the
     * rest carried to the loop thread (to the connection's callbacks from there).
     */
    private final class WriterEvents implements PartWriter.Events {
        private final Incoming i;

        WriterEvents(Incoming i) {
            this.i = i;
        }

        @Override
        public void written(long position) {
            // Taken up by the loop with the next chunk: a hand-off per batch would wake it as often.
            i.writtenByWorker.set(position);
        }

        @Override
        public void drained() {
            // Where the chunks arrive, after the hold: chunk() holds the stream just after add() said
            // the queue was full, and a worker that drained it in between would otherwise release
            // first and leave the stream held for good (the sender stalls until its timeout).
            onLoop(i.player::releaseMessages);
        }

        @Override
        public void finished(Path file) {
            onLoop(() -> {
                if (i.writer == null) {
                    return;
                }
                i.writer = null;
                // The last progress, whole, unless the last chunk's own report said it (a writer inline):
                // no chunk follows the last to carry a worker's position to the loop.
                if (i.written < i.offer.size()) {
                    i.written = i.offer.size();
                    listener.onProgress(i.progress());
                }
                // The sender closes the streams once it has the confirmation; closing first could overtake it.
                i.reply.send(FileProtocol.DONE, i.offer.sha256());
                listener.onReceived(i.peerId, i.offer, file, i.progress());
            });
        }

        @Override
        public void failed(IOException error, long position) {
            onLoop(() -> {
                if (i.writer == null) {
                    return;
                }
                i.written = position;
                if (error instanceof PartialFile.DigestMismatchException) {
                    i.writer = null;
                    i.reply.send(FileProtocol.FAILED, error.getMessage());
                    listener.onFailed(i.peerId, i.offer, new FileTransferException(
                            FileTransferException.Reason.FAILED, i.offer.name() + ": " + error.getMessage(), error));
                } else {
                    stop(i, "cannot write " + i.offer.name() + PartialFile.PART_SUFFIX + ": " + error.getMessage());
                }
            });
        }

        /** Runs {@code action} where the connection runs its callbacks, after the loop thread, under this receiver's lock. */
        private void onLoop(Runnable action) {
            nc.host().execute(e -> nc.callbacks().execute(() -> {
                synchronized (FileReceiver.this) {
                    if (!i.ended) {
                        action.run();
                    }
                }
            }));
        }
    }

    private long usableSpace() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The transfer writing {@code name} now, if any. */
    private Incoming receiving(String name) {
        for (Incoming i : incoming.values()) {
            if (i.writer != null && i.offer.name().equals(name)) {
                return i;
            }
        }
        return null;
    }

    private void chunk(Incoming i, Object offset, Object bytes) {
        if (!(offset instanceof Number n) || !(bytes instanceof byte[] b)) {
            stop(i, "a malformed chunk");
            return;
        }
        long at = (long) n.doubleValue();
        try {
            PartialFile.checkNext(i.offer, i.received, at, b.length);
        } catch (IllegalArgumentException e) {
            stop(i, e.getMessage());
            return;
        }
        i.received += b.length;
        // The AMF reader made b for this message alone, so the writer may keep it.
        if (!i.writer.add(at, b)) {
            i.player.holdMessages();
        }
        long written = i.writtenByWorker.get();
        if (written > i.written) {
            i.written = written;
            listener.onProgress(i.progress());
        }
    }

    /** Stops a transfer on our side: the sender is told why, the part is kept. */
    private void stop(Incoming i, String why) {
        i.reply.send(FileProtocol.FAILED, why);
        long held = i.written;
        i.writer.stop();
        i.writer = null;
        // A stream held for a full queue would keep its chunks, and its flow could never complete;
        // what still arrives is dropped (no writer).
        i.player.releaseMessages();
        listener.onFailed(i.peerId, i.offer, new FileTransferException(FileTransferException.Reason.FAILED,
                i.offer.name() + ": " + why + " (after " + held + " of " + i.offer.size() + " bytes)"));
    }

    private void refuse(Incoming i, FileOffer offer, String reason) {
        i.reply.send(FileProtocol.REFUSE, reason);
        listener.onRefused(i.peerId, offer, reason);
    }
}
