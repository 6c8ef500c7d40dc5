package io.rtmfp4j.flash.amf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exact AMF3 bytes for every marker, worked out by hand from the AMF3 specification (spec §6.9). */
class Amf3VectorTests {

    static Object decodeOne(String hex) {
        List<Object> values = Amf.decodeAmf3(Hex.decode(hex));
        assertThat(values).hasSize(1);
        return values.get(0);
    }

    /** Encodes to exactly {@code hex}, which decodes back to the value. */
    private static void assertVector(Object value, String hex) {
        assertThat(Hex.encode(Amf.encodeAmf3(value))).isEqualTo(Hex.encode(Hex.decode(hex)));
        assertThat(AmfCanonical.decoded(decodeOne(hex))).isEqualTo(AmfCanonical.amf3(value));
    }

    @Test
    void constants() {
        assertVector(Amf.UNDEFINED, "00");
        assertVector(null, "01");
        assertVector(false, "02");
        assertVector(true, "03");
    }

    @Test
    void integersAtEveryU29Length() {
        assertVector(0, "04 00");
        assertVector(127, "04 7f");
        assertVector(128, "04 81 00");
        assertVector(16383, "04 ff 7f");
        assertVector(16384, "04 81 80 00");
        assertVector(2097151, "04 ff ff 7f");
        assertVector(2097152, "04 80 c0 80 00");
        assertVector(Amf3Marker.INTEGER_MAX, "04 bf ff ff ff");
        assertVector(-1, "04 ff ff ff ff");
        assertVector(Amf3Marker.INTEGER_MIN, "04 c0 80 80 00");
        assertThat(decodeOne("04 7f")).isInstanceOf(Integer.class);
    }

    @Test
    void integerTypesOutsideTwentyNineBitsAndFractionsAreDoubles() {
        assertVector(1 << 28, "05 41b0000000000000");
        assertVector(-(1 << 28) - 1, "05 c1b0000001000000");
        assertVector(5L, "04 05");
        assertVector((short) -2, "04 ff ff ff fe");
        assertVector((byte) 3, "04 03");
        assertVector(1L << 40, "05 4270000000000000");
        assertVector(1.0, "05 3ff0000000000000");
        assertVector(1.5f, "05 3ff8000000000000");
        assertThat(decodeOne("05 3ff0000000000000")).isInstanceOf(Double.class);
    }

    @Test
    void strings() {
        assertVector("", "06 01");
        assertVector("ab", "06 05 6162");
        assertVector("\u00e9", "06 05 c3a9");
    }

    @Test
    void xmlDocumentsAndXml() {
        assertVector(new XmlDocument("<a/>"), "07 09 3c612f3e");
        assertVector(new Xml("<a/>"), "0b 09 3c612f3e");
    }

    @Test
    void dates() {
        assertVector(Instant.ofEpochMilli(1000), "08 01 408f400000000000");
        assertThatThrownBy(() -> decodeOne("08 01 7ff8000000000000")).isInstanceOf(AmfException.class);
    }

    @Test
    void arrays() {
        assertVector(List.of(1, "a"), "09 05 01 04 01 06 03 61");
        assertVector(List.of(), "09 01 01");
        assertVector(new MixedArray(Map.of("k", 1), List.of(true)), "09 03 03 6b 04 01 01 03");
        assertThat(decodeOne("09 03 03 6b 04 01 01 03")).isEqualTo(new MixedArray(Map.of("k", 1), List.of(true)));
    }

    @Test
    void ecmaArraysBecomeArraysWithOnlyNamedEntries() {
        assertThat(Amf.encodeAmf3(new EcmaArray(Map.of("a", 1)))).isEqualTo(Hex.decode("09 01 03 61 04 01 01"));
        assertThat(decodeOne("09 01 03 61 04 01 01")).isEqualTo(new MixedArray(Map.of("a", 1), List.of()));
        assertThat(decodeOne("09 01 01")).isEqualTo(List.of());
    }

    @Test
    void anonymousObjects() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("a", 1);
        object.put("b", null);
        assertVector(object, "0a 0b 01 03 61 04 01 03 62 01 01");
        assertVector(Map.of(), "0a 0b 01 01");
    }

    @Test
    void typedObjectsWriteTheirPropertiesAsSealedMembers() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("x", 1);
        properties.put("y", "s");
        assertVector(new TypedObject("Foo", properties), "0a 23 07 466f6f 03 78 03 79 04 01 06 03 73");
    }

    @Test
    void objectsWithSealedAndDynamicMembers() {
        // traits: 1 sealed member, dynamic, inline, not a reference = 0b0001_1011
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("x", 1);
        properties.put("y", 2);
        assertThat(decodeOne("0a 1b 07 466f6f 03 78 04 01 03 79 04 02 01"))
                .isEqualTo(new TypedObject("Foo", properties));
        assertThat(decodeOne("0a 1b 01 03 78 04 01 03 79 04 02 01")).isEqualTo(properties);
    }

    @Test
    void byteArrays() {
        assertVector(new byte[] {1, 2, 3}, "0c 07 010203");
        assertVector(new byte[0], "0c 01");
    }

    @Test
    void vectors() {
        assertVector(new IntVector(false, new int[] {1, -1}), "0d 05 00 00000001 ffffffff");
        assertVector(new UintVector(true, new long[] {0xffff_ffffL}), "0e 03 01 ffffffff");
        assertVector(new DoubleVector(false, new double[] {1.0}), "0f 03 00 3ff0000000000000");
        assertVector(new ObjectVector(false, "*", List.of("a")), "10 03 00 03 2a 06 03 61");
        assertVector(new ObjectVector(true, "Foo", List.of()), "10 01 01 07 466f6f");
    }

    @Test
    void dictionaries() {
        assertVector(new Dictionary(false, Map.of("k", 1)), "11 03 00 06 03 6b 04 01");
        assertVector(new Dictionary(true, Map.of()), "11 01 01");
        Map<Object, Object> entries = new LinkedHashMap<>();
        entries.put(1, "one");
        entries.put(true, null);
        assertVector(new Dictionary(false, entries), "11 05 00 04 01 06 07 6f6e65 03 01");
    }

    @Test
    void unknownMarkersAreRejected() {
        assertThatThrownBy(() -> decodeOne("12")).isInstanceOf(AmfException.class).hasMessageContaining("0x12");
    }

    @Test
    void namesThatWouldEndAListCannotBeWritten() {
        assertThatThrownBy(() -> Amf.encodeAmf3(Map.of("", 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Amf.encodeAmf3(new EcmaArray(Map.of("", 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Amf.decodeAmf3(Amf.encodeAmf3(new TypedObject("T", Map.of("", 1)))))
                .containsExactly(new TypedObject("T", Map.of("", 1)));
    }

    @Test
    void unsupportedJavaTypesAreNamed() {
        assertThatThrownBy(() -> Amf.encodeAmf3(List.of(new StringBuilder())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.StringBuilder");
    }
}
