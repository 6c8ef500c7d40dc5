package io.rtmfp4j.flash.amf;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any value tree survives encoding and decoding, and decoding then re-encoding is byte-exact. */
class AmfRoundTripProperties {

    @Provide
    Arbitrary<Object> values() {
        return AmfArbitraries.values();
    }

    @Provide
    Arbitrary<List<Object>> valueLists() {
        return AmfArbitraries.values().list().ofMaxSize(4);
    }

    @Property(tries = 2000)
    void amf0RoundTrips(@ForAll("values") Object value) {
        byte[] bytes = Amf.encodeAmf0(value);
        List<Object> decoded = Amf.decodeAmf0(bytes);

        assertThat(decoded).hasSize(1);
        assertThat(AmfCanonical.decoded(decoded.get(0))).isEqualTo(AmfCanonical.amf0(value));
        assertThat(Amf.encodeAmf0(decoded.get(0))).isEqualTo(bytes);
    }

    @Property(tries = 2000)
    void amf3RoundTrips(@ForAll("values") Object value) {
        byte[] bytes = Amf.encodeAmf3(value);
        List<Object> decoded = Amf.decodeAmf3(bytes);

        assertThat(decoded).hasSize(1);
        assertThat(AmfCanonical.decoded(decoded.get(0))).isEqualTo(AmfCanonical.amf3(value));
        assertThat(Amf.encodeAmf3(decoded.get(0))).isEqualTo(bytes);
    }

    @Property(tries = 500)
    void amf0MessagesOfAmf3ValuesRoundTrip(@ForAll("valueLists") List<Object> values) {
        Amf0Writer w = new Amf0Writer(new ByteWriter(), true, Amf.DEFAULT_MAX_DEPTH);
        values.forEach(w::writeValue);
        List<Object> decoded = new Amf0Reader(new ByteReader(w.toByteArray())).readAll();

        assertThat(canonical(decoded, true)).isEqualTo(canonical(values, false));
    }

    /** Values of one message share reference tables; the result is the same as one by one. */
    @Property(tries = 500)
    void messagesOfSeveralValuesRoundTrip(@ForAll("valueLists") List<Object> values) {
        Object[] array = values.toArray();

        assertThat(canonical(Amf.decodeAmf0(Amf.encodeAmf0(array)), true))
                .isEqualTo(values.stream().map(AmfCanonical::amf0).toList());
        assertThat(canonical(Amf.decodeAmf3(Amf.encodeAmf3(array)), true)).isEqualTo(canonical(values, false));
    }

    private static List<Object> canonical(List<Object> values, boolean decoded) {
        List<Object> out = new ArrayList<>();
        for (Object v : values) {
            out.add(decoded ? AmfCanonical.decoded(v) : AmfCanonical.amf3(v));
        }
        return out;
    }
}
