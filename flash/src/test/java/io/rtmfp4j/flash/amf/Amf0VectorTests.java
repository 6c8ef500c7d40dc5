package io.rtmfp4j.flash.amf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exact AMF0 bytes for every marker, worked out by hand from the AMF0 specification (spec §6.9). */
class Amf0VectorTests {

    private static Object decodeOne(String hex) {
        List<Object> values = Amf.decodeAmf0(Hex.decode(hex));
        assertThat(values).hasSize(1);
        return values.get(0);
    }

    /** Encodes to exactly {@code hex}, which decodes back to the value. */
    private static void assertVector(Object value, String hex) {
        assertThat(Hex.encode(Amf.encodeAmf0(value))).isEqualTo(Hex.encode(Hex.decode(hex)));
        assertThat(AmfCanonical.decoded(decodeOne(hex))).isEqualTo(AmfCanonical.amf0(value));
    }

    @Test
    void numbers() {
        assertVector(1.0, "00 3ff0000000000000");
        assertVector(-0.0, "00 8000000000000000");
        assertVector(Double.NaN, "00 7ff8000000000000");
        assertThat(decodeOne("00 3ff0000000000000")).isInstanceOf(Double.class);
        assertVector(7, "00 401c000000000000");
        assertVector(1.5f, "00 3ff8000000000000");
        assertVector(Long.MIN_VALUE, "00 c3e0000000000000");
    }

    @Test
    void booleansNullAndUndefined() {
        assertVector(true, "01 01");
        assertVector(false, "01 00");
        assertThat(decodeOne("01 7f")).isEqualTo(true);
        assertVector(null, "05");
        assertVector(Amf.UNDEFINED, "06");
    }

    @Test
    void strings() {
        assertVector("", "02 0000");
        assertVector("ab", "02 0002 6162");
        assertVector("\u00e9\u20ac\ud83d\ude00", "02 0009 c3a9 e282ac f09f9880");
    }

    @Test
    void longStringsFromSixtyFiveThousandFiveHundredThirtySixBytes() {
        String fits = "a".repeat(0xffff);
        String longer = "a".repeat(0x10000);
        assertThat(Amf.encodeAmf0(fits)).startsWith(Hex.decode("02 ffff 6161"));
        assertThat(Amf.encodeAmf0(longer)).startsWith(Hex.decode("0c 00010000 6161"));
        assertThat(Amf.decodeAmf0(Amf.encodeAmf0(longer))).containsExactly(longer);
        assertThat(decodeOne("0c 00000002 6162")).isEqualTo("ab");
    }

    @Test
    void objects() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("a", 1.0);
        object.put("b", "c");
        assertVector(object, "03 0001 61 00 3ff0000000000000 0001 62 02 0001 63 0000 09");
        assertVector(Map.of(), "03 0000 09");
    }

    @Test
    void propertyNamedWithTheEmptyStringIsNotTheEnd() {
        assertVector(Map.of("", 1.0), "03 0000 00 3ff0000000000000 0000 09");
    }

    @Test
    void propertyOrderIsKept() {
        Map<String, Object> decoded = castMap(decodeOne("03 0001 7a 05 0001 61 05 0001 6d 05 0000 09"));
        assertThat(decoded).isInstanceOf(LinkedHashMap.class);
        assertThat(decoded.keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void ecmaArrays() {
        assertVector(new EcmaArray(Map.of("a", "b")), "08 00000001 0001 61 02 0001 62 0000 09");
        // The count is a hint only; encoders write 0 as well.
        assertThat(decodeOne("08 00000000 0001 61 02 0001 62 0000 09")).isEqualTo(new EcmaArray(Map.of("a", "b")));
        assertThat(decodeOne("08 7fffffff 0000 09")).isEqualTo(new EcmaArray(Map.of()));
    }

    @Test
    void strictArrays() {
        assertVector(List.of(1.0, "a"), "0a 00000002 00 3ff0000000000000 02 0001 61");
        assertVector(List.of(), "0a 00000000");
        assertThat(decodeOne("0a 00000001 05")).isInstanceOf(ArrayList.class);
    }

    @Test
    void datesIgnoreTheTimeZone() {
        assertVector(Instant.ofEpochMilli(1000), "0b 408f400000000000 0000");
        assertThat(decodeOne("0b 408f400000000000 ff88")).isEqualTo(Instant.ofEpochMilli(1000));
        assertThat(decodeOne("0b 408f480000000000 0000")).isEqualTo(Instant.ofEpochMilli(1001));
        assertThat(decodeOne("0b bff8000000000000 0000")).isEqualTo(Instant.ofEpochMilli(-1));
    }

    @Test
    void datesOutsideWhatEcmaScriptHoldsAreRejected() {
        assertThatThrownBy(() -> decodeOne("0b 7ff8000000000000 0000")).isInstanceOf(AmfException.class);
        assertThatThrownBy(() -> decodeOne("0b 7ff0000000000000 0000")).isInstanceOf(AmfException.class);
        assertThatThrownBy(() -> Amf.encodeAmf0(Instant.MAX)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Amf.encodeAmf0(Instant.ofEpochMilli(8_640_000_000_000_000L))).hasSize(11);
    }

    @Test
    void xml() {
        assertVector(new XmlDocument("<a/>"), "0f 00000004 3c612f3e");
        assertThat(Amf.encodeAmf0(new Xml("<a/>"))).isEqualTo(Hex.decode("0f 00000004 3c612f3e"));
    }

    @Test
    void typedObjects() {
        assertVector(new TypedObject("Foo", Map.of("x", true)), "10 0003 466f6f 0001 78 01 01 0000 09");
        assertThat(decodeOne("10 0000 0001 78 01 01 0000 09")).isEqualTo(Map.of("x", true));
    }

    @Test
    void valuesWithoutAnAmf0FormAreEmbeddedAsAmf3() {
        assertVector(new byte[] {1, 2}, "11 0c 05 0102");
        assertVector(new IntVector(false, new int[] {1}), "11 0d 03 00 00000001");
        assertVector(new MixedArray(Map.of("k", 1), List.of(true)), "11 09 03 03 6b 04 01 01 03");
        assertVector(new Dictionary(false, Map.of("k", 1)), "11 11 03 00 06 03 6b 04 01");
    }

    @Test
    void unsupportedDecodesAsUndefined() {
        assertThat(decodeOne("0d")).isEqualTo(Amf.UNDEFINED);
    }

    @Test
    void reservedAndMisplacedMarkersAreRejected() {
        for (String hex : List.of("04", "09", "0e", "12", "ff")) {
            assertThatThrownBy(() -> decodeOne(hex)).as(hex).isInstanceOf(AmfException.class);
        }
    }

    @Test
    void avmPlusValuesAreDecodedTransparently() {
        assertThat(Amf.decodeAmf0(Hex.decode("11 06 03 61  11 04 05  02 0001 62"))).containsExactly("a", 5, "b");
    }

    @Test
    void eachEmbeddedValueHasFreshAmf3Tables() {
        assertThat(Amf.decodeAmf0(Hex.decode("11 09 05 01 06 03 61 06 00"))).containsExactly(List.of("a", "a"));
        assertThatThrownBy(() -> Amf.decodeAmf0(Hex.decode("11 06 03 61  11 06 00")))
                .isInstanceOf(AmfException.class).hasMessageContaining("string reference 0");
    }

    @Test
    void writerCanEmbedEveryValueAsAmf3() {
        Amf0Writer w = new Amf0Writer(new ByteWriter(), true, Amf.DEFAULT_MAX_DEPTH);
        w.writeValue("a").writeValue("a").writeValue(Map.of("b", 1));
        assertThat(w.toByteArray()).isEqualTo(Hex.decode("11 06 03 61  11 06 03 61  11 0a 0b 01 03 62 04 01 01"));
    }

    @Test
    void propertyNamesMustBeShortStrings() {
        Map<Object, Object> numberKey = new LinkedHashMap<>();
        numberKey.put(1, "x");
        assertThatThrownBy(() -> Amf.encodeAmf0(numberKey)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> Amf.encodeAmf0(Map.of("a".repeat(0x10000), 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Amf.encodeAmf0(new TypedObject("C".repeat(0x10000), Map.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unsupportedJavaTypesAreNamed() {
        assertThatThrownBy(() -> Amf.encodeAmf0(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> Amf.encodeAmf0(List.of('c'))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Character");
        assertThatThrownBy(() -> Amf.encodeAmf0(java.util.Set.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void amf0TextIsReadLeniently() {
        assertThat(decodeOne("02 0001 ff")).isEqualTo("\ufffd");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
