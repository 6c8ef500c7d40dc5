package io.rtmfp4j.flash.net;

import java.util.Locale;

/**
 * Peer IDs as people pass them around: 64 hex digits of a certificate fingerprint (RFC 7425
 * §4.3.2). Flash prints them in lowercase; we accept either case (spec §6.8).
 */
public final class PeerIds {
    public static final int LENGTH = 64;

    private PeerIds() {
    }

    public static boolean isPeerId(String s) {
        if (s == null || s.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The lowercase form; throws if {@code s} is not a peer ID. */
    public static String normalize(String s) {
        if (!isPeerId(s)) {
            throw new IllegalArgumentException("not a peer ID (64 hex digits): " + s);
        }
        return s.toLowerCase(Locale.ROOT);
    }
}
