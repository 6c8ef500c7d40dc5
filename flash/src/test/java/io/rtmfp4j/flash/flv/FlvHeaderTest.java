package io.rtmfp4j.flash.flv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The 9-byte file header and PreviousTagSize0 (FLV specification annex E.2). */
class FlvHeaderTest {

    @Example
    void encodesSignatureVersionFlagsOffsetAndPreviousTagSize0() {
        assertThat(new FlvHeader(true, true).encode()).isEqualTo(Hex.decode("464c56 01 05 00000009 00000000"));
        assertThat(new FlvHeader(true, false).encode()).isEqualTo(Hex.decode("464c56 01 04 00000009 00000000"));
        assertThat(new FlvHeader(false, true).encode()).isEqualTo(Hex.decode("464c56 01 01 00000009 00000000"));
        assertThat(new FlvHeader(false, false).encode()).isEqualTo(Hex.decode("464c56 01 00 00000009 00000000"));
        assertThat(new FlvHeader(true, true).encode()).hasSize(FlvHeader.ENCODED_SIZE);
    }

    @Property
    void decodeInvertsEncode(@ForAll boolean audio, @ForAll boolean video) throws FlvException {
        FlvHeader header = new FlvHeader(audio, video);
        assertThat(FlvHeader.decode(header.encode())).isEqualTo(header);
    }

    @Example
    void reservedFlagBitsAreIgnored() throws FlvException {
        assertThat(FlvHeader.decode(Hex.decode("464c56 01 fa 00000009"))).isEqualTo(new FlvHeader(false, false));
        assertThat(FlvHeader.decode(Hex.decode("464c56 01 ff 00000009"))).isEqualTo(new FlvHeader(true, true));
    }

    @Example
    void malformedHeadersAreRejected() {
        byte[] valid = Hex.decode("464c56 01 05 00000009");
        assertThatThrownBy(() -> FlvHeader.decode(Arrays.copyOf(valid, 8)))
                .isInstanceOf(FlvException.class).hasMessageContaining("8 bytes");
        assertThatThrownBy(() -> FlvHeader.decode(Hex.decode("464c58 01 05 00000009")))
                .isInstanceOf(FlvException.class).hasMessageContaining("signature");
        assertThatThrownBy(() -> FlvHeader.decode(Hex.decode("464c56 02 05 00000009")))
                .isInstanceOf(FlvException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> FlvHeader.decode(Hex.decode("464c56 01 05 00000008")))
                .isInstanceOf(FlvException.class).hasMessageContaining("DataOffset 8");
    }

    @Example
    void dataOffsetIsUnsigned() throws FlvException {
        byte[] bytes = Hex.decode("464c56 01 05 ffffffff");
        assertThat(FlvHeader.decode(bytes)).isEqualTo(new FlvHeader(true, true));
        assertThat(FlvHeader.dataOffset(bytes)).isEqualTo(0xffff_ffffL);
    }
}
