package io.rtmfp4j.core.crypto;

import io.rtmfp4j.core.wire.Hex;
import java.util.Arrays;

/** Byte strings of spec Appendix B shared by several tests. */
final class TestVectors {
    private TestVectors() {
    }

    static byte[] repeat(int b, int n) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) b);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] hex(String s) {
        return Hex.decode(s);
    }

    /** B.2 secret: 127 bytes of 0x11. */
    static final byte[] B2_SECRET = repeat(0x11, 127);
    /** B.2 skic: Flash-like static initiator template with 0xaa randomness. */
    static final byte[] B2_SKIC = concat(hex("02 1d 02 41 0e"), repeat(0xaa, 64), hex("03 1a 02 0a 02 1e 02"));
    /** B.2 skrc: tcserver-style responder with a 0x22 key. */
    static final byte[] B2_SKRC = concat(hex("02 1e 07 03 1a 07 10 81 02 0d 02"), repeat(0x22, 128));
}
