package io.rtmfp4j.core.session;

import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
 * <p>Layout: {@code t(4) || HMAC(secret, t)[0:m] || HMAC(secret, t || address)[0:n]}, with t in
 * seconds of the endpoint clock. The first MAC alone tells "ours but for another address" (a
 * Cookie Change is due) from "not ours or expired". Two lengths: {@link #SHORT_LENGTH} (m = 4,
 * n = 8; 64 bits to guess are out of reach of an online attacker bounded by the handshake rate)
 * keeps the RHello small, which is what the server sends to an address nobody has validated yet;
 * {@link #LIBRTMFP_LENGTH} (m = 28, n = 32) for initiators that may be librtmfp, which rejects any
 * cookie of another length (spec P7). The cookie is opaque to everyone else (RFC 7016 §2.3.4):
 * rtmfp-cpp, whose own cookies are 65 bytes and more, Flash Player and rtmfp4j echo any length.
 */
final class CookieJar {
    static final int SHORT_LENGTH = 16;
    static final int LIBRTMFP_LENGTH = 64;
    private static final int TIME_LENGTH = 4;
    private static final byte[] RTMFP_SCHEME = "rtmfp:".getBytes(StandardCharsets.US_ASCII);

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

    /**
     * Which cookie an initiator gets, by the endpoint discriminator of its IHello. librtmfp sends
     * the path of the URI alone as ancillary data, where Flash Player, rtmfp-cpp and rtmfp4j send the
     * whole {@code rtmfp:} URI (spec §4.4); and any peer may be librtmfp when the EPD names a
     * fingerprint. Those get the 64-byte cookie, everyone else the short one.
     */
    static int lengthFor(EndpointDiscriminator epd) {
        if (epd.fingerprint().isPresent()) {
            return LIBRTMFP_LENGTH;
        }
        return epd.ancillaryData().map(CookieJar::isRtmfpUri).orElse(true) ? SHORT_LENGTH : LIBRTMFP_LENGTH;
    }

    private static boolean isRtmfpUri(byte[] ancillary) {
        if (ancillary.length < RTMFP_SCHEME.length) {
            return false;
        }
        for (int i = 0; i < RTMFP_SCHEME.length; i++) {
            if (Character.toLowerCase(ancillary[i]) != RTMFP_SCHEME[i]) {
                return false;
            }
        }
        return true;
    }

    /** A cookie of {@link #SHORT_LENGTH} or {@link #LIBRTMFP_LENGTH} bytes for {@code address}. */
    byte[] mint(InetSocketAddress address, long nowMicros, int length) {
        int t = (int) (nowMicros / 1_000_000);
        int timeMac = timeMacLength(length);
        ByteWriter w = new ByteWriter(length);
        w.u32(t);
        w.bytes(timeMac(t), 0, timeMac);
        w.bytes(addressMac(t, address), 0, length - TIME_LENGTH - timeMac);
        return w.toByteArray();
    }

    Check check(byte[] cookie, InetSocketAddress address, long nowMicros) {
        if (cookie.length != SHORT_LENGTH && cookie.length != LIBRTMFP_LENGTH) {
            return Check.BAD;
        }
        int t = ByteReader.u32(cookie, 0);
        long age = nowMicros - (t & 0xffffffffL) * 1_000_000L;
        if (age < -1_000_000 || age > lifetimeMicros) {
            return Check.BAD;
        }
        int timeMac = timeMacLength(cookie.length);
        if (!regionEquals(timeMac(t), cookie, TIME_LENGTH, timeMac)) {
            return Check.BAD;
        }
        int addressMacAt = TIME_LENGTH + timeMac;
        return regionEquals(addressMac(t, address), cookie, addressMacAt, cookie.length - addressMacAt)
                ? Check.OK : Check.MISMATCH;
    }

    private static int timeMacLength(int cookieLength) {
        return cookieLength == SHORT_LENGTH ? 4 : 28;
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
