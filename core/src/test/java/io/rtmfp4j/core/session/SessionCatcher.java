package io.rtmfp4j.core.session;

/** Keeps the session a connect attempt opens; a failed attempt fails the test. */
final class SessionCatcher implements ConnectListener {
    Session session;

    @Override
    public void onOpen(Session s) {
        session = s;
    }

    @Override
    public void onFailure(CloseReason reason) {
        throw new AssertionError("open failed: " + reason);
    }
}
