package io.rtmfp4j.flash.group.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.group.ReceiveMode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The group connect, begin and disconnect messages of netgroup spec §5.2, §5.3, §5.5. */
class GroupConnectTest {
    static final String GROUP_ID = "763f90e4b524a0e026052bb5696bd143246f26c6eb0b9fa31b0d1ed39a092620";
    static final String KEY = "11".repeat(32);
    static final String RECEIVER = "0123456789abcdef".repeat(4);

    private static String expected() {
        return "01" + "4100" + Hex.encode(GROUP_ID.getBytes(StandardCharsets.US_ASCII)) + "2101" + KEY + "2303" + "210f"
                + RECEIVER;
    }

    @Test
    void bytesOfTheLibrtmfpCapture() {
        // Spec §18: "01 41 00 "763f90e4…" 21 01 <key> 23 03 21 0F <receiver's peer ID>" in a chunk of
        // length 0x93: 4 bytes of flow header, 6 of options, 137 of message.
        GroupConnect c = new GroupConnect(GROUP_ID, Hex.decode(KEY), RECEIVER);
        assertThat(Hex.encode(c.encode())).isEqualTo(expected());
        assertThat(c.encode()).hasSize(0x93 - 4 - 6);
        assertThat(GroupConnect.decode(Hex.decode(expected()))).isEqualTo(c);
        assertThat(GroupMessage.decode(c.encode())).isEqualTo(c);
    }

    @Test
    void groupIdComparesWithoutCase() {
        GroupConnect upper = new GroupConnect(GROUP_ID.toUpperCase(Locale.ROOT), Hex.decode(KEY), RECEIVER);
        assertThat(upper.isFor(GROUP_ID)).isTrue();
        assertThat(GroupConnect.decode(upper.encode())).isEqualTo(upper);
        assertThat(upper.isFor("00".repeat(32))).isFalse();
    }

    @Test
    void prefixesAreCheckedLiterally() {
        String good = expected();
        int key = 6 + 128;
        int receiver = key + 4 + 64;
        for (String bad : new String[] {
            good.substring(0, 2) + "4200" + good.substring(6),
            good.substring(0, key) + "2102" + good.substring(key + 4),
            good.substring(0, receiver) + "2203" + good.substring(receiver + 4),
            good.substring(0, receiver + 4) + "210e" + good.substring(receiver + 8),
            good.substring(0, 6) + "7a" + good.substring(8),
            good.substring(0, good.length() - 2),
            "02" + good.substring(2)}) {
            assertThatThrownBy(() -> GroupConnect.decode(Hex.decode(bad))).isInstanceOf(WireFormatException.class);
        }
        // Bytes after the receiver are ignored, as librtmfp ignores them.
        assertThat(GroupConnect.decode(Hex.decode(good + "ff"))).isEqualTo(GroupConnect.decode(Hex.decode(good)));
    }

    @Test
    void refusesToBuildWhatCannotBeSent() {
        assertThatThrownBy(() -> new GroupConnect("xyz", new byte[32], RECEIVER))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GroupConnect(GROUP_ID, new byte[31], RECEIVER))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GroupConnect(GROUP_ID, new byte[32], "abcd"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new GroupConnect(GROUP_ID, new byte[32], RECEIVER.toUpperCase(Locale.ROOT)).receiverPeerId())
                .isEqualTo(RECEIVER);
        assertThat(new GroupConnect(GROUP_ID, Hex.decode(KEY), RECEIVER).toString()).doesNotContain(KEY);
    }

    @Test
    void beginAndDisconnect() {
        // Spec §5.3: "02", then "0e" (exact) or "0f" (nearest); §5.5: "0c".
        assertThat(GroupBeginPrelude.EMPTY.encode()).isEqualTo(Hex.decode("02"));
        assertThat(GroupMessage.decode(Hex.decode("02"))).isEqualTo(GroupBeginPrelude.EMPTY);
        assertThat(GroupMessage.decode(Hex.decode("02 03 616263")))
                .isEqualTo(new GroupBeginPrelude(Optional.of("abc")));
        assertThatThrownBy(() -> GroupMessage.decode(Hex.decode("02 05 6162"))).isInstanceOf(WireFormatException.class);
        assertThat(new GroupBegin(ReceiveMode.EXACT).encode()).isEqualTo(Hex.decode("0e"));
        assertThat(new GroupBegin(ReceiveMode.NEAREST).encode()).isEqualTo(Hex.decode("0f"));
        assertThat(GroupMessage.decode(Hex.decode("0f"))).isEqualTo(
                new GroupBegin(ReceiveMode.NEAREST));
        assertThat(DisconnectRequest.INSTANCE.encode()).isEqualTo(Hex.decode("0c"));
        assertThat(GroupMessage.decode(Hex.decode("0c"))).isEqualTo(DisconnectRequest.INSTANCE);
        assertThatThrownBy(() -> GroupMessage.decode(new byte[0])).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> GroupMessage.decode(Hex.decode("0d"))).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("unknown group message type 0d");
    }
}
