package io.rtmfp4j.flash.group;

import io.rtmfp4j.core.crypto.HmacSha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * Who may post, or publish a multicast stream, in a group with a posting or publish password
 * (netgroup spec §3.2, §9). Flash's proof on the wire is unknown; this project's (spec §16,
 * provisional) is an HMAC of what is posted or published under a key only the password yields:
 *
 * <pre>
 * key   = HMAC-SHA256(password, label ‖ salt)     label: "rtmfp4j posting" or "rtmfp4j publish"
 * proof = HMAC-SHA256(key, data)
 * </pre>
 *
 * A member whose groupspec carries the password (its authorization) acts with a proof and drops
 * what comes with a wrong one, and does not pass it on. A member without it cannot check proofs:
 * a groupspec holds only the password's hash, from which no key follows. So a group whose readers
 * have no password relies on the members that have it to stop forgeries; see
 * {@code docs/groups.md}.
 */
final class PasswordAuthority {
    private static final byte[] POSTING = "rtmfp4j posting".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PUBLISH = "rtmfp4j publish".getBytes(StandardCharsets.US_ASCII);
    private static final int HASH = 32;

    /** Whether the group has this password at all. */
    private final boolean guarded;
    /** The key, when this member holds the password; null otherwise. */
    private final byte[] key;

    private PasswordAuthority(byte[] label, Optional<byte[]> digest, boolean authorized, Optional<String> password) {
        guarded = digest.isPresent();
        if (guarded && authorized && password.isPresent()) {
            byte[] d = digest.get();
            byte[] salt = Arrays.copyOf(d, Math.max(0, d.length - HASH));
            byte[] data = new byte[label.length + salt.length];
            System.arraycopy(label, 0, data, 0, label.length);
            System.arraycopy(salt, 0, data, label.length, salt.length);
            key = HmacSha256.of(password.get().getBytes(StandardCharsets.UTF_8), data);
        } else {
            key = null;
        }
    }

    /** The posting password's authority in the group {@code spec}, as this member holds it or not. */
    static PasswordAuthority posting(GroupSpec spec) {
        return new PasswordAuthority(POSTING, spec.postingDigest(), spec.postingAuthorized(), spec.postingPassword());
    }

    /** The publish password's authority in the group {@code spec}, as this member holds it or not. */
    static PasswordAuthority publishing(GroupSpec spec) {
        return new PasswordAuthority(PUBLISH, spec.publishDigest(), spec.publishAuthorized(), spec.publishPassword());
    }

    /** Whether this member may act: the group has no such password, or this member holds it. */
    boolean permits() {
        return !guarded || key != null;
    }

    /** Whether the group has the password and this member holds it, so that it can check proofs. */
    boolean checks() {
        return guarded && key != null;
    }

    /** The proof to send with {@code data}: empty in a group without the password, or for a member without it. */
    byte[] proof(byte[] data) {
        return key == null ? new byte[0] : HmacSha256.of(key, data);
    }

    /** Whether a received proof of {@code data} is acceptable: right, or not ours to check. */
    boolean accepts(byte[] data, byte[] proof) {
        return !checks() || MessageDigest.isEqual(proof(data), proof);
    }
}
