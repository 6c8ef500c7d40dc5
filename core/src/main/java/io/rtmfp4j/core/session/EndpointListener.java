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
     * A bug surfaced while handling a datagram or timer; the endpoint contained it and goes on.
     * The runtime logs it.
     */
    default void onInternalError(RuntimeException error) {
    }
}
