package io.rtmfp4j.flash.files;

/** Why a transfer did not complete; {@link #reason()} tells programs apart from the message for people. */
public final class FileTransferException extends RuntimeException {
    /** What went wrong. */
    public enum Reason {
        /** The receiver could not be reached: no such peer, or it does not receive files. */
        UNREACHABLE,
        /** The receiver declined the offer (name taken, no room, bad name ...); nothing was written. */
        REFUSED,
        /** The other side went away or stopped answering mid-transfer; running again resumes. */
        PEER_LEFT,
        /** The receiver stopped the transfer: it could not write, or the digest did not match. */
        FAILED,
        /** This side could not read or write its file. */
        LOCAL_IO
    }

    private final Reason reason;

    public FileTransferException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public FileTransferException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
