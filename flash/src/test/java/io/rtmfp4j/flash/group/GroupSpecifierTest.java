package io.rtmfp4j.flash.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import org.junit.jupiter.api.Test;

/** Groupspecs built from settings, byte for byte against real samples (netgroup spec §3.1–3.3). */
class GroupSpecifierTest {
    /** librtmfp's README sample. */
    static final String LIBRTMFP = "G:027f0201010103010c050e74657374011b00";
    /** The OSMF "fusion" test: publish password "password", makeUnique, IP multicast 224.0.0.254:33099. */
    static final String OSMF = "G:010121055e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8010c170e"
            + "6f72672e6f736d662e6e65742e6d756c746963617374210e61b67506b6a5f02187ca24fe590388778040fa3a9c23589c58baad"
            + "d097c12657011b00070ae00000fe814b";
    static final String OSMF_UNIQUE = "61b67506b6a5f02187ca24fe590388778040fa3a9c23589c58baadd097c12657";
    /** A RealEyes sample with the publish password "realeyes" in clear. */
    static final String REALEYES = "G:01012105f8cd3b377cf93646b30b07f29cf917d68d63c26ac60af46f0563829280d48fc5010c"
            + "160e666d732e6d756c7469636173742e6578616d706c650009157265616c65796573";
    /** Pure IP multicast, publish password unknown: 239.1.2.3:30000, peerToPeerDisabled. */
    static final String PURE_IP_MULTICAST = "G:0101210513d249f2cb4127b40cfa757866850278793f814ded3c587fe5889e889a7a9f6c"
            + "010d160e666d732e6d756c7469636173742e6578616d706c6500070aef0102037530";

    @Test
    void librtmfpSample() {
        GroupSpecifier s = new GroupSpecifier("test").setMulticastEnabled(true).setPostingEnabled(true)
                .setServerChannelEnabled(true).setIpMulticastMemberUpdatesEnabled(true);
        assertThat(s.groupspecWithAuthorizations()).isEqualTo(LIBRTMFP);
        assertThat(s.groupspecWithoutAuthorizations()).isEqualTo(LIBRTMFP);
        assertThat(s.authorizations()).isEmpty();
        assertThat(s.toString()).isEqualTo(LIBRTMFP);
    }

    @Test
    void osmfSampleWithItsUniqueBytes() {
        GroupSpecifier s = new GroupSpecifier("org.osmf.net.multicast").setMinGroupspecVersion(1)
                .setMulticastEnabled(true).setPublishPassword("password", null).setServerChannelEnabled(true)
                .setIpMulticastMemberUpdatesEnabled(true).makeUnique(Hex.decode(OSMF_UNIQUE))
                .addIPMulticastAddress("224.0.0.254:33099");
        assertThat(s.groupspecWithoutAuthorizations()).isEqualTo(OSMF);
        assertThat(s.authorizations()).isEqualTo("0915" + Hex.encode("password".getBytes()));
        assertThat(s.groupspecWithAuthorizations()).isEqualTo(OSMF + s.authorizations());
    }

    @Test
    void realeyesSampleWithItsAuthorization() {
        GroupSpecifier s = new GroupSpecifier("fms.multicast.example").setMinGroupspecVersion(1)
                .setMulticastEnabled(true).setPublishPassword("realeyes", null).setServerChannelEnabled(true);
        assertThat(s.toString()).isEqualTo(REALEYES);
        assertThat(s.groupspecWithoutAuthorizations()).isEqualTo(REALEYES.substring(0, REALEYES.indexOf("00091")
                + 2));
    }

    @Test
    void everyElementInFlashOrder() {
        String peer = "00".repeat(31) + "ab";
        GroupSpecifier s = new GroupSpecifier("n").setIpMulticastMemberUpdatesEnabled(true).setPeerToPeerDisabled(true)
                .setServerChannelEnabled(true).setPostingPassword("q", null).setPublishPassword("p", null)
                .setPostingEnabled(true).setObjectReplicationEnabled(true).setMulticastEnabled(true)
                .setRoutingEnabled(true).makeUnique(new byte[32]).addBootstrapPeer(peer)
                .addIPMulticastAddress("239.0.0.1", 1, null);
        String digestP = "2105" + Hex.encode(PasswordDigest.of("p".getBytes(), new byte[0]));
        String digestQ = "2107" + Hex.encode(PasswordDigest.of("q".getBytes(), new byte[0]));
        assertThat(s.groupspecWithAuthorizations()).isEqualTo("G:027f02" + "0100" + "0101" + "0102" + "0103" + digestP
                + digestQ + "010c" + "010d" + "020e6e" + "210e" + "00".repeat(32) + "011b" + "00"
                + "070aef0000010001" + "210b" + peer + "021570" + "021771");
    }

    @Test
    void passwordDigestsOfSpecSection32() {
        // SHA-256("password") of the OSMF sample; with a salt: salt, then SHA-256(salt || password).
        assertThat(Hex.encode(PasswordDigest.of("password".getBytes(), new byte[0])))
                .isEqualTo("5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8");
        assertThat(Hex.encode(PasswordDigest.of("password".getBytes(), "salt".getBytes())))
                .isEqualTo("73616c74" + "13601bda4ea78e55a07b98866d2be6be0744e3866f13c00c811cab608a28f322");
        String salted = new GroupSpecifier("x").setPublishPassword("password", "salt").groupspecWithoutAuthorizations();
        assertThat(salted).contains("2505" + "73616c74" + "13601bda4ea78e55a07b98866d2be6be0744e3866f13c00c811cab608a28f322");
        assertThat(new GroupSpecifier("x").setPublishPassword("password", "").toString())
                .isEqualTo(new GroupSpecifier("x").setPublishPassword("password", null).toString());
    }

    @Test
    void nullPasswordClears() {
        GroupSpecifier s = new GroupSpecifier("x").setPostingPassword("a", "b").setPublishPassword("c", null);
        s.setPostingPassword(null, null).setPublishPassword(null, "ignored");
        assertThat(s.toString()).isEqualTo(new GroupSpecifier("x").toString());
    }

    @Test
    void staticEncoders() {
        assertThat(GroupSpecifier.encodePublishAuthorization("realeyes")).isEqualTo("09157265616c65796573");
        assertThat(GroupSpecifier.encodePostingAuthorization("é")).isEqualTo("0317c3a9");
        assertThat(GroupSpecifier.encodeIPMulticastAddressSpec("224.0.0.254:33099")).isEqualTo("070ae00000fe814b");
        assertThat(GroupSpecifier.encodeIPMulticastAddressSpec("[FF0E::1]:30000"))
                .isEqualTo("130a" + "ff0e" + "00".repeat(13) + "01" + "7530");
        assertThat(GroupSpecifier.encodeIPMulticastAddressSpec("ff0e::1", 30000, null))
                .isEqualTo(GroupSpecifier.encodeIPMulticastAddressSpec("[ff0e::1]:30000"));
        // Flash cuts the source off its own encoding (spec §3.1), so it is checked and dropped.
        assertThat(GroupSpecifier.encodeIPMulticastAddressSpec("239.1.2.3", 30000, "10.0.0.1"))
                .isEqualTo("070aef0102037530");
        String peer = "0123456789ABCDEF".repeat(4);
        assertThat(GroupSpecifier.encodeBootstrapPeerIDSpec(peer)).isEqualTo("210b" + peer.toLowerCase());
    }

    @Test
    void versionOneHasNoVersionOption() {
        assertThat(new GroupSpecifier("a").setMinGroupspecVersion(1).toString()).isEqualTo("G:020e6100");
        assertThat(new GroupSpecifier("a").toString()).isEqualTo("G:027f02020e6100");
        assertThat(new GroupSpecifier("a").getMinGroupspecVersion()).isEqualTo(2);
    }

    @Test
    void makeUniqueGivesADifferentGroupEachTime() {
        String a = new GroupSpecifier("a").makeUnique().toString();
        String b = new GroupSpecifier("a").makeUnique().toString();
        assertThat(a).hasSize("G:027f02020e61210e".length() + 64 + 2).isNotEqualTo(b);
        assertThat(GroupSpec.parse(a).groupIdHex()).isNotEqualTo(GroupSpec.parse(b).groupIdHex());
    }

    @Test
    void refusesWhatFlashOrLibrtmfpCouldNotUse() {
        assertThatThrownBy(() -> new GroupSpecifier("")).isInstanceOf(GroupSpecException.class)
                .hasMessageContaining("non-empty");
        assertThat(new GroupSpecifier("é".repeat(63)).toString()).startsWith("G:027f027f0e");
        assertThatThrownBy(() -> new GroupSpecifier("x".repeat(127))).isInstanceOf(GroupSpecException.class)
                .hasMessageContaining("127 UTF-8 bytes, at most 126");
        GroupSpecifier s = new GroupSpecifier("x");
        assertThatThrownBy(() -> s.setMinGroupspecVersion(0)).isInstanceOf(GroupSpecException.class);
        assertThatThrownBy(() -> s.setMinGroupspecVersion(3)).isInstanceOf(GroupSpecException.class);
        assertThatThrownBy(() -> s.setPublishPassword("p", "s".repeat(95))).isInstanceOf(GroupSpecException.class);
        s.setPublishPassword("p", "s".repeat(94));
        for (String bad : new String[] {"10.0.0.1:1935", "224.0.0.1", "224.0.0.1:0", "224.0.0.1:70000",
                "localhost:1935", "example.com:1935", "[ff0e::1%eth0]:1", "256.0.0.1:5", "ff0e::1:5"}) {
            assertThatThrownBy(() -> s.addIPMulticastAddress(bad)).as(bad).isInstanceOf(GroupSpecException.class);
        }
        assertThatThrownBy(() -> s.addIPMulticastAddress("224.0.0.1", 5, "::1")).isInstanceOf(GroupSpecException.class);
        assertThatThrownBy(() -> s.addIPMulticastAddress("deadbeef", 5, null)).isInstanceOf(GroupSpecException.class);
        assertThatThrownBy(() -> s.addBootstrapPeer("abc")).isInstanceOf(GroupSpecException.class);
        assertThatThrownBy(() -> s.addBootstrapPeer("zz".repeat(32))).isInstanceOf(GroupSpecException.class);
        assertThat(s.toString()).isEqualTo(new GroupSpecifier("x").setPublishPassword("p", "s".repeat(94)).toString());
    }
}
