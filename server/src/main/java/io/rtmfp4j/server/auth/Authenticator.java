package io.rtmfp4j.server.auth;

/**
 * Decides whether a {@code connect} is let in. Called on the server's loop thread, so it must be
 * quick: anything slow (a remote lookup) belongs in a cache refreshed elsewhere.
 */
@FunctionalInterface
public interface Authenticator {
    AuthDecision authenticate(ConnectRequest request);

    /** Lets everyone in: the default, for local use and development. */
    static Authenticator open() {
        return request -> AuthDecision.accept();
    }
}
