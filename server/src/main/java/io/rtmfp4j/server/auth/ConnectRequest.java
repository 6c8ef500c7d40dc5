package io.rtmfp4j.server.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a client presents in {@code connect} (spec §6.6), with the session's nonces for schemes
 * that prove knowledge of a secret over this very session.
 *
 * @param app       the application name (the connect object's {@code app}, or the tcUrl path without '/')
 * @param tcUrl     the connect object's tcUrl, "" when absent
 * @param arguments the extra connect arguments after the connect object
 * @param nearNonce the server's session nonce (RFC 7425 §4.6)
 * @param farNonce  the client's session nonce
 */
public record ConnectRequest(String app, String tcUrl, List<Object> arguments, byte[] nearNonce, byte[] farNonce) {
    public ConnectRequest {
        // AMF null is a legitimate argument, so no List.copyOf (which refuses nulls).
        arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
        nearNonce = nearNonce.clone();
        farNonce = farNonce.clone();
    }

    /** The {@code n}th extra argument if it is a string. */
    public String stringArgument(int n) {
        return n < arguments.size() && arguments.get(n) instanceof String s ? s : null;
    }
}
