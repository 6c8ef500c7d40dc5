package io.rtmfp4j.core.session;

/** Outcome of {@link Endpoint#connect}; called once, on the loop thread. */
public interface ConnectListener {
    void onOpen(Session session);

    void onFailure(CloseReason reason);
}
