package io.rtmfp4j.core.crypto;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys and nonces of a session, derived from the DH secret and the two keying components
 * (RFC 7425 §4.6). "Near" is this end.
 *
 * @param encryptKey AES-128 key for packets this end sends
 * @param decryptKey AES-128 key for packets this end receives
 * @param txHmacKey HMAC-SHA-256 key for packets this end sends (used only if negotiated)
 * @param rxHmacKey HMAC-SHA-256 key for packets this end receives (used only if negotiated)
 * @param nearNonce this end's session nonce (Flash {@code NetConnection.nearNonce})
 * @param farNonce the far end's session nonce (Flash {@code farNonce})
 */
public record SessionKeys(byte[] encryptKey, byte[] decryptKey, byte[] txHmacKey, byte[] rxHmacKey,
        byte[] nearNonce, byte[] farNonce) {

    public SessionKeys {
        encryptKey = requireLength(encryptKey, 16, "encryptKey");
        decryptKey = requireLength(decryptKey, 16, "decryptKey");
        txHmacKey = requireLength(txHmacKey, 32, "txHmacKey");
        rxHmacKey = requireLength(rxHmacKey, 32, "rxHmacKey");
        nearNonce = requireLength(nearNonce, 32, "nearNonce");
        farNonce = requireLength(farNonce, 32, "farNonce");
    }

    private static byte[] requireLength(byte[] b, int len, String name) {
        if (b.length != len) {
            throw new IllegalArgumentException(name + " must be " + len + " bytes, got " + b.length);
        }
        return b.clone();
    }

    /**
     * RFC 7425 §4.6:
     * <pre>
     * encryptFull = HMAC(secret, HMAC(SKFC, SKNC))   encryptKey = encryptFull[0:16]
     * decryptFull = HMAC(secret, HMAC(SKNC, SKFC))   decryptKey = decryptFull[0:16]
     * txHmacKey = HMAC(secret, encryptFull)          rxHmacKey = HMAC(secret, decryptFull)
     * nearNonce = HMAC(secret, SKNC)                 farNonce  = HMAC(secret, SKFC)
     * </pre>
     * Each end's encrypt key is the other's decrypt key because SKNC and SKFC swap roles.
     *
     * @param secret the DH shared secret, minimal big-endian (its exact bytes matter)
     * @param sknc this end's keying component (skic at the initiator, skrc at the responder)
     * @param skfc the far end's keying component
     */
    public static SessionKeys derive(byte[] secret, byte[] sknc, byte[] skfc) {
        Mac mac = newMac();
        byte[] fromFar = hmac(mac, skfc, sknc);
        byte[] fromNear = hmac(mac, sknc, skfc);
        // The other six use the secret as key: one init, as doFinal leaves the Mac keyed.
        init(mac, secret);
        byte[] encryptFull = mac.doFinal(fromFar);
        byte[] decryptFull = mac.doFinal(fromNear);
        byte[] tx = mac.doFinal(encryptFull);
        byte[] rx = mac.doFinal(decryptFull);
        byte[] near = mac.doFinal(sknc);
        byte[] far = mac.doFinal(skfc);
        return new SessionKeys(Arrays.copyOf(encryptFull, 16), Arrays.copyOf(decryptFull, 16), tx, rx, near, far);
    }

    /** The encryption key itself, not a copy: for {@link PacketProtection}, which keeps it for the session. */
    byte[] encryptKeyShared() {
        return encryptKey;
    }

    /** The decryption key itself, not a copy. */
    byte[] decryptKeyShared() {
        return decryptKey;
    }

    @Override
    public byte[] encryptKey() {
        return encryptKey.clone();
    }

    @Override
    public byte[] decryptKey() {
        return decryptKey.clone();
    }

    @Override
    public byte[] txHmacKey() {
        return txHmacKey.clone();
    }

    @Override
    public byte[] rxHmacKey() {
        return rxHmacKey.clone();
    }

    @Override
    public byte[] nearNonce() {
        return nearNonce.clone();
    }

    @Override
    public byte[] farNonce() {
        return farNonce.clone();
    }

    /**
     * An unkeyed HMAC-SHA-256. Cloned from a prototype when the provider allows it: a JCA lookup
     * ({@code Mac.getInstance}) walks the provider list and costs more than the HMAC itself, and
     * every session needs several of these.
     */
    static Mac newMac() {
        Mac prototype = MacPrototype.INSTANCE;
        if (prototype != null) {
            try {
                return (Mac) prototype.clone();
            } catch (CloneNotSupportedException e) {
                // Fall through to a lookup.
            }
        }
        return lookupMac();
    }

    private static Mac lookupMac() {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    /** Never keyed, so clones carry no key material. Null if the provider's Mac cannot be cloned. */
    private static final class MacPrototype {
        static final Mac INSTANCE = cloneable(lookupMac());

        private static Mac cloneable(Mac mac) {
            try {
                mac.clone();
                return mac;
            } catch (CloneNotSupportedException e) {
                return null;
            }
        }
    }

    /**
     * An HMAC-SHA-256 key. javax.crypto refuses empty keys, but HMAC pads keys with zero bytes to
     * the block size, so an empty key is equivalent to a single zero byte.
     */
    static SecretKeySpec hmacKey(byte[] key) {
        return new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256");
    }

    static byte[] hmac(Mac mac, byte[] key, byte[] message) {
        init(mac, key);
        return mac.doFinal(message);
    }

    private static void init(Mac mac, byte[] key) {
        try {
            mac.init(hmacKey(key));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison, so key material never leaks through timing. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SessionKeys k
                && MessageDigest.isEqual(k.encryptKey, encryptKey) && MessageDigest.isEqual(k.decryptKey, decryptKey)
                && MessageDigest.isEqual(k.txHmacKey, txHmacKey) && MessageDigest.isEqual(k.rxHmacKey, rxHmacKey)
                && MessageDigest.isEqual(k.nearNonce, nearNonce) && MessageDigest.isEqual(k.farNonce, farNonce);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encryptKey) * 31 + Arrays.hashCode(decryptKey);
    }

    /**
     * Shows only the nonces, which are public in Flash ({@code nearNonce}/{@code farNonce}); keys
     * are redacted so that logging a session never discloses its keys.
     */
    @Override
    public String toString() {
        return "SessionKeys[keys redacted, nearNonce=" + io.rtmfp4j.core.wire.Hex.encode(nearNonce)
                + ", farNonce=" + io.rtmfp4j.core.wire.Hex.encode(farNonce) + "]";
    }
}
