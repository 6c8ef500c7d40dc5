package io.rtmfp4j.core.session;

/**
 * Session states (RFC 7016 §3.5). The responder is stateless until a valid IIKeying and then goes
 * straight to {@link #OPEN}.
 */
public enum SessionState {
    /** Initiator: IHellos sent to the candidate addresses, waiting for an acceptable RHello. */
    IHELLO_SENT,
    /** Initiator: IIKeying sent, waiting for RIKeying (or a Cookie Change). */
    KEYING_SENT,
    OPEN,
    /** Near end asked to close: Close sent and repeated until a Close Ack or the close period ends. */
    NEAR_CLOSE,
    /** Far end asked to close: answering further Close chunks with Close Ack for a while. */
    FAR_CLOSE_LINGER,
    CLOSED;

    public boolean isOpening() {
        return this == IHELLO_SENT || this == KEYING_SENT;
    }
}
