package io.rtmfp4j.flash.group;

import io.rtmfp4j.core.crypto.HmacSha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * Who may post in a group with a posting password (netgroup spec §3.2, §9). Flash's proof on the
 * wire is unknown; this project's (spec §16, provisional) is an HMAC of the message ID under a key
 * only the password yields:
 *
 * <pre>
 * key   = HMAC-SHA256(password, "rtmfp4j posting" ‖ salt)
 * proof = HMAC-SHA256(key, messageID)
 * </pre>
 *
 * A member whose groupspec carries the password (its authorization) posts with a proof and drops
 * postings whose proof is wrong, and does not pass them on. A member without it cannot check
 * proofs: a groupspec holds only the password's hash, from which no key follows. So a group whose
 * readers have no password relies on the members that have it to stop forgeries; see
 * {@code docs/groups.md}.
 */
final class PostingAuthority {
    private static final byte[] LABEL = "rtmfp4j posting".getBytes(StandardCharsets.US_ASCII);
    private static final int HASH = 32;

    /** Whether the group has a posting password at all. */
    private final boolean guarded;
    /** The key, when this member holds the password; null otherwise. */
    private final byte[] key;

    PostingAuthority(GroupSpec spec) {
        Optional<byte[]> digest = spec.postingDigest();
        guarded = digest.isPresent();
        if (guarded && spec.postingAuthorized() && spec.postingPassword().isPresent()) {
            byte[] d = digest.get();
            byte[] salt = Arrays.copyOf(d, Math.max(0, d.length - HASH));
            byte[] data = new byte[LABEL.length + salt.length];
            System.arraycopy(LABEL, 0, data, 0, LABEL.length);
            System.arraycopy(salt, 0, data, LABEL.length, salt.length);
            key = HmacSha256.of(spec.postingPassword().get().getBytes(StandardCharsets.UTF_8), data);
        } else {
            key = null;
        }
    }

    /** Whether this member may post: the group has no posting password, or this member holds it. */
    boolean mayPost() {
        return !guarded || key != null;
    }

    /** The proof to send with a posting of {@code id}: empty in a group without a posting password. */
    byte[] proof(MessageId id) {
        return key == null ? new byte[0] : HmacSha256.of(key, id.bytes());
    }

    /** Whether a received posting's proof is acceptable: right, or not ours to check. */
    boolean accepts(MessageId id, byte[] proof) {
        return !guarded || key == null || MessageDigest.isEqual(proof(id), proof);
    }
}
