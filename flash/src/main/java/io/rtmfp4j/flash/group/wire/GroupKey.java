package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.crypto.HmacSha256;
import io.rtmfp4j.core.crypto.SessionKeys;
import io.rtmfp4j.flash.group.GroupSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The keys of a group connect message (netgroup spec §5.1): proof that the sender knows the
 * groupspec, bound to one RTMFP session.
 *
 * <pre>
 * connectKey  = HMAC-SHA256(groupspecText, HMAC-SHA256(DH secret, far keying component))
 * expectedKey = HMAC-SHA256(groupspecText, HMAC-SHA256(DH secret, near keying component))
 * </pre>
 *
 * The inner HMACs are exactly the session's far and near nonces of RFC 7425 §4.6 (Flash's
 * {@code NetConnection.farNonce} and {@code nearNonce}), which {@link SessionKeys} already holds:
 * so the keys come from them, and the DH secret stays inside the core. This also settles the
 * leading-zero question of spec §5.1: librtmfp feeds the group key the very bytes it keyed the
 * session with (OpenSSL's {@code DH_compute_key}, no leading zeros), and so does the core
 * ({@code DhKeyPair.agree}, minimal big-endian), so whatever encoding lets the session work also
 * makes these keys agree.
 *
 * @param connectKey the key to send in our group connect
 * @param expectedKey the key the far end's group connect must carry
 */
public record GroupKey(byte[] connectKey, byte[] expectedKey) {
    public static final int LENGTH = 32;

    public GroupKey {
        connectKey = check(connectKey, "connectKey");
        expectedKey = check(expectedKey, "expectedKey");
    }

    private static byte[] check(byte[] key, String name) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException(name + " must be " + LENGTH + " bytes, got " + key.length);
        }
        return key.clone();
    }

    /** The keys for a group on a session keyed with {@code keys}. */
    public static GroupKey of(GroupSpec group, SessionKeys keys) {
        byte[] text = group.identityText().getBytes(StandardCharsets.US_ASCII);
        return new GroupKey(HmacSha256.of(text, keys.farNonce()), HmacSha256.of(text, keys.nearNonce()));
    }

    /** Whether a received group connect key is the one expected; constant-time. */
    public boolean accepts(byte[] receivedKey) {
        return MessageDigest.isEqual(expectedKey, receivedKey);
    }

    @Override
    public byte[] connectKey() {
        return connectKey.clone();
    }

    @Override
    public byte[] expectedKey() {
        return expectedKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupKey k && MessageDigest.isEqual(k.connectKey, connectKey)
                && MessageDigest.isEqual(k.expectedKey, expectedKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(connectKey);
    }

    /** Redacted, so that logging a neighbor never discloses its keys. */
    @Override
    public String toString() {
        return "GroupKey[redacted]";
    }
}
