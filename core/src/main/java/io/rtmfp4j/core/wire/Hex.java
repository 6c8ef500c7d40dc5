package io.rtmfp4j.core.wire;

import java.util.HexFormat;

/** Lowercase hex, the form peer IDs take in Flash ({@code NetConnection.nearID}). */
public final class Hex {
    private static final HexFormat FORMAT = HexFormat.of();

    private Hex() {
    }

    public static String encode(byte[] b) {
        return FORMAT.formatHex(b);
    }

    /** Parses hex digits, case-insensitively; spaces are ignored so test vectors can be grouped. */
    public static byte[] decode(String s) {
        String digits = s.replace(" ", "").replace("\n", "");
        return FORMAT.parseHex(digits.toLowerCase(java.util.Locale.ROOT));
    }
}
