package io.rtmfp4j.flash.tc;

import static io.rtmfp4j.flash.amf.AmfHostileInputProperties.decodesOrIsMalformed;
import static org.assertj.core.api.Assertions.assertThat;

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
}
