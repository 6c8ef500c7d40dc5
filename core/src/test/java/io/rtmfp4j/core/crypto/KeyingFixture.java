package io.rtmfp4j.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

/** Runs a complete keying exchange between two identities and checks its outcome. */
final class KeyingFixture {
    private KeyingFixture() {
    }

    record Result(SessionSecurity initiator, SessionSecurity responder, byte[] skic, byte[] skrc) {
    }

    static Result run(PeerIdentity initiator, PeerIdentity responder, HandshakeSettings si, HandshakeSettings sr) {
        InitiatorKeying ik = FlashKeying.startInitiator(initiator, responder.certificate(), si, Identities.RANDOM);
        ResponderKeying rk = FlashKeying.respond(responder, initiator.certificate(), ik.skic(), sr, Identities.RANDOM);
        SessionSecurity is = ik.finish(rk.skrc());
        return new Result(is, rk.security(), ik.skic(), rk.skrc());
    }

    /** Whatever an end asked for, it gets (our ends always offer to send on request). */
    static void assertSettingsHonoured(Result r, HandshakeSettings si, HandshakeSettings sr) {
        check(r.initiator(), si);
        check(r.responder(), sr);
    }

    private static void check(SessionSecurity s, HandshakeSettings wanted) {
        if (wanted.hmacSendAlways()) {
            assertThat(s.txHmacLength()).isEqualTo(wanted.hmacLength());
        }
        if (wanted.hmacRequire()) {
            assertThat(s.rxHmacLength()).isPositive();
        }
        if (wanted.sseqSendAlways()) {
            assertThat(s.txSseq()).isTrue();
        }
        if (wanted.sseqRequire()) {
            assertThat(s.rxSseq()).isTrue();
        }
        assertThat(s.txHmacLength()).isIn(0, wanted.hmacLength());
    }

    static void assertPacketsFlowBothWays(Result r) {
        PacketProtection i = PacketProtection.forSession(r.initiator());
        PacketProtection s = PacketProtection.forSession(r.responder());
        byte[] ping = "ping from initiator".getBytes(StandardCharsets.US_ASCII);
        byte[] pong = "pong".getBytes(StandardCharsets.US_ASCII);
        for (int n = 0; n < 3; n++) {
            byte[] d = i.seal(0x01020304, ping, 0, ping.length);
            assertThat(PacketProtection.unscrambleSsid(d, 0, d.length)).isEqualTo(0x01020304);
            assertThat(s.open(d, 0, d.length)).startsWith(ping);
            byte[] e = s.seal(7, pong, 0, pong.length);
            assertThat(i.open(e, 0, e.length)).startsWith(pong);
        }
    }
}
