package io.rtmfp4j.flash.amf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reference tables of both formats: what the encoders emit and what the decoders resolve. */
class AmfReferenceTests {

    private static final String ARRAY_COLLECTION = "flex.messaging.io.ArrayCollection";

    /** An AMF3 UTF-8-vr of a string shorter than 64 bytes, written inline. */
    private static String inline(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Hex.encode(new byte[] {(byte) (b.length << 1 | 1)}) + Hex.encode(b);
    }

    @Test
    void amf0RepeatedContainersBecomeReferences() {
        Map<String, Object> shared = new LinkedHashMap<>();
        byte[] bytes = Amf.encodeAmf0(List.of(shared, shared));
        // The array itself is reference 0, the object 1.
        assertThat(bytes).isEqualTo(Hex.decode("0a 00000002 03 0000 09 07 0001"));

        List<?> decoded = (List<?>) Amf.decodeAmf0(bytes).get(0);
        assertThat(decoded.get(0)).isSameAs(decoded.get(1));
    }

    @Test
    void amf0EqualButDistinctContainersAreWrittenTwice() {
        assertThat(Amf.encodeAmf0(List.of(new LinkedHashMap<>(), new LinkedHashMap<>())))
                .isEqualTo(Hex.decode("0a 00000002 03 0000 09 03 0000 09"));
    }

    @Test
    void amf0CyclicObject() {
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("self", self);
        byte[] bytes = Amf.encodeAmf0(self);
        assertThat(bytes).isEqualTo(Hex.decode("03 0004 73656c66 07 0000 0000 09"));

        Map<?, ?> decoded = (Map<?, ?>) Amf.decodeAmf0(bytes).get(0);
        assertThat(decoded.get("self")).isSameAs(decoded);
    }

    @Test
    void amf0ReferencesCountEveryContainerKindButNotDates() {
        // [ {}, ecma{}, Foo{}, [], date, ref 1, ref 2, ref 3, ref 4 ]
        byte[] bytes = Hex.decode("0a 00000009 03 0000 09 08 00000000 0000 09 10 0003 466f6f 0000 09 0a 00000000"
                + " 0b 0000000000000000 0000 07 0001 07 0002 07 0003 07 0004");
        List<?> decoded = (List<?>) Amf.decodeAmf0(bytes).get(0);
        assertThat(decoded.get(5)).isSameAs(decoded.get(0));
        assertThat(decoded.get(6)).isSameAs(decoded.get(1)).isInstanceOf(EcmaArray.class);
        assertThat(decoded.get(7)).isSameAs(decoded.get(2)).isInstanceOf(TypedObject.class);
        assertThat(decoded.get(8)).isSameAs(decoded.get(3));
        assertThat(decoded.get(4)).isEqualTo(Instant.EPOCH);
    }

    @Test
    void amf0ReferencesSpanTheValuesOfAMessage() {
        Map<String, Object> shared = new LinkedHashMap<>();
        byte[] bytes = Amf.encodeAmf0(shared, shared);
        assertThat(bytes).isEqualTo(Hex.decode("03 0000 09 07 0000"));
        List<Object> decoded = Amf.decodeAmf0(bytes);
        assertThat(decoded.get(1)).isSameAs(decoded.get(0));
    }

    @Test
    void amf0ReferenceBeyondTheTableIsRejected() {
        assertThatThrownBy(() -> Amf.decodeAmf0(Hex.decode("07 0000"))).isInstanceOf(AmfException.class)
                .hasMessageContaining("reference 0");
        assertThatThrownBy(() -> Amf.decodeAmf0(Hex.decode("0a 00000002 07 0000 07 0001")))
                .isInstanceOf(AmfException.class);
    }

    @Test
    void amf0WritesContainersAgainOnceTheirIndexNoLongerFitsSixteenBits() {
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 0x10001; i++) {
            many.add(new ArrayList<>());
        }
        List<Object> late = new ArrayList<>();
        many.add(late);
        many.add(late);
        many.add(many.get(0));
        List<?> decoded = (List<?>) Amf.decodeAmf0(Amf.encodeAmf0(many)).get(0);

        assertThat(decoded).hasSize(many.size());
        assertThat(decoded.get(decoded.size() - 1)).isSameAs(decoded.get(0));
        assertThat(decoded.get(decoded.size() - 2)).isNotSameAs(decoded.get(decoded.size() - 3)).isEqualTo(List.of());
    }

    @Test
    void amf3RepeatedStringsBecomeReferencesButNotTheEmptyString() {
        byte[] bytes = Amf.encodeAmf3(List.of("ab", "", "ab", "cd", "", "cd", "ab"));
        assertThat(bytes).isEqualTo(Hex.decode("09 0f 01  06 05 6162  06 01  06 00  06 05 6364  06 01  06 02  06 00"));
        assertThat(Amf.decodeAmf3(bytes)).containsExactly(List.of("ab", "", "ab", "cd", "", "cd", "ab"));
    }

    @Test
    void amf3PropertyNamesAndClassNamesShareTheStringTable() {
        byte[] bytes = Amf.encodeAmf3(List.of(Map.of("ab", "ab"), new TypedObject("ab", Map.of())));
        // "ab" is string 0 everywhere after its first appearance, as a name, a value or a class name.
        assertThat(bytes).isEqualTo(Hex.decode("09 05 01  0a 0b 01 05 6162 06 00 01  0a 03 00"));
    }

    @Test
    void amf3StringReferenceBeyondTheTableIsRejected() {
        assertThatThrownBy(() -> Amf.decodeAmf3(Hex.decode("06 00"))).isInstanceOf(AmfException.class)
                .hasMessageContaining("string reference 0");
    }

    @Test
    void amf3RepeatedObjectsBecomeReferences() {
        Map<String, Object> shared = new LinkedHashMap<>();
        byte[] bytes = Amf.encodeAmf3(List.of(shared, shared));
        assertThat(bytes).isEqualTo(Hex.decode("09 05 01 0a 0b 01 01 0a 02"));
        List<?> decoded = (List<?>) Amf.decodeAmf3(bytes).get(0);
        assertThat(decoded.get(0)).isSameAs(decoded.get(1));
    }

    @Test
    void amf3EveryObjectTableKindIsReferencedByIdentity() {
        Instant date = Instant.ofEpochMilli(5);
        byte[] data = {1};
        IntVector ints = new IntVector(false, new int[] {1});
        Xml xml = new Xml("<a/>");
        List<Object> values = List.of(date, data, ints, xml, date, data, ints, xml);
        byte[] bytes = Amf.encodeAmf3(values);
        assertThat(Hex.encode(bytes)).endsWith(Hex.encode(Hex.decode("08 02 0c 04 0d 06 0b 08")));

        List<?> decoded = (List<?>) Amf.decodeAmf3(bytes).get(0);
        for (int i = 0; i < 4; i++) {
            assertThat(decoded.get(i + 4)).isSameAs(decoded.get(i));
        }
    }

    @Test
    void amf3CyclicObject() {
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("self", self);
        byte[] bytes = Amf.encodeAmf3(self);
        assertThat(bytes).isEqualTo(Hex.decode("0a 0b 01 09 73656c66 0a 00 01"));

        Map<?, ?> decoded = (Map<?, ?>) Amf.decodeAmf3(bytes).get(0);
        assertThat(decoded.get("self")).isSameAs(decoded);
    }

    @Test
    void amf3CyclesThroughEveryContainerKind() {
        List<Object> list = new ArrayList<>();
        TypedObject typed = new TypedObject("T", new LinkedHashMap<>());
        MixedArray mixed = new MixedArray(new LinkedHashMap<>(), new ArrayList<>());
        ObjectVector vector = new ObjectVector(false, "*", new ArrayList<>());
        Dictionary dictionary = new Dictionary(false, new IdentityHashMap<>());
        list.add(typed);
        typed.properties().put("next", mixed);
        mixed.associative().put("next", vector);
        vector.values().add(dictionary);
        dictionary.entries().put(list, list);

        List<?> decodedList = (List<?>) Amf.decodeAmf3(Amf.encodeAmf3(list)).get(0);
        TypedObject decodedTyped = (TypedObject) decodedList.get(0);
        MixedArray decodedMixed = (MixedArray) decodedTyped.properties().get("next");
        ObjectVector decodedVector = (ObjectVector) decodedMixed.associative().get("next");
        Dictionary decodedDictionary = (Dictionary) decodedVector.values().get(0);
        Map.Entry<Object, Object> entry = decodedDictionary.entries().entrySet().iterator().next();
        assertThat(entry.getKey()).isSameAs(decodedList);
        assertThat(entry.getValue()).isSameAs(decodedList);
        assertThat(decodedDictionary.entries().get(decodedList)).isSameAs(decodedList);
    }

    @Test
    void amf3ObjectReferenceBeyondTheTableIsRejected() {
        assertThatThrownBy(() -> Amf.decodeAmf3(Hex.decode("0a 00"))).isInstanceOf(AmfException.class)
                .hasMessageContaining("object reference 0");
        assertThatThrownBy(() -> Amf.decodeAmf3(Hex.decode("09 02"))).isInstanceOf(AmfException.class);
    }

    @Test
    void amf3RepeatedTraitsBecomeTraitsReferences() {
        Map<String, Object> foo1 = new LinkedHashMap<>();
        foo1.put("x", 1);
        foo1.put("y", "s");
        Map<String, Object> foo2 = new LinkedHashMap<>();
        foo2.put("x", 2);
        foo2.put("y", "s");
        byte[] bytes = Amf.encodeAmf3(List.of(new TypedObject("Foo", foo1), new TypedObject("Foo", foo2),
                Map.of("a", 1), Map.of("b", 2)));
        assertThat(bytes).isEqualTo(Hex.decode("09 09 01"
                + " 0a 23 07 466f6f 03 78 03 79 04 01 06 03 73"
                + " 0a 01 04 02 06 06"
                + " 0a 0b 01 03 61 04 01 01"
                + " 0a 05 03 62 04 02 01"));
        assertThat(Amf.decodeAmf3(bytes)).containsExactly(List.of(new TypedObject("Foo", foo1),
                new TypedObject("Foo", foo2), Map.of("a", 1), Map.of("b", 2)));
    }

    @Test
    void amf3TraitsReferenceBeyondTheTableIsRejected() {
        assertThatThrownBy(() -> Amf.decodeAmf3(Hex.decode("0a 01"))).isInstanceOf(AmfException.class)
                .hasMessageContaining("traits reference 0");
    }

    @Test
    void amf3ReferencesSpanTheValuesOfAMessage() {
        assertThat(Amf.encodeAmf3("ab", "ab")).isEqualTo(Hex.decode("06 05 6162 06 00"));
        assertThat(Amf.decodeAmf3(Hex.decode("06 05 6162 06 00"))).containsExactly("ab", "ab");
    }

    @Test
    void arrayCollectionsAndObjectProxiesStandForTheValueTheyWrap() {
        String arrayCollection = "0a 07 " + inline(ARRAY_COLLECTION) + " 09 03 01 04 01";
        String objectProxy = "0a 07 " + inline("flex.messaging.io.ObjectProxy") + " 0a 0b 01 03 61 04 01 01";
        // [collection, proxy, reference to the collection (object 1), a second collection by traits reference]
        List<Object> decoded = Amf.decodeAmf3(Hex.decode("09 09 01 " + arrayCollection + objectProxy + " 0a 02"
                + " 0a 01 09 01 01"));

        List<?> array = (List<?>) decoded.get(0);
        assertThat(array).isEqualTo(List.of(List.of(1), Map.of("a", 1), List.of(1), List.of()));
        assertThat(array.get(2)).isSameAs(array.get(0));
    }

    @Test
    void otherExternalizableClassesCannotBeRead() {
        assertThatThrownBy(() -> Amf.decodeAmf3(Hex.decode("0a 07 " + inline("com.example.Custom") + " 01")))
                .isInstanceOf(AmfException.class).hasMessageContaining("com.example.Custom");
    }

    @Test
    void anExternalizableObjectCannotContainItself() {
        assertThatThrownBy(() -> Amf.decodeAmf3(Hex.decode("0a 07 " + inline(ARRAY_COLLECTION) + " 0a 00")))
                .isInstanceOf(AmfException.class).hasMessageContaining("inside itself");
    }

    @Test
    void dictionaryKeysThatAreObjectsCompareByIdentity() {
        List<Object> key = new ArrayList<>();
        Map<Object, Object> entries = new IdentityHashMap<>();
        entries.put(key, "first");
        entries.put(new ArrayList<>(), "second");
        Dictionary decoded = (Dictionary) Amf.decodeAmf3(Amf.encodeAmf3(new Dictionary(false, entries))).get(0);

        // Two equal empty lists stay two keys, each finding its own value and no other list finding either.
        assertThat(decoded.entries()).hasSize(2).containsValues("first", "second");
        decoded.entries().forEach((decodedKey, value) -> assertThat(decoded.entries().get(decodedKey)).isSameAs(value));
        assertThat(decoded.entries().get(List.of())).isNull();
        assertThat(decoded.entries().containsKey(new ArrayList<>())).isFalse();
    }

    @Test
    void dictionaryKeysThatAreValuesCompareByValue() {
        Map<Object, Object> entries = new LinkedHashMap<>();
        entries.put("k", 1);
        entries.put(2, "two");
        entries.put(Instant.EPOCH, true);
        Dictionary decoded = (Dictionary) Amf.decodeAmf3(Amf.encodeAmf3(new Dictionary(false, entries))).get(0);

        assertThat(decoded.entries()).containsEntry("k", 1).containsEntry(2, "two").containsEntry(Instant.EPOCH, true);
        assertThat(decoded).isEqualTo(new Dictionary(false, entries)).hasSameHashCodeAs(new Dictionary(false, entries));
        assertThat(decoded.entries().remove("k")).isEqualTo(1);
        assertThat(decoded.entries().containsKey("k")).isFalse();
        assertThat(decoded.entries().put(2, "deux")).isEqualTo("two");
        assertThat(decoded.entries().keySet()).containsExactly(2, Instant.EPOCH);
    }
}
