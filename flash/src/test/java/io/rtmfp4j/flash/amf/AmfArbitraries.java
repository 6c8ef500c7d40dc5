package io.rtmfp4j.flash.amf;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators for every Java type the AMF codecs support, nested into trees. */
final class AmfArbitraries {
    private AmfArbitraries() {
    }

    /** Any supported value: scalars and containers nested up to four deep. */
    static Arbitrary<Object> values() {
        return Arbitraries.recursive(AmfArbitraries::scalars, AmfArbitraries::containers, 0, 4);
    }

    /**
     * Text, from a small alphabet (so repeats exercise the string table) to any BMP character
     * outside the surrogates and a few supplementary ones. Unpaired surrogates have no UTF-8 form.
     */
    static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().withCharRange('a', 'd').ofMaxLength(3)),
                Tuple.of(2, Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(8)),
                Tuple.of(1, Arbitraries.of("", "\ud83d\ude00", "a\u0000b", "\u00e9\u20ac", "\uffff")));
    }

    /** Property names: non-empty, since AMF3 cannot carry an empty dynamic name. */
    static Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(3);
    }

    static Arbitrary<Object> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.doubles(),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
                        Double.MAX_VALUE, Double.MIN_VALUE, 1.0, 268435456.0),
                Arbitraries.integers(),
                Arbitraries.of(Amf3Marker.INTEGER_MIN, Amf3Marker.INTEGER_MAX, Amf3Marker.INTEGER_MIN - 1,
                        Amf3Marker.INTEGER_MAX + 1, 0, -1, 127, 128, 16383, 16384, 2097151, 2097152),
                Arbitraries.longs(),
                Arbitraries.shorts(),
                Arbitraries.bytes(),
                Arbitraries.floats());
    }

    static Arbitrary<Instant> dates() {
        long max = (long) AmfInput.MAX_DATE_MILLIS;
        return Arbitraries.longs().between(-max, max).map(Instant::ofEpochMilli);
    }

    static Arbitrary<Object> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.just(Amf.UNDEFINED),
                Arbitraries.of(true, false),
                numbers(),
                strings(),
                dates(),
                strings().map(XmlDocument::new),
                strings().map(Xml::new),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(6),
                Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().array(int[].class).ofMaxSize(4))
                        .as(IntVector::new),
                Combinators.combine(Arbitraries.of(true, false),
                                Arbitraries.longs().between(0, 0xffff_ffffL).array(long[].class).ofMaxSize(4))
                        .as(UintVector::new),
                Combinators.combine(Arbitraries.of(true, false), Arbitraries.doubles().array(double[].class).ofMaxSize(4))
                        .as(DoubleVector::new))
                .injectNull(0.05);
    }

    private enum Kind { LIST, OBJECT, TYPED, ECMA_ARRAY, MIXED_ARRAY, VECTOR, DICTIONARY }

    /**
     * One container built from one generated list and one generated map. Using the child
     * generator only twice per level keeps the generator tree, which jqwik hashes, small.
     */
    private static Arbitrary<Object> containers(Arbitrary<Object> child) {
        return Combinators.combine(Arbitraries.of(Kind.class), child.list().ofMaxSize(3),
                        Arbitraries.maps(names(), child).ofMaxSize(3), Arbitraries.of("Foo", "a.b.Bar", "flex.Baz"),
                        Arbitraries.of(true, false))
                .as(AmfArbitraries::container);
    }

    private static Object container(Kind kind, List<Object> generatedList, Map<String, Object> generatedMap,
            String typeName, boolean flag) {
        List<Object> list = new ArrayList<>(generatedList);
        Map<String, Object> map = new LinkedHashMap<>(generatedMap);
        return switch (kind) {
            case LIST -> list;
            case OBJECT -> map;
            case TYPED -> new TypedObject(typeName, map);
            case ECMA_ARRAY -> new EcmaArray(map);
            case MIXED_ARRAY -> {
                // Without named entries it would be an array, which decodes as a List.
                map.putIfAbsent("n", flag);
                yield new MixedArray(map, list);
            }
            case VECTOR -> new ObjectVector(flag, typeName, list);
            case DICTIONARY -> {
                Map<Object, Object> entries = new LinkedHashMap<>();
                map.forEach((name, value) -> entries.put(dictionaryKey(name), value));
                yield new Dictionary(flag, entries);
            }
        };
    }

    /** Keys of the types a dictionary compares by value, derived from a generated name. */
    private static Object dictionaryKey(String name) {
        return switch (name.length()) {
            case 1 -> name;
            case 2 -> name.charAt(0) - 'c';
            default -> name.charAt(0) < 'c';
        };
    }
}
