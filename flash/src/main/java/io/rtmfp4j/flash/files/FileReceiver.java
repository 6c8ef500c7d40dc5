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

/**
 * Receives files from {@link FileSender}s into a directory (docs/files.md): publishes
 * {@link FileProtocol#RECEIVER_STREAM}, plays back {@link FileProtocol#SENDER_STREAM} of every
 * peer that plays it, and answers each offer with the offset to resume from. Bytes go to
 * {@code NAME.part} (see {@link PartialFile}); a complete file whose SHA-256 matches is renamed
 * to {@code NAME}, one that does not match is deleted. A sender that leaves mid-transfer leaves
 * its part for the next sender of the same file.
 *
 * <p>Several senders may send at once, different files. File I/O and hashing happen where the
 * connection runs its callbacks (its loop thread by default), as do the listener's calls.
 */
public final class FileReceiver implements AutoCloseable {
    /** What happens to offers; every method has a default. */
    public interface Listener {
        /** An offer was accepted; {@code offset} bytes were already here. */
        default void onAccepted(String peerId, FileOffer offer, long offset) {
        }

        /** An offer was declined; nothing was written. {@code offer} is null when it was malformed. */
        default void onRefused(String peerId, FileOffer offer, String reason) {
        }

        /** After every chunk written. */
        default void onProgress(TransferProgress progress) {
        }

        /** The file is complete, its digest checked, and it is at {@code file}. */
        default void onReceived(String peerId, FileOffer offer, Path file, TransferProgress progress) {
        }

        /** The transfer stopped: the sender left (the part is kept), or writing or the digest failed. */
        default void onFailed(String peerId, FileOffer offer, FileTransferException error) {
        }
    }

    private final NetConnection nc;
    private final Path dir;
    private final Listener listener;
    private final NetStream publisher;
    /** Senders by peer ID: one subscription each at a time. */
    private final Map<String, Incoming> incoming = new HashMap<>();
    private boolean closed;

    private FileReceiver(NetConnection nc, Path dir, Listener listener) {
        this.nc = nc;
        this.dir = dir;
        this.listener = listener;
        this.publisher = NetStream.publisher(nc);
    }

    /**
     * Starts receiving into {@code dir} on {@code nc}, which must be connected.
     *
     * @throws IOException if {@code dir} is not a writable directory
     */
    public static FileReceiver start(NetConnection nc, Path dir, Listener listener) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("not a directory: " + dir);
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("cannot write into " + dir);
        }
        FileReceiver r = new FileReceiver(nc, dir, Objects.requireNonNull(listener));
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
        PartialFile part;
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
            return new TransferProgress(peerId, offer.name(), offer.size(), part.resumedAt(), part.position(),
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
            if (part != null) {
                long held = part.position();
                closeQuietly(part);
                part = null;
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
        } else if (FileProtocol.CHUNK.equals(handler) && i.part != null) {
            chunk(i, first, args.size() > 1 ? args.get(1) : null);
        }
    }

    private void offered(Incoming i, Object value) {
        FileOffer offer;
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
            i.part = PartialFile.open(dir, offer);
        } catch (FileAlreadyExistsException e) {
            refuse(i, offer, offer.name() + " already exists");
            return;
        } catch (IOException e) {
            refuse(i, offer, "cannot write " + offer.name() + PartialFile.PART_SUFFIX + ": " + e.getMessage());
            return;
        }
        long need = offer.size() - i.part.position();
        long free = usableSpace();
        if (need > free) {
            try {
                if (i.part.resumedAt() == 0) {
                    i.part.discard();
                } else {
                    i.part.close();
                }
            } catch (IOException ignored) {
                // Refused either way.
            }
            i.part = null;
            refuse(i, offer, "not enough free space: " + need + " bytes needed, " + free + " free");
            return;
        }
        i.startMicros = nc.host().now();
        listener.onAccepted(i.peerId, offer, i.part.position());
        i.reply.send(FileProtocol.ACCEPT, (double) i.part.position());
        if (i.part.isComplete()) {
            complete(i);
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
            if (i.part != null && i.offer.name().equals(name)) {
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
        try {
            i.part.write((long) n.doubleValue(), b);
        } catch (IllegalArgumentException e) {
            stop(i, e.getMessage());
            return;
        } catch (IOException e) {
            stop(i, "cannot write " + i.offer.name() + PartialFile.PART_SUFFIX + ": " + e.getMessage());
            return;
        }
        listener.onProgress(i.progress());
        if (i.part.isComplete()) {
            complete(i);
        }
    }

    private void complete(Incoming i) {
        TransferProgress last = i.progress();
        PartialFile part = i.part;
        i.part = null;
        Path file;
        try {
            file = part.finish();
        } catch (IOException e) {
            i.reply.send(FileProtocol.FAILED, e.getMessage());
            listener.onFailed(i.peerId, i.offer, new FileTransferException(FileTransferException.Reason.FAILED,
                    i.offer.name() + ": " + e.getMessage(), e));
            return;
        }
        // The sender closes the streams once it has the confirmation; closing first could overtake it.
        i.reply.send(FileProtocol.DONE, i.offer.sha256());
        listener.onReceived(i.peerId, i.offer, file, last);
    }

    /** Stops a transfer on our side: the sender is told why, the part is kept. */
    private void stop(Incoming i, String why) {
        i.reply.send(FileProtocol.FAILED, why);
        long held = i.part.position();
        closeQuietly(i.part);
        i.part = null;
        listener.onFailed(i.peerId, i.offer, new FileTransferException(FileTransferException.Reason.FAILED,
                i.offer.name() + ": " + why + " (after " + held + " of " + i.offer.size() + " bytes)"));
    }

    private void refuse(Incoming i, FileOffer offer, String reason) {
        i.reply.send(FileProtocol.REFUSE, reason);
        listener.onRefused(i.peerId, offer, reason);
    }

    private static void closeQuietly(PartialFile part) {
        try {
            part.close();
        } catch (IOException e) {
            // The bytes written are in the file already; closing only releases the handle.
        }
    }
}
