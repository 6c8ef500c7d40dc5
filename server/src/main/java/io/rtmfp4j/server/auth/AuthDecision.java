package io.rtmfp4j.server.auth;

import java.util.Map;

/**
 * The outcome of {@link Authenticator#authenticate}.
 *
 * @param accepted         whether the client is let in
 * @param description      for a rejection, the reason the client reads in the info object
 * @param resultProperties extra properties for the success info object (e.g. a proof token)
 * @param user             the authenticated user name, or null
 */
public record AuthDecision(boolean accepted, String description, Map<String, Object> resultProperties, String user) {
    public AuthDecision {
        resultProperties = Map.copyOf(resultProperties);
    }

    public static AuthDecision accept() {
        return new AuthDecision(true, null, Map.of(), null);
    }

    public static AuthDecision reject(String description) {
        return new AuthDecision(false, description, Map.of(), null);
    }
}
