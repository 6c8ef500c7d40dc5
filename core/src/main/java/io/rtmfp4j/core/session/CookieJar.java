package io.rtmfp4j.core.session;

import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless RHello cookies (RFC 7016 §3.5.1.2): the responder keeps nothing between RHello and
 * IIKeying, so the cookie itself proves that the IIKeying comes from the address that received
 * the RHello, recently.
 *
 * <p>Layout, 64 bytes because librtmfp rejects any other length:
 * {@code t(4) || HMAC(secret, t)[0:28] || HMAC(secret, t || address)[0:32]}, with t in seconds of
 * the endpoint clock. The first MAC alone tells "ours but for another address" (a Cookie Change is
 * due) from "not ours or expired".
 */
final class CookieJar {
    static final int COOKIE_LENGTH = 64;

    enum Check { OK, MISMATCH, BAD }

    private final Mac mac;
    private final long lifetimeMicros;
    /**
     * The time MAC of the last second it was computed for: every RHello minted and most IIKeyings
     * checked within a second share it, which spares two of the four HMACs of a handshake.
     */
    private int cachedTime;
    private byte[] cachedTimeMac;

    CookieJar(SecureRandom random, long lifetimeMicros) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
        this.lifetimeMicros = lifetimeMicros;
    }

    byte[] mint(InetSocketAddress address, long nowMicros) {
        int t = (int) (nowMicros / 1_000_000);
        ByteWriter w = new ByteWriter(COOKIE_LENGTH);
        w.u32(t);
        w.bytes(timeMac(t), 0, 28);
        w.bytes(addressMac(t, address), 0, 32);
        return w.toByteArray();
    }

    Check check(byte[] cookie, InetSocketAddress address, long nowMicros) {
        if (cookie.length != COOKIE_LENGTH) {
            return Check.BAD;
        }
        int t = ByteReader.u32(cookie, 0);
        long age = nowMicros - (t & 0xffffffffL) * 1_000_000L;
        if (age < -1_000_000 || age > lifetimeMicros) {
            return Check.BAD;
        }
        if (!regionEquals(timeMac(t), cookie, 4, 28)) {
            return Check.BAD;
        }
        return regionEquals(addressMac(t, address), cookie, 32, 32) ? Check.OK : Check.MISMATCH;
    }

    /** The HMAC of {@code t}; shared with the cache, so callers must not modify it. */
    private byte[] timeMac(int t) {
        if (cachedTimeMac != null && cachedTime == t) {
            return cachedTimeMac;
        }
        byte[] time = new byte[4];
        ByteWriter.putU32(time, 0, t);
        mac.update(time);
        cachedTimeMac = mac.doFinal();
        cachedTime = t;
        return cachedTimeMac;
    }

    private byte[] addressMac(int t, InetSocketAddress address) {
        ByteWriter w = new ByteWriter(32);
        w.u32(t);
        new Address(address, Address.Origin.UNKNOWN).encode(w);
        mac.update(w.array(), 0, w.size());
        return mac.doFinal();
    }

    private static boolean regionEquals(byte[] mac, byte[] cookie, int offset, int length) {
        byte[] part = java.util.Arrays.copyOfRange(cookie, offset, offset + length);
        return MessageDigest.isEqual(java.util.Arrays.copyOf(mac, length), part);
    }
}
