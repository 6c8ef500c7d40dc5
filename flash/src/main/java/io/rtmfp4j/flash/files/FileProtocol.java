package io.rtmfp4j.flash.files;

/**
 * The names the file delivery protocol uses (docs/files.md). Data flows from a publisher to its
 * players, so each side publishes a direct stream and plays the other's: the receiver publishes
 * {@link #RECEIVER_STREAM}, a sender publishes {@link #SENDER_STREAM}.
 */
public final class FileProtocol {
    /** What a receiver publishes: senders play it to reach the receiver and hear its answers. */
    public static final String RECEIVER_STREAM = "files";
    /** What a sender publishes: the receiver plays it back to get the offer and the data. */
    public static final String SENDER_STREAM = "file";

    /** Sender to receiver: {@code offer({name, size, sha256})}. */
    public static final String OFFER = "offer";
    /** Sender to receiver: {@code chunk(offset, ByteArray)}, in order, from the accepted offset. */
    public static final String CHUNK = "chunk";
    /** Receiver to sender: {@code accept(offset)}, the number of bytes it already holds. */
    public static final String ACCEPT = "accept";
    /** Receiver to sender: {@code refuse(reason)}; the offer is declined, nothing was written. */
    public static final String REFUSE = "refuse";
    /** Receiver to sender: {@code done(sha256)}; the whole file arrived and its digest matches. */
    public static final String DONE = "done";
    /** Receiver to sender: {@code failed(reason)}; the transfer stopped (disk full, digest mismatch ...). */
    public static final String FAILED = "failed";

    /**
     * Bytes per chunk: small enough that a chunk never waits long behind the flow's receive
     * window (64 KiB by default), large enough that per-message costs stay small.
     */
    public static final int CHUNK_SIZE = 32 * 1024;

    /**
     * The receive window a connection that carries files should give its flows
     * ({@code NetConnection.Builder.receiveWindow}): the default 64 KiB caps a flow at 64 KiB per
     * round trip, about 1.3 MB/s at 50 ms; 4 MiB keeps 40 MB/s going at 100 ms.
     */
    public static final long RECEIVE_WINDOW = 4 << 20;

    private FileProtocol() {
    }
}
