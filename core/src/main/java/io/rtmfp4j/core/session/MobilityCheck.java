package io.rtmfp4j.core.session;

import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.WireFormatException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The unforgeable payload of the Ping that validates a far end's new address (RFC 7016 §3.5.4.2,
 * spec §5.11): {@code 'M' || VLU(t) || HMAC-SHA256(secret, 'M' || VLU(t) || address)[0..16]}, t in
 * whole seconds. Only we interpret it, so the format is ours; a Ping Reply that echoes it from
 * the same address within the lifetime proves the far end is reachable there.
 */
final class MobilityCheck {
    static final byte MARK = 'M';
    /** A check older than this is refused (rtmfp-cpp MAX_MOBILITY_LIFETIME). */
    static final long LIFETIME_SECONDS = 120;
    private static final int TAG_LENGTH = 16;

    private final Mac mac;

    MobilityCheck(SecureRandom random) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        }
    }

    byte[] create(InetSocketAddress address, long nowMicros) {
        long t = nowMicros / 1_000_000;
        ByteWriter w = new ByteWriter(32);
        w.u8(MARK).vlu(t);
        return concat(w.toByteArray(), tag(t, address));
    }

    /** Whether {@code payload} is a check we made for {@code address} that is still fresh. */
    boolean verify(byte[] payload, InetSocketAddress address, long nowMicros) {
        if (payload.length == 0 || payload[0] != MARK) {
            return false;
        }
        try {
            ByteReader r = new ByteReader(payload);
            r.u8();
            long t = r.vlu();
            byte[] tag = r.rest();
            long age = nowMicros / 1_000_000 - t;
            return age >= 0 && age <= LIFETIME_SECONDS && MessageDigest.isEqual(tag, tag(t, address));
        } catch (WireFormatException e) {
            return false;
        }
    }

    static boolean looksLikeCheck(byte[] payload) {
        return payload.length > 0 && payload[0] == MARK;
    }

    private byte[] tag(long t, InetSocketAddress address) {
        ByteWriter w = new ByteWriter(32);
        w.u8(MARK).vlu(t);
        new Address(address, Address.Origin.OBSERVED).encode(w);
        return Arrays.copyOf(mac.doFinal(w.toByteArray()), TAG_LENGTH);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
