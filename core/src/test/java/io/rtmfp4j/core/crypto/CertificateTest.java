package io.rtmfp4j.core.crypto;

import static io.rtmfp4j.core.crypto.TestVectors.concat;
import static io.rtmfp4j.core.crypto.TestVectors.hex;
import static io.rtmfp4j.core.crypto.TestVectors.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.WireFormatException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CertificateTest {
    static byte[] b4Key() {
        byte[] key = new byte[128];
        for (int i = 0; i < 128; i++) {
            key[i] = (byte) i;
        }
        return key;
    }

    @Test
    void b4PeerIdOfAFlashCertificate() {
        Certificate c = Certificate.flashStatic(b4Key());
        assertThat(c.encoded()).hasSize(132).startsWith(hex("81 02 1d 02 00 01 02"));
        assertThat(c.peerId()).isEqualTo("92c65445965a165c20a21d617353ab3c9bfd87a7cb32fbbc9f6bec750469a97f");
        assertThat(EndpointDiscriminator.canonical(c))
                .isEqualTo(concat(hex("21 0f"), hex("92c65445965a165c20a21d617353ab3c9bfd87a7cb32fbbc9f6bec750469a97f")));
        assertThat(c.isStatic()).isTrue();
        assertThat(c.staticKeys()).containsOnlyKeys(DhGroup.GROUP_2);
        assertThat(c.staticKey(DhGroup.GROUP_2)).hasValueSatisfying(k -> assertThat(k).isEqualTo(b4Key()));
        assertThat(c.supports(DhGroup.GROUP_2)).isTrue();
        assertThat(c.supports(DhGroup.GROUP_14)).isFalse();
        assertThat(c.ephemeralGroups()).isEmpty();
        assertThat(c.hostname()).isEmpty();
        assertThat(c.acceptsAncillaryData()).isFalse();
        assertThat(c.canonicalPart()).isEqualTo(c.encoded());
        assertThat(Certificate.decode(c.encoded())).isEqualTo(c).hasSameHashCodeAs(c);
        assertThatThrownBy(() -> Certificate.flashStatic(new byte[127])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ephemeralLayoutIsRtmfpCpps() {
        byte[] extra = repeat(0x5a, 64);
        Certificate c = Certificate.ephemeral(Optional.of("host"), true,
                List.of(DhGroup.GROUP_16, DhGroup.GROUP_14, DhGroup.GROUP_2), extra);
        assertThat(c.encoded()).isEqualTo(concat(hex("05 00 68 6f 73 74 01 0a 02 15 10 02 15 0e 02 15 02 41 0e"), extra));
        assertThat(c.isStatic()).isFalse();
        assertThat(c.hostname()).contains("host");
        assertThat(c.acceptsAncillaryData()).isTrue();
        assertThat(c.ephemeralGroups()).containsExactly(DhGroup.GROUP_16, DhGroup.GROUP_14, DhGroup.GROUP_2);
        assertThat(c.staticKeys()).isEmpty();
        assertThat(c.supports(DhGroup.GROUP_5)).isFalse();
        assertThat(Certificate.ephemeral(Optional.empty(), false, List.of(DhGroup.GROUP_2), new byte[0]).encoded())
                .isEqualTo(hex("02 15 02 01 0e"));
    }

    @Test
    void decodesFlashEraServerCertificateAndSkipsUnknownGroups() {
        byte[] amf = concat(hex("01 0a 41 0e"), repeat(7, 64), hex("02 15 02 02 15 05 02 15 0e 02 15 63"));
        Certificate c = Certificate.decode(amf);
        assertThat(c.ephemeralGroups()).containsExactly(DhGroup.GROUP_2, DhGroup.GROUP_5, DhGroup.GROUP_14);
        assertThat(c.acceptsAncillaryData()).isTrue();
    }

    @Test
    void canonicalPartEndsAtFirstMarker() {
        byte[] cert = concat(hex("02 15 02 00 03 0f 01 02 00"));
        Certificate c = Certificate.decode(cert);
        assertThat(c.canonicalPart()).isEqualTo(hex("02 15 02 00"));
        assertThat(c.fingerprint()).isEqualTo(Sha256.digest(cert, 0, 4));
        // Options after the marker do not describe the endpoint.
        Certificate withHostAfter = Certificate.decode(hex("02 15 02 00 02 00 61"));
        assertThat(withHostAfter.hostname()).isEmpty();
        assertThat(Certificate.decode(hex("02 15 02 02 15 0e 00 03 1d 02 09")).isStatic()).isFalse();
    }

    @Test
    void rejectsInvalidCertificates() {
        assertThatThrownBy(() -> Certificate.decode(new byte[0])).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> Certificate.decode(hex("01 0a"))).isInstanceOf(WireFormatException.class);
        // both static and ephemeral
        assertThatThrownBy(() -> Certificate.decode(hex("02 15 02 03 1d 02 01"))).isInstanceOf(WireFormatException.class);
        // option running past the end
        assertThatThrownBy(() -> Certificate.decode(hex("05 15 02"))).isInstanceOf(WireFormatException.class);
        // truncated VLU
        assertThatThrownBy(() -> Certificate.decode(hex("02 15 02 81"))).isInstanceOf(WireFormatException.class);
        // a group option without a group VLU
        assertThatThrownBy(() -> Certificate.decode(hex("01 15"))).isInstanceOf(WireFormatException.class);
        // a malformed option after the marker still makes the list invalid (as rtmfp-cpp)
        assertThatThrownBy(() -> Certificate.decode(hex("02 15 02 00 07 01"))).isInstanceOf(WireFormatException.class);
    }

    @Test
    void glareSmallerCertificateWins() {
        Certificate a = Certificate.decode(hex("02 15 02"));
        Certificate b = Certificate.decode(hex("02 15 0e"));
        Certificate prefix = Certificate.decode(hex("02 15 02"));
        Certificate longer = Certificate.decode(hex("02 15 02 01 0a"));
        Certificate high = Certificate.decode(hex("03 15 81 00")); // group 128: unknown, skipped
        Certificate low = Certificate.decode(hex("03 15 02 00"));
        assertThat(Certificate.nearWinsGlare(a, b)).isTrue();
        assertThat(Certificate.nearWinsGlare(b, a)).isFalse();
        assertThat(Certificate.nearWinsGlare(a, prefix)).isTrue(); // equal: far >= near
        assertThat(Certificate.nearWinsGlare(prefix, longer)).isTrue();
        assertThat(Certificate.nearWinsGlare(longer, prefix)).isFalse();
        // unsigned: 0x81 > 0x02
        assertThat(Certificate.nearWinsGlare(low, high)).isTrue();
        assertThat(Certificate.nearWinsGlare(high, low)).isFalse();
    }

    @Test
    void staticCertificateInRtmfpCppLayout() {
        DhKeyPair k16 = DhKeyPair.fromPrivateKey(DhGroup.GROUP_16, repeat(0x35, 60));
        DhKeyPair k2 = DhKeyPair.fromPrivateKey(DhGroup.GROUP_2, repeat(0x53, 28));
        Certificate c = Certificate.withStaticKeys(Optional.of("h"), List.of(k16, k2));
        byte[] pub16 = k16.publicKey();
        byte[] pub2 = k2.publicKey();
        assertThat(c.encoded()).startsWith(hex("02 00 68"));
        assertThat(c.staticKeys()).containsOnlyKeys(DhGroup.GROUP_16, DhGroup.GROUP_2);
        assertThat(c.groups()).containsExactly(DhGroup.GROUP_16, DhGroup.GROUP_2);
        assertThat(c.staticKey(DhGroup.GROUP_16)).hasValueSatisfying(v -> assertThat(v).isEqualTo(pub16));
        assertThat(c.staticKey(DhGroup.GROUP_2)).hasValueSatisfying(v -> assertThat(v).isEqualTo(pub2));
        assertThat(c.hostname()).contains("h");
    }
}
