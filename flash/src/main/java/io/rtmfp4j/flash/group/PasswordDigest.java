package io.rtmfp4j.flash.group;

import io.rtmfp4j.core.crypto.Sha256;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The publish and posting password digests of a groupspec (netgroup spec §3.2): SHA-256 of the
 * password, or with a salt, the salt in clear followed by SHA-256(salt || password). An empty
 * salt gives the unsalted form, so "no salt" and "" cannot disagree.
 */
final class PasswordDigest {
    static final int HASH_LENGTH = 32;

    private PasswordDigest() {
    }

    static byte[] of(byte[] password, byte[] salt) {
        byte[] salted = concat(salt, password);
        return concat(salt, Sha256.digest(salted));
    }

    /** Whether {@code password} is the one {@code digest} was made from; constant-time in the hash. */
    static boolean matches(byte[] digest, byte[] password) {
        if (digest.length < HASH_LENGTH) {
            return false;
        }
        byte[] salt = Arrays.copyOf(digest, digest.length - HASH_LENGTH);
        return MessageDigest.isEqual(of(password, salt), digest);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
