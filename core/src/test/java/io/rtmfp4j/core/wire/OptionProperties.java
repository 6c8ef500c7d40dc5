package io.rtmfp4j.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.chunk.ChunkArbitraries;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class OptionProperties {

    @Provide
    Arbitrary<List<Option>> lists() {
        return ChunkArbitraries.optionLists();
    }

    @Property
    void terminatedListsRoundTripAndStopAfterTheMarker(@ForAll("lists") List<Option> options) {
        ByteWriter w = new ByteWriter();
        Option.encodeList(w, options, true);
        assertThat(w.size()).isEqualTo(Option.encodedListSize(options, true));
        w.u8(0x99);
        ByteReader r = new ByteReader(w.toByteArray());
        assertThat(Option.decodeList(r)).isEqualTo(options);
        assertThat(r.remaining()).isEqualTo(1);
    }

    @Property
    void unterminatedListsRoundTrip(@ForAll("lists") List<Option> options) {
        ByteWriter w = new ByteWriter();
        Option.encodeList(w, options, false);
        assertThat(w.size()).isEqualTo(Option.encodedListSize(options, false));
        ByteReader r = new ByteReader(w.toByteArray());
        assertThat(Option.decodeUnterminated(r)).isEqualTo(options);
        assertThat(r.hasRemaining()).isFalse();
    }

    @Example
    void decodesFlowMetadataAndAssociationOptions() {
        ByteReader r = new ByteReader(Hex.decode("05 00 54 43 04 00  02 0a 01  00"));
        List<Option> options = Option.decodeList(r);
        assertThat(options).containsExactly(new Option(0, Hex.decode("54 43 04 00")), new Option(0x0a, Hex.decode("01")));
        assertThat(Option.first(options, 0x0a)).contains(new Option(0x0a, Hex.decode("01")));
        assertThat(Option.first(options, 0x0b)).isEmpty();
    }

    @Example
    void optionWithEmptyValueHasAType() {
        assertThat(Option.decodeUnterminated(new ByteReader(Hex.decode("01 0a")))).containsExactly(new Option(10, new byte[0]));
    }

    @Example
    void markerInsideAnUnterminatedListIsSkipped() {
        assertThat(Option.decodeUnterminated(new ByteReader(Hex.decode("01 0a 00 02 0b ff"))))
                .containsExactly(new Option(10, new byte[0]), new Option(11, Hex.decode("ff")));
    }

    @Example
    void rejectsOptionRunningPastItsContainer() {
        assertThatThrownBy(() -> Option.decodeList(new ByteReader(Hex.decode("05 00 54 00"))))
                .isInstanceOf(WireFormatException.class);
    }

    @Example
    void rejectsTypeRunningPastTheOption() {
        assertThatThrownBy(() -> Option.decodeUnterminated(new ByteReader(Hex.decode("01 81 01"))))
                .isInstanceOf(WireFormatException.class);
    }

    @Example
    void rejectsTerminatedListWithoutMarker() {
        assertThatThrownBy(() -> Option.decodeList(new ByteReader(Hex.decode("01 0a"))))
                .isInstanceOf(WireFormatException.class);
    }

    @Example
    void comparesValuesByContent() {
        assertThat(new Option(1, new byte[] {1, 2})).isEqualTo(new Option(1, new byte[] {1, 2}))
                .hasSameHashCodeAs(new Option(1, new byte[] {1, 2}))
                .isNotEqualTo(new Option(1, new byte[] {1, 3}));
        assertThat(new Option(1, new byte[] {1, 2})).hasToString("Option[type=1, value=0102]");
    }
}
