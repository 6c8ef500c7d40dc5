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
        byte[] encryptFull = hmac(mac, secret, hmac(mac, skfc, sknc));
        byte[] decryptFull = hmac(mac, secret, hmac(mac, sknc, skfc));
        byte[] tx = hmac(mac, secret, encryptFull);
        byte[] rx = hmac(mac, secret, decryptFull);
        byte[] near = hmac(mac, secret, sknc);
        byte[] far = hmac(mac, secret, skfc);
        return new SessionKeys(Arrays.copyOf(encryptFull, 16), Arrays.copyOf(decryptFull, 16), tx, rx, near, far);
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

    static Mac newMac() {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
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
        try {
            mac.init(hmacKey(key));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
        return mac.doFinal(message);
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
