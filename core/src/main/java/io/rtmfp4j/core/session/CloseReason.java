package io.rtmfp4j.core.session;

/** Why a session ended or an opening attempt failed. */
public enum CloseReason {
    /** The near end closed it. */
    LOCAL_CLOSE,
    /** The far end sent a Close or Close Ack. */
    REMOTE_CLOSE,
    /** No RHello/RIKeying before the opening deadline. */
    OPEN_TIMEOUT,
    /** The far end stopped acknowledging for longer than the retransmit limit. */
    RETRANSMIT_LIMIT,
    /** No flows in either direction for the idle limit. */
    IDLE,
    /** Keying failed: no common Diffie-Hellman group, or the far end's keying parameters were unacceptable. */
    KEYING_FAILED,
    /** A newer session to the same far identity replaced this one (RFC 7425 §4.3.7, glare). */
    SUPERSEDED,
    /** The endpoint shut down. */
    SHUTDOWN
}
