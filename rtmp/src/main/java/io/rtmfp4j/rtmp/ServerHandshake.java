package io.rtmfp4j.rtmp;

import io.rtmfp4j.core.wire.ByteWriter;
import java.util.Arrays;
import java.util.Random;

/**
 * The server side of the plain RTMP handshake (RTMP specification 1.0, §5.2): C0 (version 3)
 * and C1 come in, S0, S1 and S2 go out, then C2 comes in. S1 carries zero where a version would
 * be, which tells the clients that know Flash Player's digest handshake (ffmpeg, OBS's librtmp)
 * to expect the plain one; S2 echoes C1. C2's content is not checked: those clients fill it
 * differently, and the TCP connection already proves the peer answered.
 */
final class ServerHandshake {
    /** §5.2.2: the version of plain RTMP. */
    static final int VERSION = 3;
    /** §5.2.3: C1, S1, C2 and S2 are this long. */
    static final int PACKET = 1536;

    private final Random random;
    private final byte[] c1 = new byte[PACKET];
    private int received;

    /** @param random fills S1's random bytes */
    ServerHandshake(Random random) {
        this.random = random;
    }

    /** Whether C2 has been read: the chunk stream starts at the next byte. */
    boolean done() {
        return received == 1 + 2 * PACKET;
    }

    /**
     * Reads handshake bytes from {@code data[off, off + len)}, writing S0, S1 and S2 to
     * {@code out} once C1 is complete; returns how many bytes it took (the rest belong to the
     * chunk stream).
     */
    int receive(byte[] data, int off, int len, ByteWriter out) {
        int at = off;
        int end = off + len;
        if (received == 0 && at < end) {
            int version = data[at++] & 0xff;
            received = 1;
            if (version != VERSION) {
                throw new RtmpException(describeVersion(version));
            }
        }
        if (received < 1 + PACKET && at < end) {
            int n = Math.min(1 + PACKET - received, end - at);
            System.arraycopy(data, at, c1, received - 1, n);
            at += n;
            received += n;
            if (received == 1 + PACKET) {
                byte[] s1 = new byte[PACKET];
                random.nextBytes(s1);
                // Time 0 and, where the digest handshake puts a version, zero.
                Arrays.fill(s1, 0, 8, (byte) 0);
                out.u8(VERSION).bytes(s1).bytes(c1);
            }
        }
        if (received >= 1 + PACKET && at < end) {
            int n = Math.min(1 + 2 * PACKET - received, end - at);
            at += n;
            received += n;
        }
        return at - off;
    }

    /** Why a first byte that is not 3 ends the connection, in terms a user recognises. */
    private static String describeVersion(int version) {
        return switch (version) {
            case 6, 8, 9 -> "encrypted RTMP (RTMPE, first byte " + version + ") is not supported: publish with rtmp://";
            case 'G', 'P', 'H', 'O', 'D' -> "not an RTMP client: it speaks HTTP (first byte '" + (char) version + "')";
            case 0x16 -> "not an RTMP client: it starts a TLS handshake (use rtmp://, not rtmps://)";
            default -> "not an RTMP client: first byte 0x" + Integer.toHexString(version) + " where RTMP sends version 3";
        };
    }
}
