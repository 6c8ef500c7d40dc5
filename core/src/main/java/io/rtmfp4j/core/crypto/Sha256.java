package io.rtmfp4j.core.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the hash of peer IDs (RFC 7425 §4.3.7) and of the other digests the protocol keeps. */
public final class Sha256 {
    private Sha256() {
    }

    public static byte[] digest(byte[] b) {
        return digest(b, 0, b.length);
    }

    public static byte[] digest(byte[] b, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, off, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
