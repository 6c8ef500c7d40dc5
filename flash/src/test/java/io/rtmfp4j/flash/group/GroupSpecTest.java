package io.rtmfp4j.flash.group;

import static io.rtmfp4j.flash.group.GroupSpecifierTest.LIBRTMFP;
import static io.rtmfp4j.flash.group.GroupSpecifierTest.OSMF;
import static io.rtmfp4j.flash.group.GroupSpecifierTest.PURE_IP_MULTICAST;
import static io.rtmfp4j.flash.group.GroupSpecifierTest.REALEYES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing real groupspecs (netgroup spec §3.3–3.5). */
class GroupSpecTest {

    @Test
    void groupIdsOfSection35() {
        GroupSpec v2 = GroupSpec.parse(LIBRTMFP);
        assertThat(v2.identityText()).isEqualTo("G:027f0201010103010c050e74657374011b");
        assertThat(v2.groupIdHex()).isEqualTo("763f90e4b524a0e026052bb5696bd143246f26c6eb0b9fa31b0d1ed39a092620");
        assertThat(Hex.encode(v2.groupId())).isEqualTo(v2.groupIdHex());
        assertThat(GroupSpec.parse(OSMF).groupIdHex())
                .isEqualTo("daab97d343c073793be3b1e408ea9bb25db559b53b4ce1728c6dede50e541de9");
        assertThat(GroupSpec.parse(REALEYES).groupIdHex())
                .isEqualTo("d5b23dda058c883c215b23ff09c959540009a843327c5bdf85aa517ae19cb3ec");
    }

    @Test
    void onlyTheByte02MakesADoubleHash() {
        // librtmfp's rule (spec §3.4 rule 5): VLU 2 written in two bytes, or a version 3, hash once.
        GroupSpec longTwo = GroupSpec.parse("G:037f8002050e7465737400");
        assertThat(longTwo.version()).isEqualTo(2);
        assertThat(longTwo.groupIdHex()).isEqualTo("b3af65fff48849bcf8475f950dad63c0129b9b77640cf6b86254c326cfcbe8b0");
        GroupSpec three = GroupSpec.parse("G:027f03050e7465737400");
        assertThat(three.version()).isEqualTo(3);
        assertThat(three.groupIdHex()).isEqualTo("66d54faf250c0a1ec97eb2aa5644188535a85e6533f4f30748cf4a967ace582d");
        assertThat(GroupSpec.parse("G:027f02050e7465737400").groupIdHex())
                .isEqualTo("9511875e63f9bd8f96b6ff24d7483aca1b43a01253687f297163674db4137183");
        assertThat(GroupSpec.parse("G:050e7465737400").version()).isEqualTo(1);
    }

    @Test
    void capabilitiesAndName() {
        GroupSpec s = GroupSpec.parse(LIBRTMFP);
        assertThat(s.version()).isEqualTo(2);
        assertThat(s.multicastEnabled()).isTrue();
        assertThat(s.postingEnabled()).isTrue();
        assertThat(s.serverChannelEnabled()).isTrue();
        assertThat(s.ipMulticastMemberUpdatesEnabled()).isTrue();
        assertThat(s.routingEnabled()).isFalse();
        assertThat(s.objectReplicationEnabled()).isFalse();
        assertThat(s.peerToPeerDisabled()).isFalse();
        assertThat(s.name()).contains("test");
        assertThat(s.publishDigest()).isEmpty();
        assertThat(s.publishAuthorized()).isTrue();
        assertThat(s.postingAuthorized()).isTrue();
        assertThat(s.ipMulticastAddresses()).isEmpty();
        assertThat(s.bootstrapPeers()).isEmpty();
    }

    @Test
    void optionsInAnyOrder() {
        // librtmfp's test script puts routing (0100) after multicast, out of Flash's order (spec §3.3).
        GroupSpec s = GroupSpec.parse("G:027f02010101000103010c050e74657374011b00");
        assertThat(s.routingEnabled()).isTrue();
        assertThat(s.multicastEnabled()).isTrue();
        assertThat(s.name()).contains("test");
    }

    @Test
    void osmfSample() {
        GroupSpec s = GroupSpec.parse(OSMF);
        assertThat(s.version()).isEqualTo(1);
        assertThat(s.name()).contains("org.osmf.net.multicast");
        assertThat(s.publishDigest().map(Hex::encode))
                .contains("5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8");
        assertThat(s.ipMulticastAddresses()).containsExactly(
                new IpMulticastAddress(new InetSocketAddress("224.0.0.254", 33099), Optional.empty()));
        assertThat(s.publishAuthorized()).isFalse();
        assertThat(GroupSpec.parse(OSMF + GroupSpecifier.encodePublishAuthorization("password")).publishAuthorized())
                .isTrue();
        assertThat(GroupSpec.parse(OSMF + GroupSpecifier.encodePublishAuthorization("Password")).publishAuthorized())
                .isFalse();
    }

    @Test
    void pureIpMulticastSample() {
        GroupSpec s = GroupSpec.parse(PURE_IP_MULTICAST);
        assertThat(s.peerToPeerDisabled()).isTrue();
        assertThat(s.serverChannelEnabled()).isFalse();
        assertThat(s.name()).contains("fms.multicast.example");
        assertThat(s.ipMulticastAddresses()).extracting(IpMulticastAddress::group)
                .containsExactly(new InetSocketAddress("239.1.2.3", 30000));
        assertThat(s.publishAuthorized()).isFalse();
    }

    @Test
    void authorizationsDoNotChangeTheGroup() {
        GroupSpec with = GroupSpec.parse(REALEYES);
        assertThat(with.publishPassword()).contains("realeyes");
        assertThat(with.publishAuthorized()).isTrue();
        GroupSpec without = with.withoutAuthorizations();
        assertThat(without.text()).isEqualTo(REALEYES.substring(0, REALEYES.length() - 20));
        assertThat(without.publishPassword()).isEmpty();
        assertThat(without.publishAuthorized()).isFalse();
        assertThat(without.groupIdHex()).isEqualTo(with.groupIdHex());
        assertThat(with.toString()).isEqualTo(without.text()).doesNotContain(Hex.encode("realeyes".getBytes()));
    }

    @Test
    void saltedPostingPassword() {
        GroupSpecifier specifier = new GroupSpecifier("g").setPostingEnabled(true).setPostingPassword("secret", "pepper");
        GroupSpec s = GroupSpec.parse(specifier.groupspecWithAuthorizations());
        assertThat(s.postingPassword()).contains("secret");
        assertThat(s.postingAuthorized()).isTrue();
        assertThat(s.publishAuthorized()).isTrue();
        GroupSpec wrong = GroupSpec.parse(specifier.groupspecWithoutAuthorizations()
                + GroupSpecifier.encodePostingAuthorization("pepper"));
        assertThat(wrong.postingAuthorized()).isFalse();
        // A digest shorter than a hash can match no password.
        assertThat(GroupSpec.parse("G:0307abcd00021778").postingAuthorized()).isFalse();
    }

    @Test
    void extrasWithSourcesAndBootstrapPeers() throws Exception {
        String peer = "ab".repeat(32);
        GroupSpec s = GroupSpec.parse("G:020e6100" + "0b0aef010203753001020304" + "230aff0e" + "00".repeat(13) + "01"
                + "7530" + "fe80" + "00".repeat(13) + "05" + "210b" + peer + "03990102");
        assertThat(s.ipMulticastAddresses()).containsExactly(
                new IpMulticastAddress(new InetSocketAddress("239.1.2.3", 30000),
                        Optional.of(InetAddress.getByName("1.2.3.4"))),
                new IpMulticastAddress(new InetSocketAddress("ff0e::1", 30000),
                        Optional.of(InetAddress.getByName("fe80::5"))));
        assertThat(s.bootstrapPeers()).containsExactly(peer);
        assertThat(s.withoutAuthorizations().ipMulticastAddresses()).isEqualTo(s.ipMulticastAddresses());
    }

    @Test
    void hexCaseIsKeptForTheGroupId() {
        String upper = "G:" + LIBRTMFP.substring(2).toUpperCase(Locale.ROOT);
        GroupSpec s = GroupSpec.parse(upper);
        assertThat(s.identityText()).isEqualTo(upper.substring(0, upper.length() - 2));
        assertThat(s.name()).contains("test");
        assertThat(s.groupIdHex()).isNotEqualTo(GroupSpec.parse(LIBRTMFP).groupIdHex());
    }

    @Test
    void rejectsMalformedGroupspecsWithAClearMessage() {
        List<String[]> cases = List.of(
                new String[] {"", "starts with \"G:\""},
                new String[] {"g:020e6100", "starts with \"G:\""},
                new String[] {"G:020e610", "pairs of hex digits"},
                new String[] {"G:020e61 00", "pairs of hex digits"},
                new String[] {"G:", "without the 00"},
                new String[] {"G:020e61", "without the 00"},
                new String[] {"G:050e61", "without the 00"},
                new String[] {"G:020e6100050a01", "malformed option after"},
                new String[] {"G:027f02027f0200", "version 2 times"},
                new String[] {"G:017f00", "malformed groupspec version"},
                new String[] {"G:037f808000", "malformed groupspec version"},
                new String[] {"G:00040a010203", "6, 10, 18 or 34 bytes"},
                new String[] {"G:00070a0a000001abcd", "not an IP multicast address"},
                new String[] {"G:00030b0102", "32-byte peer ID"});
        for (String[] c : cases) {
            assertThatThrownBy(() -> GroupSpec.parse(c[0])).as(c[0]).isInstanceOf(GroupSpecException.class)
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void minimalGroupspecs() {
        GroupSpec empty = GroupSpec.parse("G:00");
        assertThat(empty.name()).isEmpty();
        assertThat(empty.identityText()).isEqualTo("G:");
        assertThat(GroupSpec.parse("G:00").equals(GroupSpec.parse("G:00"))).isTrue();
        assertThat(GroupSpec.parse("G:00").hashCode()).isEqualTo("G:00".hashCode());
        // Unknown options are ignored; an unknown identity option still makes the group.
        GroupSpec unknown = GroupSpec.parse("G:02600100035001020000");
        assertThat(unknown.identityText()).isEqualTo("G:026001");
    }
}
