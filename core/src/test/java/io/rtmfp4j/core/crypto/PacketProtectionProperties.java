package io.rtmfp4j.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.WireFormatException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class PacketProtectionProperties {
    private static final SessionKeys I_KEYS = SessionKeys.derive(TestVectors.B2_SECRET, TestVectors.B2_SKIC, TestVectors.B2_SKRC);
    private static final SessionKeys R_KEYS = SessionKeys.derive(TestVectors.B2_SECRET, TestVectors.B2_SKRC, TestVectors.B2_SKIC);

    /** One direction's protection mode: HMAC length (0 = checksum) and whether SSEQ is used. */
    record Mode(int hmacLength, boolean sseq) {
    }

    /** A sender and the receiver that mirrors it. */
    static PacketProtection[] pair(Mode m) {
        PacketProtection tx = PacketProtection.forSession(new SessionSecurity(I_KEYS, m.hmacLength(), 0, m.sseq(), false,
                DhGroup.GROUP_2));
        PacketProtection rx = PacketProtection.forSession(new SessionSecurity(R_KEYS, 0, m.hmacLength(), false, m.sseq(),
                DhGroup.GROUP_2));
        return new PacketProtection[] {tx, rx};
    }

    @Provide
    Arbitrary<Mode> modes() {
        return Combinators.combine(Arbitraries.of(0, 4, 10, 16, 32), Arbitraries.of(true, false))
                .as(Mode::new);
    }

    @Provide
    Arbitrary<Mode> checksumModes() {
        return Arbitraries.of(true, false).map(s -> new Mode(0, s));
    }

    @Provide
    Arbitrary<Mode> hmacModes() {
        return Combinators.combine(Arbitraries.integers().between(4, 32), Arbitraries.of(true, false)).as(Mode::new);
    }

    @Property
    void sealOpenRoundTrip(@ForAll("modes") Mode mode, @ForAll @Size(max = 1300) List<byte[]> packets, @ForAll int ssid) {
        PacketProtection[] p = pair(mode);
        for (byte[] packet : packets) {
            byte[] d = p[0].seal(ssid, packet, 0, packet.length);
            int cleartext = (mode.sseq() ? 1 : 0) + (mode.hmacLength() == 0 ? 2 : 0) + packet.length;
            assertThat(d.length - 4 - mode.hmacLength()).isGreaterThanOrEqualTo(cleartext).isLessThan(cleartext + 16 + 9)
                    .matches(n -> n % 16 == 0);
            assertThat(PacketProtection.unscrambleSsid(d, 0, d.length)).isEqualTo(ssid);
            byte[] opened = p[1].open(d, 0, d.length);
            assertThat(java.util.Arrays.copyOf(opened, packet.length)).isEqualTo(packet);
            for (int i = packet.length; i < opened.length; i++) {
                assertThat(opened[i]).isEqualTo((byte) 0xff);
            }
        }
        assertThat(p[0].sentSequence()).isEqualTo(mode.sseq() ? packets.size() : 0);
    }

    @Property
    void sealOpenRoundTripSurvivesLargeSequenceNumbers(@ForAll("modes") Mode mode, @ForAll @Size(max = 40) byte[] packet,
            @ForAll @IntRange(min = 1, max = 400) int count) {
        PacketProtection[] p = pair(mode);
        for (int n = 0; n < count; n++) {
            byte[] d = p[0].seal(0, packet, 0, packet.length);
            assertThat(java.util.Arrays.copyOf(p[1].open(d, 0, d.length), packet.length)).isEqualTo(packet);
        }
    }

    /** With an HMAC, any change anywhere in the encrypted part or trailer is detected. */
    @Property
    void tamperingIsDetectedWithHmac(@ForAll("hmacModes") Mode mode, @ForAll @Size(max = 200) byte[] packet,
            @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll @IntRange(min = 1, max = 255) int xor) {
        assertTamperingDetected(mode, packet, where, xor);
    }

    /**
     * With only the 16-bit checksum a random corruption passes with probability 2^-16 by design
     * (RFC 7425 §4.5), so this property runs on a fixed seed to stay deterministic.
     */
    @Property(seed = "20240607")
    void tamperingIsDetectedWithChecksum(@ForAll("checksumModes") Mode mode, @ForAll @Size(max = 200) byte[] packet,
            @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll @IntRange(min = 1, max = 255) int xor) {
        assertTamperingDetected(mode, packet, where, xor);
    }

    private static void assertTamperingDetected(Mode mode, byte[] packet, int where, int xor) {
        PacketProtection[] p = pair(mode);
        byte[] d = p[0].seal(0x0a0b0c0d, packet, 0, packet.length);
        int at = where % d.length;
        d[at] ^= (byte) xor;
        if (at < 4) {
            // The scrambled SSID is outside the protected part: a changed SSID routes the datagram
            // to another session (another key), or to none.
            assertThat(PacketProtection.unscrambleSsid(d, 0, d.length)).isNotEqualTo(0x0a0b0c0d);
        } else {
            assertThatThrownBy(() -> p[1].open(d, 0, d.length)).isInstanceOf(WireFormatException.class);
        }
    }

    @Property
    void truncatedOrExtendedDatagramsAreRejected(@ForAll("hmacModes") Mode mode, @ForAll @Size(max = 100) byte[] packet,
            @ForAll @IntRange(min = 1, max = 40) int delta, @ForAll boolean extend) {
        PacketProtection[] p = pair(mode);
        byte[] d = p[0].seal(0, packet, 0, packet.length);
        byte[] changed = extend ? TestVectors.concat(d, new byte[delta]) : java.util.Arrays.copyOf(d, Math.max(0, d.length - delta));
        assertThatThrownBy(() -> p[1].open(changed, 0, changed.length)).isInstanceOf(WireFormatException.class);
    }

    /**
     * Replay protection against a model of rtmfp-cpp's rule: a number is refused if it was accepted
     * before, or if it is at most (highest accepted − 32) once a number above 32 was accepted.
     */
    @Property
    void replayedSequenceNumbersAreRejected(@ForAll @IntRange(min = 0, max = 32) int hmacLength,
            @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 199) Integer> deliveries) {
        Mode mode = new Mode(hmacLength == 0 || hmacLength >= 4 ? hmacLength : 4, true);
        PacketProtection[] p = pair(mode);
        List<byte[]> sent = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            byte[] packet = {(byte) n, (byte) (n >> 8)};
            sent.add(p[0].seal(1, packet, 0, packet.length));
        }
        Set<Long> seen = new HashSet<>();
        long highest = -1;
        for (int seq : deliveries) {
            boolean expectAccept = !seen.contains((long) seq) && !(highest > 32 && seq <= highest - 32);
            byte[] d = sent.get(seq);
            if (expectAccept) {
                assertThat(p[1].open(d, 0, d.length)).startsWith((byte) seq, (byte) (seq >> 8));
                seen.add((long) seq);
                highest = Math.max(highest, seq);
            } else {
                assertThatThrownBy(() -> p[1].open(d, 0, d.length)).isInstanceOf(WireFormatException.class)
                        .hasMessageContaining("replayed");
            }
        }
    }

    @Property(tries = 300)
    void openNeverFailsOtherwiseOnGarbage(@ForAll("modes") Mode mode, @ForAll @Size(max = 120) byte[] garbage) {
        PacketProtection rx = pair(mode)[1];
        try {
            rx.open(garbage, 0, garbage.length);
        } catch (WireFormatException expected) {
            // the only acceptable failure
        }
    }
}
