package io.rtmfp4j.flash.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.wire.Hex;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Whatever the settings, the string means them; whatever the string, nothing but GroupSpecException escapes. */
class GroupSpecProperties {

    record Settings(boolean[] flags, int version, Optional<String> publish, Optional<String> posting,
            Optional<String> salt, boolean unique, List<Integer> ipPorts, List<byte[]> peers, String name) {
    }

    @Provide
    Arbitrary<Settings> settings() {
        Arbitrary<boolean[]> flags = Arbitraries.of(true, false).array(boolean[].class).ofSize(7);
        Arbitrary<Optional<String>> password = Arbitraries.strings().withCharRange(' ', '~').withChars("éß€中").ofMaxLength(40).optional();
        Arbitrary<Optional<String>> salt = Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(20).optional();
        Arbitrary<List<Integer>> ports = Arbitraries.integers().between(1, 65535).list().ofMaxSize(3);
        Arbitrary<List<byte[]>> peers = Arbitraries.bytes().array(byte[].class).ofSize(32).list().ofMaxSize(3);
        Arbitrary<String> name = Arbitraries.strings().withCharRange(' ', '~').withChars("éß€中").ofMinLength(1)
                .ofMaxLength(30);
        return Combinators.combine(flags, Arbitraries.integers().between(1, 2), password, password, salt,
                Arbitraries.of(true, false), ports, peers).flatAs((f, v, pub, post, s, u, p, b) ->
                        name.map(n -> new Settings(f, v, pub, post, s, u, p, b, n)));
    }

    @Property(tries = 300)
    void theStringMeansTheSettings(@ForAll("settings") Settings s) {
        GroupSpecifier g = new GroupSpecifier(s.name()).setMinGroupspecVersion(s.version())
                .setRoutingEnabled(s.flags()[0]).setMulticastEnabled(s.flags()[1])
                .setObjectReplicationEnabled(s.flags()[2]).setPostingEnabled(s.flags()[3])
                .setServerChannelEnabled(s.flags()[4]).setPeerToPeerDisabled(s.flags()[5])
                .setIpMulticastMemberUpdatesEnabled(s.flags()[6])
                .setPublishPassword(s.publish().orElse(null), s.salt().orElse(null))
                .setPostingPassword(s.posting().orElse(null), s.salt().orElse(null));
        if (s.unique()) {
            g.makeUnique();
        }
        for (int port : s.ipPorts()) {
            g.addIPMulticastAddress("239.1.2.3", port, null);
        }
        for (byte[] peer : s.peers()) {
            g.addBootstrapPeer(Hex.encode(peer));
        }
        GroupSpec spec = GroupSpec.parse(g.groupspecWithAuthorizations());
        assertThat(new boolean[] {spec.routingEnabled(), spec.multicastEnabled(), spec.objectReplicationEnabled(),
                spec.postingEnabled(), spec.serverChannelEnabled(), spec.peerToPeerDisabled(),
                spec.ipMulticastMemberUpdatesEnabled()}).isEqualTo(s.flags());
        assertThat(spec.version()).isEqualTo(s.version());
        assertThat(spec.name()).contains(s.name());
        assertThat(spec.publishPassword()).isEqualTo(s.publish());
        assertThat(spec.postingPassword()).isEqualTo(s.posting());
        assertThat(spec.publishDigest().isPresent()).isEqualTo(s.publish().isPresent());
        assertThat(spec.publishAuthorized()).isTrue();
        assertThat(spec.postingAuthorized()).isTrue();
        assertThat(spec.ipMulticastAddresses()).extracting(a -> a.group().getPort()).isEqualTo(s.ipPorts());
        assertThat(spec.bootstrapPeers()).isEqualTo(s.peers().stream().map(Hex::encode).toList());
        GroupSpec without = spec.withoutAuthorizations();
        assertThat(without.text()).isEqualTo(g.groupspecWithoutAuthorizations());
        assertThat(without.groupIdHex()).isEqualTo(spec.groupIdHex());
        assertThat(without.publishAuthorized()).isEqualTo(s.publish().isEmpty());
        assertThat(without.postingAuthorized()).isEqualTo(s.posting().isEmpty());
    }

    @Property(tries = 2000)
    void anyStringParsesOrFailsWithGroupSpecException(@ForAll @StringLength(max = 60) String s) {
        parseAndReadAll(s);
        parseAndReadAll("G:" + s);
    }

    @Property(tries = 3000)
    void anyHexParsesOrFailsWithGroupSpecException(@ForAll @Size(max = 80) byte[] bytes) {
        parseAndReadAll("G:" + Hex.encode(bytes));
    }

    /** Real groupspecs with bytes changed, cut or inserted: close to valid, so deep into the parser. */
    @Property(tries = 3000)
    void mutatedGroupspecsParseOrFailWithGroupSpecException(@ForAll @IntRange(max = 3) int sample,
            @ForAll long seed) {
        String[] samples = {GroupSpecifierTest.LIBRTMFP, GroupSpecifierTest.OSMF, GroupSpecifierTest.REALEYES,
                GroupSpecifierTest.PURE_IP_MULTICAST};
        Random r = new Random(seed);
        byte[] b = Hex.decode(samples[sample].substring(2));
        int edits = 1 + r.nextInt(3);
        for (int i = 0; i < edits; i++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(3)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> b = Arrays.copyOf(b, at);
                default -> b[at] ^= (byte) (1 << r.nextInt(8));
            }
            if (b.length == 0) {
                break;
            }
        }
        parseAndReadAll("G:" + Hex.encode(b));
    }

    private static void parseAndReadAll(String text) {
        GroupSpec spec;
        try {
            spec = GroupSpec.parse(text);
        } catch (GroupSpecException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return;
        }
        // Whatever parsed must be readable without surprises.
        assertThat(spec.identityText()).startsWith("G:");
        assertThat(spec.groupId()).hasSize(32);
        assertThat(spec.version()).isPositive();
        spec.name();
        spec.publishDigest();
        spec.postingDigest();
        spec.ipMulticastAddresses();
        spec.bootstrapPeers();
        spec.publishAuthorized();
        spec.postingAuthorized();
        assertThat(spec.withoutAuthorizations().groupIdHex()).isEqualTo(spec.groupIdHex());
        assertThat(spec.toString()).startsWith(spec.identityText());
    }
}
