package io.rtmfp4j.core.crypto;

import static io.rtmfp4j.core.crypto.Identities.RANDOM;
import static io.rtmfp4j.core.crypto.TestVectors.concat;
import static io.rtmfp4j.core.crypto.TestVectors.hex;
import static io.rtmfp4j.core.crypto.TestVectors.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.WireFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlashKeyingTest {
    private static final HandshakeSettings FLASH = HandshakeSettings.flashCompatible();
    private static final HandshakeSettings STRICT = HandshakeSettings.strict();
    /** What AMS, Cumulus and MonaServer advertise. */
    private static final Certificate FLASH_ERA_SERVER = Certificate.decode(
            concat(hex("01 0a 41 0e"), repeat(7, 64), hex("02 15 02 02 15 05 02 15 0e")));

    @Test
    void flashClientSkicTemplate() {
        InitiatorKeying ik = FlashKeying.startInitiator(Identities.flashClient(), FLASH_ERA_SERVER, FLASH, RANDOM);
        byte[] skic = ik.skic();
        assertThat(ik.group()).isEqualTo(DhGroup.GROUP_2);
        assertThat(skic).hasSize(76);
        assertThat(Arrays.copyOfRange(skic, 0, 5)).isEqualTo(hex("02 1d 02 41 0e"));
        assertThat(Arrays.copyOfRange(skic, 69, 76)).isEqualTo(hex("03 1a 02 0a 02 1e 02"));
        // Fresh randomness per session.
        assertThat(FlashKeying.startInitiator(Identities.flashClient(), FLASH_ERA_SERVER, FLASH, RANDOM).skic())
                .isNotEqualTo(skic);
    }

    @Test
    void flashEraServerSkrcTemplate() {
        PeerIdentity server = Identities.server(List.of(DhGroup.GROUP_2));
        PeerIdentity client = Identities.flashClient();
        InitiatorKeying ik = FlashKeying.startInitiator(client, server.certificate(), FLASH, RANDOM);
        ResponderKeying rk = FlashKeying.respond(server, client.certificate(), ik.skic(), FLASH, RANDOM);
        byte[] skrc = rk.skrc();
        assertThat(skrc).hasSize(139);
        assertThat(Arrays.copyOfRange(skrc, 0, 11)).isEqualTo(hex("03 1a 00 00 02 1e 00 81 02 0d 02"));
        assertNoProtection(rk.security());
        SessionSecurity is = ik.finish(skrc);
        assertNoProtection(is);
        assertMirrored(is, rk.security());
    }

    @Test
    void flashStaticPeerSkrcTemplate() {
        PeerIdentity a = Identities.flashClient();
        PeerIdentity b = PeerIdentity.newFlashClient(RANDOM);
        InitiatorKeying ik = FlashKeying.startInitiator(a, b.certificate(), FLASH, RANDOM);
        ResponderKeying rk = FlashKeying.respond(b, a.certificate(), ik.skic(), FLASH, RANDOM);
        byte[] skrc = rk.skrc();
        assertThat(skrc).hasSize(73);
        assertThat(Arrays.copyOfRange(skrc, 0, 9)).isEqualTo(hex("03 1a 00 00 02 1e 00 41 0e"));
        assertMirrored(ik.finish(skrc), rk.security());
    }

    @Test
    void strictResponderAnswersAFlashClient() {
        PeerIdentity server = Identities.server(List.of(DhGroup.GROUP_2));
        PeerIdentity client = Identities.flashClient();
        InitiatorKeying ik = FlashKeying.startInitiator(client, server.certificate(), FLASH, RANDOM);
        ResponderKeying rk = FlashKeying.respond(server, client.certificate(), ik.skic(), STRICT, RANDOM);
        // SND|REQ for both: the Flash client offered SOR, so it can be asked to send.
        assertThat(Arrays.copyOfRange(rk.skrc(), 0, 7)).isEqualTo(hex("03 1a 05 10 02 1e 05"));
        SessionSecurity is = ik.finish(rk.skrc());
        assertThat(is.txHmacLength()).isEqualTo(10);
        assertThat(is.rxHmacLength()).isEqualTo(16);
        assertThat(is.txSseq()).isTrue();
        assertThat(is.rxSseq()).isTrue();
        assertMirrored(is, rk.security());
    }

    @Test
    void tcserverStyleSkrcIsUnderstood() {
        // rtmfp-cpp tcserver: "02 1e 07 03 1a 07 10 81 02 0d 02 <key>" (SOR set, 1e first).
        PeerIdentity client = Identities.flashClient();
        PeerIdentity serverId = Identities.server(List.of(DhGroup.GROUP_2));
        InitiatorKeying ik = FlashKeying.startInitiator(client, serverId.certificate(), FLASH, RANDOM);
        DhKeyPair serverKey = DhKeyPair.generateFullLength(DhGroup.GROUP_2, RANDOM);
        byte[] skrc = concat(hex("02 1e 07 03 1a 07 10 81 02 0d 02"), serverKey.publicKey());
        SessionSecurity is = ik.finish(skrc);
        assertThat(is.txHmacLength()).isEqualTo(10);
        assertThat(is.rxHmacLength()).isEqualTo(16);
        assertThat(is.txSseq() && is.rxSseq()).isTrue();
        byte[] secret = serverKey.agree(client.staticKey(DhGroup.GROUP_2).orElseThrow().publicKey());
        assertThat(is.keys()).isEqualTo(SessionKeys.derive(secret, ik.skic(), skrc));
    }

    static Stream<Arguments> everyCombination() {
        List<Arguments> out = new ArrayList<>();
        HandshakeSettings[] settings = {FLASH, STRICT};
        for (DhGroup g : DhGroup.values()) {
            for (boolean nearStatic : new boolean[] {true, false}) {
                for (boolean farStatic : new boolean[] {true, false}) {
                    for (HandshakeSettings si : settings) {
                        for (HandshakeSettings sr : settings) {
                            out.add(Arguments.of(g, nearStatic, farStatic, si, sr));
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} initiator static={1} responder static={2} {3} / {4}")
    @MethodSource("everyCombination")
    void keyingRoundTrip(DhGroup g, boolean nearStatic, boolean farStatic, HandshakeSettings si, HandshakeSettings sr) {
        // Each side also supports a group the other lacks, so the choice is really made.
        DhGroup decoyI = g == DhGroup.GROUP_2 ? DhGroup.GROUP_5 : DhGroup.GROUP_2;
        DhGroup decoyR = g == DhGroup.GROUP_14 ? DhGroup.GROUP_5 : DhGroup.GROUP_14;
        if (decoyI == decoyR) {
            decoyR = DhGroup.GROUP_14;
        }
        PeerIdentity initiator = Identities.of(nearStatic, List.of(decoyI, g));
        PeerIdentity responder = Identities.of(farStatic, List.of(decoyR, g));
        KeyingFixture.Result r = KeyingFixture.run(initiator, responder, si, sr);
        assertThat(r.initiator().group()).isEqualTo(g);
        assertMirrored(r.initiator(), r.responder());
        KeyingFixture.assertSettingsHonoured(r, si, sr);
        KeyingFixture.assertPacketsFlowBothWays(r);
    }

    @Test
    void initiatorPreferenceDecides() {
        PeerIdentity i = Identities.server(List.of(DhGroup.GROUP_14, DhGroup.GROUP_2, DhGroup.GROUP_5));
        InitiatorKeying ik = FlashKeying.startInitiator(i, FLASH_ERA_SERVER, FLASH, RANDOM);
        assertThat(ik.group()).isEqualTo(DhGroup.GROUP_14);
        // P12: the same identity told to prefer group 2 for Flash-era servers.
        assertThat(FlashKeying.startInitiator(i.withPreference(List.of(DhGroup.GROUP_2)), FLASH_ERA_SERVER, FLASH, RANDOM)
                .group()).isEqualTo(DhGroup.GROUP_2);
        assertThat(ik.skic()).startsWith(hex("82 02 0d 0e"));
    }

    @Test
    void noCommonGroup() {
        PeerIdentity i = Identities.server(List.of(DhGroup.GROUP_16));
        assertThatThrownBy(() -> FlashKeying.startInitiator(i, FLASH_ERA_SERVER, FLASH, RANDOM))
                .isInstanceOf(WireFormatException.class);
    }

    @Test
    void invalidStaticKeyInFarCertificateIsRefusedBeforeIIKeying() {
        Certificate bad = Certificate.decode(concat(hex("81 02 1d 02"), repeat(0xff, 128)));
        assertThatThrownBy(() -> FlashKeying.startInitiator(Identities.server(List.of(DhGroup.GROUP_2)), bad, FLASH, RANDOM))
                .isInstanceOf(WireFormatException.class);
    }

    @Test
    void invalidEphemeralKeysAreRejected() {
        PeerIdentity server = Identities.server(List.of(DhGroup.GROUP_2));
        PeerIdentity eph = Identities.server(List.of(DhGroup.GROUP_2, DhGroup.GROUP_14));
        for (byte[] key : new byte[][] {hex("01"), new byte[0], repeat(0xff, 128), DhKeyPair.minimal(DhGroup.GROUP_2.prime())}) {
            byte[] skic = concat(OptionLists.append(new io.rtmfp4j.core.wire.ByteWriter(), 0x0d,
                    OptionLists.groupValue(2, key)).toByteArray(), hex("03 1a 02 0a 02 1e 02"));
            assertThatThrownBy(() -> FlashKeying.respond(server, eph.certificate(), skic, FLASH, RANDOM))
                    .isInstanceOf(WireFormatException.class);
            byte[] skrc = concat(hex("03 1a 00 00 02 1e 00"), OptionLists.append(new io.rtmfp4j.core.wire.ByteWriter(), 0x0d,
                    OptionLists.groupValue(2, key)).toByteArray());
            InitiatorKeying ik = FlashKeying.startInitiator(Identities.flashClient(), server.certificate(), FLASH, RANDOM);
            assertThatThrownBy(() -> ik.finish(skrc)).isInstanceOf(WireFormatException.class);
        }
    }

    @Test
    void responderRefusesGroupsItDoesNotSupport() {
        PeerIdentity only14 = Identities.server(List.of(DhGroup.GROUP_14));
        PeerIdentity client = Identities.flashClient();
        byte[] skic = FlashKeying.startInitiator(client, FLASH_ERA_SERVER, FLASH, RANDOM).skic(); // group 2
        assertThatThrownBy(() -> FlashKeying.respond(only14, client.certificate(), skic, FLASH, RANDOM))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("do not support");
        // Unknown group in 1d, and a group the static initiator has no key for.
        byte[] unknown = concat(hex("02 1d 63"), Arrays.copyOfRange(skic, 3, skic.length));
        assertThatThrownBy(() -> FlashKeying.respond(Identities.server(List.of(DhGroup.GROUP_2)), client.certificate(),
                unknown, FLASH, RANDOM)).isInstanceOf(WireFormatException.class);
        byte[] g14 = concat(hex("02 1d 0e"), Arrays.copyOfRange(skic, 3, skic.length));
        assertThatThrownBy(() -> FlashKeying.respond(Identities.server(List.of(DhGroup.GROUP_14)), client.certificate(),
                g14, FLASH, RANDOM)).isInstanceOf(WireFormatException.class).hasMessageContaining("no key");
        // A static initiator's skic without the group select option.
        assertThatThrownBy(() -> FlashKeying.respond(Identities.server(List.of(DhGroup.GROUP_2)), client.certificate(),
                hex("03 1a 02 0a 02 1e 02"), FLASH, RANDOM)).isInstanceOf(WireFormatException.class);
    }

    @Test
    void negotiationFailures() {
        PeerIdentity server = Identities.server(List.of(DhGroup.GROUP_2));
        PeerIdentity client = Identities.flashClient();
        byte[] flashSkic = FlashKeying.startInitiator(client, server.certificate(), FLASH, RANDOM).skic();
        // An initiator that offers neither SND nor SOR cannot satisfy a strict responder.
        byte[] stingy = flashSkic.clone();
        stingy[stingy.length - 1] = 0; // 1e flags
        assertThatThrownBy(() -> FlashKeying.respond(server, client.certificate(), stingy, STRICT, RANDOM))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("sequence");
        byte[] noHmac = flashSkic.clone();
        noHmac[noHmac.length - 5] = 0; // 1a flags
        assertThatThrownBy(() -> FlashKeying.respond(server, client.certificate(), noHmac, STRICT, RANDOM))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("HMAC");
        // An HMAC length outside 4..32 when we must check it.
        byte[] shortHmac = flashSkic.clone();
        shortHmac[shortHmac.length - 4] = 3;
        assertThatThrownBy(() -> FlashKeying.respond(server, client.certificate(), shortHmac, STRICT, RANDOM))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("length");
        // Without HMAC required, the length does not matter.
        assertThat(FlashKeying.respond(server, client.certificate(), shortHmac, FLASH, RANDOM).security().rxHmacLength())
                .isZero();

        // Initiator side: strict initiator, responder will send nothing.
        InitiatorKeying strict = FlashKeying.startInitiator(client, server.certificate(), STRICT, RANDOM);
        byte[] key = DhKeyPair.generateFullLength(DhGroup.GROUP_2, RANDOM).publicKey();
        assertThatThrownBy(() -> strict.finish(concat(hex("03 1a 00 00 02 1e 00 81 02 0d 02"), key)))
                .isInstanceOf(WireFormatException.class);
        // Missing negotiation options count as flags 0.
        assertThatThrownBy(() -> strict.finish(concat(hex("81 02 0d 02"), key))).isInstanceOf(WireFormatException.class);
        InitiatorKeying lax = FlashKeying.startInitiator(client, server.certificate(), FLASH, RANDOM);
        assertNoProtection(lax.finish(concat(hex("81 02 0d 02"), key)));
        // skrc with a key for another group, or malformed.
        assertThatThrownBy(() -> lax.finish(concat(hex("81 02 0d 0e"), key))).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> lax.finish(hex("05 1a"))).isInstanceOf(WireFormatException.class);
    }

    @Test
    void finishIsRepeatable() {
        PeerIdentity server = Identities.server(List.of(DhGroup.GROUP_2));
        InitiatorKeying ik = FlashKeying.startInitiator(Identities.flashClient(), server.certificate(), STRICT, RANDOM);
        ResponderKeying rk = FlashKeying.respond(server, Identities.flashClient().certificate(), ik.skic(), STRICT, RANDOM);
        assertThat(ik.finish(rk.skrc())).isEqualTo(ik.finish(rk.skrc()));
    }

    @Test
    void identitiesMayUseHostnames() {
        PeerIdentity s = PeerIdentity.newServer(Optional.of("a.example"), List.of(DhGroup.GROUP_2), RANDOM);
        KeyingFixture.Result r = KeyingFixture.run(Identities.flashClient(), s, STRICT, FLASH);
        assertMirrored(r.initiator(), r.responder());
    }

    @Test
    void aReusedResponderKeyPairKeysEachSessionDifferentlyAndRefusesAReplayedSkic() {
        PeerIdentity server = Identities.server(List.of(DhGroup.GROUP_2));
        PeerIdentity client = Identities.flashClient();
        ResponderKeys keys = new ResponderKeys(new DhKeyReuse(10, java.time.Duration.ofSeconds(60)));
        InitiatorKeying first = FlashKeying.startInitiator(client, server.certificate(), FLASH, RANDOM);
        InitiatorKeying second = FlashKeying.startInitiator(client, server.certificate(), FLASH, RANDOM);
        ResponderKeying r1 = FlashKeying.respond(server, client.certificate(), first.skic(), FLASH, keys, 0, RANDOM);
        ResponderKeying r2 = FlashKeying.respond(server, client.certificate(), second.skic(), FLASH, keys, 1, RANDOM);
        // One key pair: the same skrc, still the Flash-era layout, yet the client's fresh skic
        // makes the sessions' keys differ.
        assertThat(r2.skrc()).isEqualTo(r1.skrc());
        assertThat(Arrays.copyOfRange(r1.skrc(), 0, 11)).isEqualTo(hex("03 1a 00 00 02 1e 00 81 02 0d 02"));
        assertMirrored(first.finish(r1.skrc()), r1.security());
        assertMirrored(second.finish(r2.skrc()), r2.security());
        assertThat(r2.security().keys().encryptKey()).isNotEqualTo(r1.security().keys().encryptKey());
        // A replayed IIKeying would get the first session's keys back: refused.
        assertThatThrownBy(() -> FlashKeying.respond(server, client.certificate(), first.skic(), FLASH, keys, 2, RANDOM))
                .isInstanceOf(WireFormatException.class);
    }

    static void assertNoProtection(SessionSecurity s) {
        assertThat(s.txHmacLength()).isZero();
        assertThat(s.rxHmacLength()).isZero();
        assertThat(s.txSseq()).isFalse();
        assertThat(s.rxSseq()).isFalse();
    }

    static void assertMirrored(SessionSecurity i, SessionSecurity r) {
        assertThat(i.group()).isEqualTo(r.group());
        assertThat(i.keys().encryptKey()).isEqualTo(r.keys().decryptKey());
        assertThat(i.keys().decryptKey()).isEqualTo(r.keys().encryptKey());
        assertThat(i.keys().txHmacKey()).isEqualTo(r.keys().rxHmacKey());
        assertThat(i.keys().rxHmacKey()).isEqualTo(r.keys().txHmacKey());
        assertThat(i.keys().nearNonce()).isEqualTo(r.keys().farNonce());
        assertThat(i.keys().farNonce()).isEqualTo(r.keys().nearNonce());
        assertThat(i.keys().encryptKey()).isNotEqualTo(i.keys().decryptKey());
        assertThat(i.txHmacLength()).isEqualTo(r.rxHmacLength());
        assertThat(i.rxHmacLength()).isEqualTo(r.txHmacLength());
        assertThat(i.txSseq()).isEqualTo(r.rxSseq());
        assertThat(i.rxSseq()).isEqualTo(r.txSseq());
    }
}
