package io.rtmfp4j.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class VluProperties {

    @Property
    void roundTrips(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long v) {
        byte[] bytes = new ByteWriter().vlu(v).toByteArray();
        ByteReader r = new ByteReader(bytes);
        assertThat(r.vlu()).isEqualTo(v);
        assertThat(r.hasRemaining()).isFalse();
        assertThat(bytes).hasSize(Vlu.size(v));
    }

    @Property
    void fieldsRoundTrip(@ForAll @Size(max = 300) byte[] value) {
        byte[] bytes = new ByteWriter().field(value).toByteArray();
        assertThat(bytes).hasSize(Vlu.fieldSize(value.length));
        ByteReader r = new ByteReader(bytes);
        assertThat(r.field()).isEqualTo(value);
        assertThat(r.hasRemaining()).isFalse();
    }

    @Example
    void matchesTheSpecTable() {
        assertVlu(0, "00");
        assertVlu(127, "7f");
        assertVlu(128, "81 00");
        assertVlu(300, "82 2c");
        assertVlu(16383, "ff 7f");
        assertVlu(16384, "81 80 00");
        assertVlu(2000001, "fa 89 01");
    }

    private static void assertVlu(long value, String hex) {
        assertThat(Vlu.encode(value)).isEqualTo(Hex.decode(hex));
        assertThat(new ByteReader(Hex.decode(hex)).vlu()).isEqualTo(value);
    }

    @Example
    void rejectsVluRunningPastItsContainer() {
        assertThatThrownBy(() -> new ByteReader(Hex.decode("81 80")).vlu()).isInstanceOf(WireFormatException.class);
    }

    @Example
    void rejectsVluLongerThanNineBytes() {
        byte[] ten = Hex.decode("81 81 81 81 81 81 81 81 81 01");
        assertThatThrownBy(() -> new ByteReader(ten).vlu()).isInstanceOf(WireFormatException.class);
    }
}
