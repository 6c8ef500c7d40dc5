package io.rtmfp4j.flash.tc;

import static io.rtmfp4j.flash.amf.AmfHostileInputProperties.decodesOrIsMalformed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.flash.amf.AmfException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** TC messages straight from a flow: each decoder succeeds or raises {@code AmfException}. */
class TcHostileInputProperties {

    @Property(tries = 5000)
    void anyMessageDecodesOrIsMalformed(@ForAll @IntRange(min = 0x04, max = 0x14) int type,
            @ForAll @Size(max = 60) byte[] body, @ForAll boolean formatZero) {
        // The "AMF3" types start with a format byte; make it 0 half the time so the AMF decoder is reached.
        byte[] payload = body;
        if (formatZero && body.length > 0) {
            payload = body.clone();
            payload[0] = 0;
        }
        TcMessage message = new TcMessage(type, 0, payload);
        assertThat(TcMessage.decode(message.encode())).isEqualTo(message);
        decodesOrIsMalformed(() -> Command.decode(message));
        decodesOrIsMalformed(() -> DataMessage.decode(message));
        decodesOrIsMalformed(() -> UserControl.decode(message));
    }

    /** A data message read where it arrived is the one read from its TC message's copy, malformed or not. */
    @Property(tries = 5000)
    void dataReadInPlaceIsDataReadFromTheCopy(@ForAll @Size(max = 70) byte[] message, @ForAll boolean dataType,
            @ForAll boolean amf3) {
        byte[] bytes = message.clone();
        if (dataType && bytes.length > 0) {
            bytes[0] = (byte) (amf3 ? TcMessage.DATA_AMF3 : TcMessage.DATA_AMF0);
        }
        DataMessage copied;
        try {
            copied = DataMessage.decode(TcMessage.decode(bytes));
        } catch (AmfException malformed) {
            assertThatThrownBy(() -> DataMessage.decode(bytes)).isInstanceOf(AmfException.class);
            return;
        }
        assertThat(DataMessage.decode(bytes)).isEqualTo(copied);
    }
}
