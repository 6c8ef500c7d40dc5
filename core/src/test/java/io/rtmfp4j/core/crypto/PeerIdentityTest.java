package io.rtmfp4j.core.crypto;

import static io.rtmfp4j.core.crypto.Identities.RANDOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerIdentityTest {
    @Test
    void flashClientIdentity() {
        PeerIdentity id = PeerIdentity.newFlashClient(RANDOM);
        byte[] cert = id.certificate().encoded();
        assertThat(cert).hasSize(Certificate.FLASH_STATIC_LENGTH).startsWith(0x81, 0x02, 0x1d, 0x02);
        // B.4: the peer ID covers all 132 bytes, option header included.
        assertThat(id.certificate().fingerprint()).isEqualTo(Sha256.digest(cert, 0, 132));
        assertThat(id.preference()).containsExactly(DhGroup.GROUP_2);
        assertThat(id.staticKey(DhGroup.GROUP_2)).isPresent();
        assertThat(id.isStatic()).isTrue();
    }

    @Test
    void serverIdentity() {
        PeerIdentity id = PeerIdentity.newServer(Optional.of("h"), List.of(DhGroup.GROUP_14, DhGroup.GROUP_2), RANDOM);
        assertThat(id.certificate().acceptsAncillaryData()).isTrue();
        assertThat(id.certificate().hostname()).contains("h");
        assertThat(id.preference()).containsExactly(DhGroup.GROUP_14, DhGroup.GROUP_2);
        assertThat(id.staticKey(DhGroup.GROUP_2)).isEmpty();
        // hostname, accepts ancillary data, two groups, 8 bytes of extra randomness.
        assertThat(id.certificate().length()).isEqualTo(3 + 2 + 3 + 3 + 10);
    }

    @Test
    void storeAndLoadRoundTrip() {
        for (PeerIdentity id : List.of(PeerIdentity.newFlashClient(RANDOM),
                Identities.staticPeer(List.of(DhGroup.GROUP_14, DhGroup.GROUP_2)).withPreference(List.of(DhGroup.GROUP_2)),
                Identities.server(List.of(DhGroup.GROUP_2, DhGroup.GROUP_5)))) {
            String text = id.store();
            assertThat(text).contains("rtmfp4j-identity 1", id.certificate().peerId());
            PeerIdentity back = PeerIdentity.load(text);
            assertThat(back).isEqualTo(id);
            assertThat(back.preference()).isEqualTo(id.preference());
            assertThat(back.certificate().peerId()).isEqualTo(id.certificate().peerId());
            assertThat(PeerIdentity.load(text.replace("\n", "\r\n"))).isEqualTo(id);
        }
    }

    @Test
    void loadRejectsBadInput() {
        PeerIdentity id = PeerIdentity.newFlashClient(RANDOM);
        String good = id.store();
        assertThatThrownBy(() -> PeerIdentity.load("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PeerIdentity.load("hello\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PeerIdentity.load(good.replaceAll("dh-private-key.*\n", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no private key");
        assertThatThrownBy(() -> PeerIdentity.load(good.replaceAll("(dh-private-key 2 )..", "$1ff")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PeerIdentity.load(good.replace("certificate 8102", "certificate 0502")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PeerIdentity.load(good + "colour blue\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PeerIdentity.load(good.replace("preference 2", "preference 14")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ofChecksKeysAgainstTheCertificate() {
        PeerIdentity a = PeerIdentity.newFlashClient(RANDOM);
        DhKeyPair other = DhKeyPair.generateFlashStatic(RANDOM);
        assertThatThrownBy(() -> PeerIdentity.of(a.certificate(), List.of(other))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PeerIdentity.of(Identities.server(List.of(DhGroup.GROUP_2)).certificate(), List.of(other)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PeerIdentity.of(Certificate.flashStatic(other.publicKey()), List.of(other)).staticKey(DhGroup.GROUP_2))
                .contains(other);
        assertThatThrownBy(() -> a.withPreference(List.of(DhGroup.GROUP_14))).isInstanceOf(IllegalArgumentException.class);
    }
}
