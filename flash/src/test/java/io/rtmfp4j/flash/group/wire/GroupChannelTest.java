package io.rtmfp4j.flash.group.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.crypto.Sha256;
import io.rtmfp4j.core.wire.Hex;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class GroupChannelTest {
    static final String GROUP_ID = "763f90e4b524a0e026052bb5696bd143246f26c6eb0b9fa31b0d1ed39a092620";

    @Test
    void readsTheJoinLibrtmfpSends() {
        // netgroup spec §18: the message of the GC flow, group ID of the §3.5 vector.
        byte[] join = Hex.decode("01 21 15" + GROUP_ID);
        assertThat(GroupChannel.parseJoin(join)).contains(GROUP_ID);
        assertThat(GroupChannel.join(Hex.decode(GROUP_ID))).isEqualTo(join);
    }

    @Test
    void readsTheLegacyJoinByHashingTheGroupspec() {
        // Old Flash builds send the groupspec text; servers key the group by its SHA-256 (spec §4.1).
        byte[] text = "G:027f0201010103010c050e74657374011b".getBytes(StandardCharsets.US_ASCII);
        byte[] join = new byte[3 + text.length];
        join[0] = 0x01;
        join[1] = (byte) (text.length + 1);
        join[2] = 0x10;
        System.arraycopy(text, 0, join, 3, text.length);
        assertThat(GroupChannel.parseJoin(join)).contains(Hex.encode(Sha256.digest(text)));
    }

    @Test
    void rejectsWhatIsNotAJoin() {
        assertThat(GroupChannel.parseJoin(new byte[0])).isEmpty();
        assertThat(GroupChannel.parseJoin(Hex.decode("02 21 15" + GROUP_ID))).isEmpty();
        assertThat(GroupChannel.parseJoin(Hex.decode("01 22 15" + GROUP_ID))).isEmpty();
        assertThat(GroupChannel.parseJoin(Hex.decode("01 03 15 0102"))).isEmpty();
    }

    @Property
    void neverThrowsOnGarbage(@ForAll byte[] message) {
        GroupChannel.parseJoin(message);
    }

    @Test
    void announcementIsTypeBThenThePeerId() {
        String peer = "00".repeat(31) + "ff";
        assertThat(Hex.encode(GroupChannel.announcement(peer))).isEqualTo("0b" + peer);
    }

    @Test
    void channelMetadataIsRecognisedByPrefix() {
        assertThat(GroupChannel.isChannel(new byte[] {0x47, 0x43})).isTrue();
        assertThat(GroupChannel.isChannel(new byte[] {0x47, 0x43, 0x01})).isTrue();
        assertThat(GroupChannel.isChannel(new byte[] {0x47, 0x52, 0x1c})).isFalse();
        assertThat(GroupChannel.isChannel(new byte[] {0x47})).isFalse();
    }
}
