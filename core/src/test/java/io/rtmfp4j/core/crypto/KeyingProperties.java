package io.rtmfp4j.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.WireFormatException;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class KeyingProperties {
    /** Groups without 4096, whose exponentiations are too slow for many tries. */
    private static final List<DhGroup> FAST = List.of(DhGroup.GROUP_2, DhGroup.GROUP_5, DhGroup.GROUP_14);

    @Provide
    Arbitrary<List<DhGroup>> fastGroupLists() {
        return Arbitraries.of(FAST).list().uniqueElements().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<HandshakeSettings> settings() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.integers().between(4, 32), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as(HandshakeSettings::new);
    }

    /**
     * The initiator picks the first group of its preference that the responder supports; both ends
     * then derive mirrored keys and flags, whatever either end's settings.
     */
    @Property(tries = 60)
    void keyingRoundTripOverGroupChoices(@ForAll boolean initiatorStatic, @ForAll boolean responderStatic,
            @ForAll("fastGroupLists") List<DhGroup> initiatorGroups, @ForAll("fastGroupLists") List<DhGroup> responderGroups,
            @ForAll("settings") HandshakeSettings si, @ForAll("settings") HandshakeSettings sr) {
        PeerIdentity i = Identities.of(initiatorStatic, initiatorGroups);
        PeerIdentity r = Identities.of(responderStatic, responderGroups);
        Optional<DhGroup> expected = initiatorGroups.stream().filter(responderGroups::contains).findFirst();
        if (expected.isEmpty()) {
            assertThatThrownBy(() -> FlashKeying.startInitiator(i, r.certificate(), si, Identities.RANDOM))
                    .isInstanceOf(WireFormatException.class);
            return;
        }
        KeyingFixture.Result result = KeyingFixture.run(i, r, si, sr);
        assertThat(result.initiator().group()).isEqualTo(expected.get());
        FlashKeyingTest.assertMirrored(result.initiator(), result.responder());
        KeyingFixture.assertSettingsHonoured(result, si, sr);
        KeyingFixture.assertPacketsFlowBothWays(result);
    }

    /** The 4096-bit group: few tries, its exponentiations are slow. */
    @Property(tries = 4)
    void keyingRoundTripIn4096BitGroup(@ForAll boolean initiatorStatic, @ForAll boolean responderStatic,
            @ForAll("settings") HandshakeSettings si, @ForAll("settings") HandshakeSettings sr) {
        List<DhGroup> g = List.of(DhGroup.GROUP_16, DhGroup.GROUP_2);
        KeyingFixture.Result result = KeyingFixture.run(Identities.of(initiatorStatic, g),
                Identities.of(responderStatic, List.of(DhGroup.GROUP_16)), si, sr);
        assertThat(result.initiator().group()).isEqualTo(DhGroup.GROUP_16);
        FlashKeyingTest.assertMirrored(result.initiator(), result.responder());
    }

    /** Every combination of the four flags on each side, for every kind of identity pair. */
    @Test
    void everySettingsCombinationNegotiatesMirroredFlags() {
        List<DhGroup> g2 = List.of(DhGroup.GROUP_2);
        for (int a = 0; a < 16; a++) {
            for (int b = 0; b < 16; b++) {
                HandshakeSettings si = fromBits(a, 10);
                HandshakeSettings sr = fromBits(b, 16);
                for (int kinds = 0; kinds < 4; kinds++) {
                    PeerIdentity i = (kinds & 1) != 0 ? Identities.flashClient() : Identities.server(g2);
                    PeerIdentity r = (kinds & 2) != 0 ? Identities.staticPeer(g2) : Identities.server(g2);
                    KeyingFixture.Result result = KeyingFixture.run(i, r, si, sr);
                    FlashKeyingTest.assertMirrored(result.initiator(), result.responder());
                    KeyingFixture.assertSettingsHonoured(result, si, sr);
                }
            }
        }
    }

    private static HandshakeSettings fromBits(int bits, int hmacLength) {
        return new HandshakeSettings((bits & 1) != 0, (bits & 2) != 0, hmacLength, (bits & 4) != 0, (bits & 8) != 0);
    }

    /** Arbitrary keying components only ever fail with WireFormatException. */
    @Property(tries = 300)
    void garbageKeyingComponentsAreRejectedCleanly(@ForAll @Size(max = 200) byte[] junk, @ForAll boolean asSkic) {
        PeerIdentity server = Identities.server(List.of(DhGroup.GROUP_2));
        PeerIdentity client = Identities.flashClient();
        try {
            if (asSkic) {
                FlashKeying.respond(server, client.certificate(), junk, HandshakeSettings.flashCompatible(), Identities.RANDOM);
            } else {
                FlashKeying.startInitiator(client, server.certificate(), HandshakeSettings.strict(), Identities.RANDOM)
                        .finish(junk);
            }
        } catch (WireFormatException expected) {
            // fine
        }
    }
}
