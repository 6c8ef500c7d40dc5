package io.rtmfp4j.flash.tc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.amf.AmfException;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The TC message header of spec §6.3. */
class TcMessageTest {

    @Example
    void headerIsTypeThenTimestamp() {
        TcMessage audio = new TcMessage(TcMessage.AUDIO, 0xfffffffeL, Hex.decode("af 01"));
        assertThat(audio.encode()).isEqualTo(Hex.decode("08 fffffffe af01"));
        assertThat(TcMessage.decode(Hex.decode("08 fffffffe af01"))).isEqualTo(audio);
        assertThat(TcMessage.decode(Hex.decode("09 00000000"))).isEqualTo(new TcMessage(TcMessage.VIDEO, 0, new byte[0]));
    }

    @Example
    void shorterThanTheHeaderIsMalformed() {
        assertThatThrownBy(() -> TcMessage.decode(Hex.decode("14 00 00 00"))).isInstanceOf(AmfException.class);
    }

    @Example
    void equalityLooksAtThePayload() {
        TcMessage a = new TcMessage(TcMessage.DATA_AMF0, 1, Hex.decode("05"));
        TcMessage b = new TcMessage(TcMessage.DATA_AMF0, 1, Hex.decode("05"));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).hasToString("TcMessage[type=0x12, timestamp=1, payload=1 bytes 05]");
        assertThat(a).isNotEqualTo(new TcMessage(TcMessage.DATA_AMF0, 1, Hex.decode("06")));
        assertThat(new TcMessage(TcMessage.VIDEO, 0, new byte[40]).toString()).endsWith("...]");
    }

    @Example
    void invalidFieldsAreRejected() {
        assertThatThrownBy(() -> new TcMessage(256, 0, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TcMessage(8, 1L << 32, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TcMessage(8, -1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void roundTrips(@ForAll @IntRange(max = 255) int type, @ForAll @LongRange(max = 0xffff_ffffL) long timestamp,
            @ForAll @Size(max = 40) byte[] payload) {
        TcMessage message = new TcMessage(type, timestamp, payload);
        assertThat(TcMessage.decode(message.encode())).isEqualTo(message);
    }
}
