package io.rtmfp4j.core.crypto;

/** HMAC-SHA-256 of one message (RFC 2104), for the keys and proofs above the session layer. */
public final class HmacSha256 {
    private HmacSha256() {
    }

    /** HMAC-SHA-256 of {@code message} under {@code key}; an empty key is allowed, as HMAC allows it. */
    public static byte[] of(byte[] key, byte[] message) {
        return SessionKeys.hmac(SessionKeys.newMac(), key, message);
    }
}
