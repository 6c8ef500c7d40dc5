package io.rtmfp4j.core.session;

/** Events of a {@link SendFlow}; called on the endpoint's loop thread. Every method has a no-op default. */
public interface SendFlowListener {
    /** The far end rejected the flow (RFC 7016 §3.6.2.10); everything queued was abandoned. */
    default void onException(SendFlow flow, long code) {
    }

    /** The buffered bytes fell below the send buffer capacity: a good time to write more. */
    default void onWritable(SendFlow flow) {
    }

    /** The flow was closed and the far end acknowledged everything up to its final sequence number. */
    default void onComplete(SendFlow flow) {
    }
}
