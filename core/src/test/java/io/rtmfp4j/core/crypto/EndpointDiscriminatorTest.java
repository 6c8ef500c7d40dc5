package io.rtmfp4j.core.crypto;

import static io.rtmfp4j.core.crypto.TestVectors.concat;
import static io.rtmfp4j.core.crypto.TestVectors.hex;
import static io.rtmfp4j.core.crypto.TestVectors.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EndpointDiscriminatorTest {
    private static final Certificate SERVER = Certificate.ephemeral(Optional.of("example.org"), true,
            List.of(DhGroup.GROUP_2), repeat(1, 64));
    private static final Certificate PEER = Certificate.flashStatic(CertificateTest.b4Key());

    @Test
    void serverUriEncodingFromTheSpec() {
        EndpointDiscriminator epd = EndpointDiscriminator.forServerUri("rtmfp://127.0.0.1/live");
        assertThat(epd.encode()).isEqualTo(hex("17 0a 72 74 6d 66 70 3a 2f 2f 31 32 37 2e 30 2e 30 2e 31 2f 6c 69 76 65"));
        assertThat(EndpointDiscriminator.decode(epd.encode())).isEqualTo(epd);
    }

    @Test
    void peerEpdIsTheCanonicalEpd() {
        EndpointDiscriminator epd = EndpointDiscriminator.forPeer(PEER.fingerprint());
        assertThat(epd.encode()).hasSize(34).isEqualTo(EndpointDiscriminator.canonical(PEER));
        assertThat(epd.selects(PEER)).isTrue();
        assertThat(epd.selects(SERVER)).isFalse();
        assertThatThrownBy(() -> EndpointDiscriminator.forPeer(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fingerprintFirstThenAncillaryThenHostname() {
        EndpointDiscriminator epd = new EndpointDiscriminator(Optional.of("h"),
                Optional.of("u".getBytes(StandardCharsets.UTF_8)), Optional.of(repeat(3, 32)));
        assertThat(epd.encode()).isEqualTo(concat(hex("21 0f"), repeat(3, 32), hex("02 0a 75 02 00 68")));
    }

    @Test
    void selectionRules() {
        byte[] uri = "rtmfp://x/app".getBytes(StandardCharsets.UTF_8);
        var ancillary = new EndpointDiscriminator(Optional.empty(), Optional.of(uri), Optional.empty());
        var host = new EndpointDiscriminator(Optional.of("example.org"), Optional.empty(), Optional.empty());
        var wrongHost = new EndpointDiscriminator(Optional.of("example.com"), Optional.empty(), Optional.empty());
        var both = new EndpointDiscriminator(Optional.of("example.org"), Optional.of(uri), Optional.empty());
        var none = new EndpointDiscriminator(Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(ancillary.selects(SERVER)).isTrue();
        assertThat(ancillary.selects(PEER)).isFalse(); // peers do not accept ancillary data
        assertThat(host.selects(SERVER)).isTrue();
        assertThat(host.selects(PEER)).isFalse();
        assertThat(wrongHost.selects(SERVER)).isFalse();
        assertThat(both.selects(SERVER)).isTrue();
        assertThat(none.selects(SERVER)).isFalse();
        assertThat(none.isEmpty()).isTrue();
        // P29: a fingerprint overrides the other criteria, both ways.
        var fpWithWrongHost = new EndpointDiscriminator(Optional.of("nope"), Optional.empty(),
                Optional.of(SERVER.fingerprint()));
        assertThat(fpWithWrongHost.selects(SERVER)).isTrue();
        var otherFpRightHost = new EndpointDiscriminator(Optional.of("example.org"), Optional.of(uri),
                Optional.of(PEER.fingerprint()));
        assertThat(otherFpRightHost.selects(SERVER)).isFalse();
        var shortFp = new EndpointDiscriminator(Optional.empty(), Optional.empty(), Optional.of(new byte[3]));
        assertThat(shortFp.selects(SERVER)).isFalse();
    }

    @Test
    void decodeSkipsUnknownOptionsAndMarkersAndRejectsMalformedLists() {
        var epd = EndpointDiscriminator.decode(hex("00 02 0a 75 03 7e 01 02 00 02 00 68"));
        assertThat(epd.hostname()).contains("h");
        assertThat(epd.ancillaryData()).hasValueSatisfying(a -> assertThat(a).isEqualTo(hex("75")));
        assertThat(epd.fingerprint()).isEmpty();
        assertThat(EndpointDiscriminator.decode(new byte[0]).isEmpty()).isTrue();
        assertThatThrownBy(() -> EndpointDiscriminator.decode(hex("05 0a 75"))).isInstanceOf(WireFormatException.class);
        // Last occurrence wins, as rtmfp-cpp.
        assertThat(EndpointDiscriminator.decode(hex("02 00 61 02 00 62")).hostname()).contains("b");
    }

    @Test
    void equalityAndCopiesByContent() {
        byte[] a = {1, 2};
        var e1 = new EndpointDiscriminator(Optional.empty(), Optional.of(a), Optional.empty());
        var e2 = new EndpointDiscriminator(Optional.empty(), Optional.of(new byte[] {1, 2}), Optional.empty());
        a[0] = 9;
        assertThat(e1).isEqualTo(e2).hasSameHashCodeAs(e2);
        e1.ancillaryData().get()[0] = 9;
        assertThat(e1).isEqualTo(e2);
        assertThat(e1.toString()).contains("ancillary");
    }
}
