package io.rtmfp4j.core.session;

/** Session lifecycle events of an endpoint; called on its loop thread. Every method has a no-op default. */
public interface EndpointListener {
    /** A session reached OPEN, as initiator or responder. */
    default void onSessionOpen(Session session) {
    }

    /** An open session ended (it may linger internally to finish the close exchange). */
    default void onSessionClosed(Session session, CloseReason reason) {
    }

    /** A Ping Reply answered {@link Session#ping}: the round trip took {@code rttMicros}. */
    default void onPingReply(Session session, long rttMicros) {
    }

    /**
     * The far end opened a flow to us (RFC 7016 §3.6.3.1). Call {@link ReceiveFlow#accept} here to
     * take its messages; a flow not accepted when this returns is rejected. The default rejects.
     */
    default void onFlow(ReceiveFlow flow) {
    }

    /**
     * A bug surfaced while handling a datagram or timer; the endpoint contained it and goes on.
     * The runtime logs it.
     */
    default void onInternalError(RuntimeException error) {
    }
}
