package io.rtmfp4j.server.auth;

import io.rtmfp4j.core.wire.Hex;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 tokens, compatible with rtmfp-cpp's tcserver (spec §6.6): a client presents, as
 * the first extra connect argument, {@code hex(HMAC(secret, app))}, or as the first two a user
 * name and {@code hex(HMAC(secret, user + "@" + app))}. Over RTMFP it may instead prove it holds
 * the token without revealing it, sending {@code hex(HMAC(serverNonce, token))}; the server then
 * proves itself in return with {@code authToken = hex(HMAC(clientNonce, token))} in the result.
 *
 * <p>Several secrets may be in force at once (for rotation); any one matching lets the client in.
 */
public final class HmacTokens implements Authenticator {
    private final List<byte[]> secrets;

    public HmacTokens(List<byte[]> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is required");
        }
        this.secrets = secrets.stream().map(byte[]::clone).toList();
    }

    @Override
    public AuthDecision authenticate(ConnectRequest request) {
        String first = request.stringArgument(0);
        String second = request.stringArgument(1);
        if (first == null) {
            return AuthDecision.reject("auth required: pass a token (or a user name and a token) after the connect object");
        }
        String user = second != null ? first : null;
        String presented = second != null ? second : first;
        String challenge = challenge(request.app(), user);
        for (byte[] secret : secrets) {
            String token = hexHmac(secret, challenge);
            if (constantTimeEquals(token, presented)
                    || constantTimeEquals(hexHmac(request.nearNonce(), token), presented)) {
                return new AuthDecision(true, null, Map.of("authToken", hexHmac(request.farNonce(), token)), user);
            }
        }
        return AuthDecision.reject("auth required: bad token");
    }

    /** The token a client needs for {@code app} (and {@code user}, or null): what {@code rtmfp token} prints. */
    public static String token(byte[] secret, String app, String user) {
        return hexHmac(secret, challenge(app, user));
    }

    private static String challenge(String app, String user) {
        return user == null ? app : user + "@" + app;
    }

    static String hexHmac(byte[] key, String message) {
        return Hex.encode(hmac(key, message.getBytes(StandardCharsets.UTF_8)));
    }

    /** HMAC-SHA-256 of {@code message} keyed with {@code key}. */
    public static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // An empty key is allowed by HMAC (it is padded with zeros) but not by SecretKeySpec.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    private static boolean constantTimeEquals(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                presented.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
}
