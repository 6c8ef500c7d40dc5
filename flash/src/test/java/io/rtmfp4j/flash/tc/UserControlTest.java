package io.rtmfp4j.flash.tc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.amf.AmfException;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** User control events (spec §6.4). */
class UserControlTest {

    @Example
    void flowSyncAsAWholeMessage() {
        String hex = "04 00 00 00 00 00 22 00 00 00 07 00 00 00 02";
        assertThat(UserControl.decode(TcMessage.decode(Hex.decode(hex)))).isEqualTo(new UserControl.FlowSync(7, 2));
        assertThat(new UserControl.FlowSync(7, 2).toMessage().encode()).isEqualTo(Hex.decode(hex));
    }

    @Example
    void setKeepaliveFromMonaServer() {
        String hex = "04 00000000 0029 00003a98 00002710";
        UserControl.SetKeepalive keepalive = (UserControl.SetKeepalive) UserControl.decode(TcMessage.decode(Hex.decode(hex)));
        assertThat(keepalive.serverPeriodMs()).isEqualTo(15000);
        assertThat(keepalive.peerPeriodMs()).isEqualTo(10000);
        assertThat(keepalive.toMessage().encode()).isEqualTo(Hex.decode(hex));
    }

    @Example
    void streamEvents() {
        assertVector(new UserControl.StreamBegin(1), "0000 00000001");
        assertVector(new UserControl.StreamEof(2), "0001 00000002");
        assertVector(new UserControl.StreamDry(3), "0002 00000003");
        assertVector(new UserControl.SetBufferLength(1, 3000), "0003 00000001 00000bb8");
        assertVector(new UserControl.StreamIsRecorded(0xffff_ffffL), "0004 ffffffff");
    }

    private static void assertVector(UserControl event, String hex) {
        assertThat(event.encode()).isEqualTo(Hex.decode(hex));
        assertThat(UserControl.decode(Hex.decode(hex))).isEqualTo(event);
    }

    @Example
    void otherEventsAreKeptWhole() {
        assertVector(new UserControl.Unknown(6, Hex.decode("00000001")), "0006 00000001");
        assertVector(new UserControl.Unknown(0x20, new byte[0]), "0020");
        assertThat(new UserControl.Unknown(6, Hex.decode("0102"))).hasToString("Unknown[eventType=6, data=0102]")
                .hasSameHashCodeAs(new UserControl.Unknown(6, Hex.decode("0102")));
    }

    @Example
    void bytesAfterTheFieldsOfAKnownEventAreIgnored() {
        assertThat(UserControl.decode(Hex.decode("0000 00000001 ff"))).isEqualTo(new UserControl.StreamBegin(1));
    }

    @Example
    void truncatedEventsAreMalformed() {
        for (String hex : List.of("", "00", "0000 000000", "0022 00000007", "0029 00003a98 0000")) {
            assertThatThrownBy(() -> UserControl.decode(Hex.decode(hex))).as(hex).isInstanceOf(AmfException.class);
        }
        assertThatThrownBy(() -> UserControl.decode(new TcMessage(TcMessage.AUDIO, 0, Hex.decode("0000 00000001"))))
                .isInstanceOf(AmfException.class);
    }

    @Example
    void invalidFieldsAreRejected() {
        assertThatThrownBy(() -> new UserControl.StreamBegin(1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UserControl.FlowSync(1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UserControl.Unknown(0x22, new byte[8])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UserControl.Unknown(0x10000, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void twoFieldEventsRoundTrip(@ForAll @LongRange(max = 0xffff_ffffL) long a, @ForAll @LongRange(max = 0xffff_ffffL) long b) {
        for (UserControl event : List.of(new UserControl.SetBufferLength(a, b), new UserControl.FlowSync(a, b),
                new UserControl.SetKeepalive(a, b), new UserControl.StreamBegin(a))) {
            assertThat(UserControl.decode(event.toMessage())).isEqualTo(event);
        }
    }

    /** Any event data after a known event type (or any type at all): decoded exactly, or malformed. */
    @Property(tries = 3000)
    void anyPayloadDecodesOrIsMalformed(@ForAll @Size(max = 12) byte[] data,
            @ForAll("eventTypes") int eventType) {
        byte[] payload = new byte[2 + data.length];
        payload[0] = (byte) (eventType >>> 8);
        payload[1] = (byte) eventType;
        System.arraycopy(data, 0, payload, 2, data.length);
        try {
            UserControl event = UserControl.decode(payload);
            assertThat(Hex.encode(payload)).startsWith(Hex.encode(event.encode()));
        } catch (AmfException malformed) {
            assertThat(payload.length).isLessThan(10);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> eventTypes() {
        return net.jqwik.api.Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, net.jqwik.api.Arbitraries.of(0, 1, 2, 3, 4, 0x22, 0x29)),
                net.jqwik.api.Tuple.of(1, net.jqwik.api.Arbitraries.integers().between(0, 0xffff)));
    }
}
