package io.rtmfp4j.runtime;

import io.rtmfp4j.core.session.CloseReason;

/** A session could not be opened, or ended before it could be used. */
public final class SessionFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final CloseReason reason;

    public SessionFailedException(CloseReason reason) {
        super(describe(reason));
        this.reason = reason;
    }

    public CloseReason reason() {
        return reason;
    }

    private static String describe(CloseReason reason) {
        return switch (reason) {
            case OPEN_TIMEOUT -> "no answer from the far end before the open timeout";
            case KEYING_FAILED -> "keying failed: no common Diffie-Hellman group or unacceptable keying parameters";
            case LOCAL_CLOSE -> "closed locally";
            case REMOTE_CLOSE -> "closed by the far end";
            case RETRANSMIT_LIMIT -> "the far end stopped answering";
            case IDLE -> "idle for too long";
            case SUPERSEDED -> "replaced by another session to the same peer";
            case SHUTDOWN -> "the endpoint shut down";
        };
    }
}
