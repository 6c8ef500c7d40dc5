package io.rtmfp4j.flash.group;

import io.rtmfp4j.flash.group.wire.StreamAnnouncement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;

/**
 * The stream keys of multicast streams published here (netgroup spec §8.1), and the publish
 * password's proof in them (spec §3.2, §16, provisional). librtmfp draws the 32 bytes at random
 * and receivers treat them as opaque, so in a group with a publish password a holder makes them
 * a random nonce followed by a truncated proof:
 *
 * <pre>
 * key = nonce(16) ‖ HMAC-SHA256(publish key, name_utf8 ‖ nonce)[0..16)
 * </pre>
 *
 * A member that holds the password refuses an announced key that does not prove it (a publisher
 * without the password, librtmfp's included, cannot make one); any other peer still reads the key
 * as opaque bytes. A member without the password cannot check, as with postings.
 */
final class StreamKeys {
    static final int NONCE = 16;

    private StreamKeys() {
    }

    /** A new key for a stream {@code name}: random, with the proof when {@code authority} holds the password. */
    static byte[] make(PasswordAuthority authority, String name, Random random) {
        byte[] key = new byte[StreamAnnouncement.KEY_LENGTH];
        random.nextBytes(key);
        if (authority.checks()) {
            byte[] proof = authority.proof(signed(name, key));
            System.arraycopy(proof, 0, key, NONCE, key.length - NONCE);
        }
        return key;
    }

    /** Whether {@code key}, announced for {@code name}, is acceptable: it proves the password, or that is not ours to check. */
    static boolean accepts(PasswordAuthority authority, String name, byte[] key) {
        if (!authority.checks()) {
            return true;
        }
        if (key.length != StreamAnnouncement.KEY_LENGTH) {
            return false;
        }
        byte[] proof = authority.proof(signed(name, key));
        return MessageDigest.isEqual(Arrays.copyOf(proof, key.length - NONCE), Arrays.copyOfRange(key, NONCE, key.length));
    }

    /** What the proof covers: the name, so that a key cannot be announced again under another, and the nonce. */
    private static byte[] signed(String name, byte[] key) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOf(n, n.length + NONCE);
        System.arraycopy(key, 0, data, n.length, NONCE);
        return data;
    }
}
