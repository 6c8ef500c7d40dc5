package io.rtmfp4j.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.wire.WireFormatException;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class CryptoCodecProperties {
    @Provide
    Arbitrary<Optional<String>> hostnames() {
        return Arbitraries.strings().withCharRange('!', '~').withChars("éß漢").ofMaxLength(300).optional();
    }

    @Provide
    Arbitrary<Optional<byte[]>> optionalBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300).optional();
    }

    @Provide
    Arbitrary<List<DhGroup>> groupLists() {
        return Arbitraries.of(DhGroup.class).list().uniqueElements().ofMinSize(1).ofMaxSize(4);
    }

    @Property
    void endpointDiscriminatorRoundTrip(@ForAll("hostnames") Optional<String> hostname,
            @ForAll("optionalBytes") Optional<byte[]> ancillary, @ForAll("optionalBytes") Optional<byte[]> fingerprint) {
        EndpointDiscriminator epd = new EndpointDiscriminator(hostname, ancillary, fingerprint);
        byte[] encoded = epd.encode();
        EndpointDiscriminator back = EndpointDiscriminator.decode(encoded);
        assertThat(back).isEqualTo(epd).hasSameHashCodeAs(epd);
        assertThat(back.encode()).isEqualTo(encoded);
    }

    @Property
    void ephemeralCertificateRoundTrip(@ForAll("hostnames") Optional<String> hostname, @ForAll boolean ancillary,
            @ForAll("groupLists") List<DhGroup> groups, @ForAll @Size(max = 200) byte[] extra) {
        Certificate c = Certificate.ephemeral(hostname, ancillary, groups, extra);
        Certificate back = Certificate.decode(c.encoded());
        assertThat(back).isEqualTo(c);
        assertThat(back.hostname()).isEqualTo(hostname);
        assertThat(back.acceptsAncillaryData()).isEqualTo(ancillary);
        assertThat(back.ephemeralGroups()).isEqualTo(groups);
        assertThat(back.isStatic()).isFalse();
        assertThat(back.fingerprint()).isEqualTo(Sha256.digest(c.encoded(), 0, c.length()));
        // The canonical EPD and a hostname EPD select it.
        assertThat(EndpointDiscriminator.decode(EndpointDiscriminator.canonical(c)).selects(back)).isTrue();
        hostname.ifPresent(h -> assertThat(new EndpointDiscriminator(Optional.of(h), Optional.empty(), Optional.empty())
                .selects(back)).isTrue());
    }

    @Property
    void staticCertificateRoundTrip(@ForAll @Size(min = 1, max = 4) List<@Size(min = 1, max = 600) byte[]> keys,
            @ForAll("hostnames") Optional<String> hostname) {
        // Any key bytes encode; validity is checked only when keying.
        io.rtmfp4j.core.wire.ByteWriter w = new io.rtmfp4j.core.wire.ByteWriter();
        hostname.ifPresent(h -> OptionLists.append(w, 0x00, h.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        List<DhGroup> groups = List.of(DhGroup.GROUP_2, DhGroup.GROUP_5, DhGroup.GROUP_14, DhGroup.GROUP_16);
        for (int i = 0; i < keys.size(); i++) {
            OptionLists.append(w, 0x1d, OptionLists.groupValue(groups.get(i).id(), keys.get(i)));
        }
        Certificate c = Certificate.decode(w.toByteArray());
        assertThat(c.isStatic()).isTrue();
        assertThat(c.groups()).isEqualTo(groups.subList(0, keys.size()));
        for (int i = 0; i < keys.size(); i++) {
            assertThat(c.staticKey(groups.get(i))).hasValueSatisfying(k -> assertThat(k).isNotEmpty());
        }
        assertThat(Certificate.decode(c.encoded())).isEqualTo(c);
    }

    @Property
    void decodersOnlyEverThrowWireFormatException(@ForAll @Size(max = 200) byte[] junk) {
        try {
            Certificate c = Certificate.decode(junk);
            assertThat(c.isStatic() ? c.staticKeys() : c.ephemeralGroups()).isNotNull();
        } catch (WireFormatException expected) {
            // fine
        }
        try {
            EndpointDiscriminator.decode(junk).selects(Certificate.flashStatic(CertificateTest.b4Key()));
        } catch (WireFormatException expected) {
            // fine
        }
    }
}
