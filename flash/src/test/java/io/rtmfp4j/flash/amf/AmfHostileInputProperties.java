package io.rtmfp4j.flash.amf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bytes from the network: decoding either succeeds or raises {@link AmfException}; never another
 * exception, a stack overflow or an allocation the input does not pay for.
 */
public class AmfHostileInputProperties {

    /**
     * Runs a decoder on hostile input: success and {@link AmfException} are the accepted outcomes;
     * anything else thrown fails the test.
     */
    public static void decodesOrIsMalformed(Runnable decode) {
        try {
            decode.run();
        } catch (AmfException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    private static void decodeBoth(byte[] bytes) {
        decodesOrIsMalformed(() -> Amf.decodeAmf0(bytes));
        decodesOrIsMalformed(() -> Amf.decodeAmf3(bytes));
    }

    @Property(tries = 5000)
    void randomBytes(@ForAll @Size(max = 64) byte[] bytes) {
        decodeBoth(bytes);
    }

    /** Markers that open containers and references, so random input gets past the first byte. */
    @Provide
    Arbitrary<byte[]> structuredNoise() {
        Arbitrary<Byte> interesting = Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0x03, (byte) 0x07,
                (byte) 0x08, (byte) 0x09, (byte) 0x0a, (byte) 0x0b, (byte) 0x10, (byte) 0x11, (byte) 0x80,
                (byte) 0xff, (byte) 0x06, (byte) 0x0c, (byte) 0x0d, (byte) 0x0f);
        return Arbitraries.frequencyOf(
                        Tuple.of(3, interesting),
                        Tuple.of(1, Arbitraries.bytes()))
                .list().ofMaxSize(200).map(list -> {
                    byte[] b = new byte[list.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = list.get(i);
                    }
                    return b;
                });
    }

    @Property(tries = 5000)
    void structuredNoiseDecodesOrFailsCleanly(@ForAll("structuredNoise") byte[] bytes) {
        decodeBoth(bytes);
    }

    @Provide
    Arbitrary<Object> values() {
        return AmfArbitraries.values();
    }

    /** Valid encodings with bytes overwritten, cut short or dropped: the hardest inputs to get right. */
    @Property(tries = 3000)
    void mutatedEncodings(@ForAll("values") Object value, @ForAll @Size(min = 1, max = 4) List<Integer> positions,
            @ForAll @Size(min = 4, max = 4) byte[] replacements, @ForAll boolean truncate) {
        for (byte[] valid : List.of(Amf.encodeAmf0(value), Amf.encodeAmf3(value))) {
            byte[] mutated = valid.clone();
            for (int i = 0; i < positions.size(); i++) {
                int at = Math.floorMod(positions.get(i), mutated.length);
                mutated[at] = replacements[i];
            }
            decodeBoth(mutated);
            if (truncate) {
                decodeBoth(Arrays.copyOf(valid, Math.floorMod(positions.get(0), valid.length)));
            }
        }
    }

    private static byte[] nestedArrays(String open, String innermost, int depth) {
        ByteWriter w = new ByteWriter();
        for (int i = 0; i < depth; i++) {
            w.bytes(Hex.decode(open));
        }
        return w.bytes(Hex.decode(innermost)).toByteArray();
    }

    @Example
    void nestingIsBoundedAtSixtyFourContainersByDefault() {
        assertThat(Amf.decodeAmf0(nestedArrays("0a 00000001", "05", 64))).hasSize(1);
        assertThatThrownBy(() -> Amf.decodeAmf0(nestedArrays("0a 00000001", "05", 65)))
                .isInstanceOf(AmfException.class).hasMessageContaining("64");
        assertThat(Amf.decodeAmf3(nestedArrays("09 03 01", "01", 64))).hasSize(1);
        assertThatThrownBy(() -> Amf.decodeAmf3(nestedArrays("09 03 01", "01", 65)))
                .isInstanceOf(AmfException.class);
    }

    /**
     * A bound for a decoder that hangs or works far too hard, not a timing: the work it bounds
     * takes well under a second, and a test may run on a loaded machine.
     */
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void deepHostileNestingFailsWithoutExhaustingTheStack() {
        assertThatThrownBy(() -> Amf.decodeAmf0(nestedArrays("0a 00000001", "05", 1_000_000)))
                .isInstanceOf(AmfException.class);
        assertThatThrownBy(() -> Amf.decodeAmf0(nestedArrays("03 0001 61", "05", 1_000_000)))
                .isInstanceOf(AmfException.class);
        assertThatThrownBy(() -> Amf.decodeAmf3(nestedArrays("0a 0b 01 03 61", "01", 1_000_000)))
                .isInstanceOf(AmfException.class);
        byte[] embedded = new ByteWriter().u8(0x11).bytes(nestedArrays("09 03 01", "01", 1_000_000)).toByteArray();
        assertThatThrownBy(() -> Amf.decodeAmf0(embedded)).isInstanceOf(AmfException.class);
    }

    @Example
    void embeddedAmf3CountsTowardsTheSameDepth() {
        assertThat(Amf.decodeAmf0(amf0ThenAmf3Arrays(40, 24))).hasSize(1);
        assertThatThrownBy(() -> Amf.decodeAmf0(amf0ThenAmf3Arrays(40, 25)))
                .isInstanceOf(AmfException.class).hasMessageContaining("64");
    }

    private static byte[] amf0ThenAmf3Arrays(int amf0, int amf3) {
        return new ByteWriter().bytes(nestedArrays("0a 00000001", "11", amf0))
                .bytes(nestedArrays("09 03 01", "01", amf3)).toByteArray();
    }

    @Example
    void depthLimitIsConfigurable() {
        byte[] three = nestedArrays("0a 00000001", "05", 3);
        assertThat(new Amf0Reader(new ByteReader(three), 3).readAll()).hasSize(1);
        assertThatThrownBy(() -> new Amf0Reader(new ByteReader(three), 2).readAll()).isInstanceOf(AmfException.class);
        byte[] two = nestedArrays("09 03 01", "01", 2);
        assertThat(new Amf3Reader(new ByteReader(two), 2).readAll()).hasSize(1);
        assertThatThrownBy(() -> new Amf3Reader(new ByteReader(two), 1).readAll()).isInstanceOf(AmfException.class);
        assertThat(new Amf3Reader(new ByteReader(Hex.decode("04 01")), 0).readAll()).containsExactly(1);
    }

    @Example
    void encodersBoundNestingToo() {
        List<Object> deep = new ArrayList<>();
        List<Object> inner = deep;
        for (int i = 0; i < 64; i++) {
            List<Object> next = new ArrayList<>();
            inner.add(next);
            inner = next;
        }
        assertThatThrownBy(() -> Amf.encodeAmf0(deep)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Amf.encodeAmf3(deep)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Amf.encodeAmf0(deep.get(0))).isNotEmpty();
        assertThat(Amf.encodeAmf3(deep.get(0))).isNotEmpty();
        assertThat(new Amf3Writer(new ByteWriter(), 65).writeValue(deep).toByteArray()).isNotEmpty();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void hugeDeclaredCountsAreRejectedBeforeAllocating() {
        List<String> amf0 = List.of(
                "0a ffffffff 05",                      // strict array of 2^32 - 1
                "0c ffffffff 61",                      // long string
                "0f 7fffffff 61",                      // XML document
                "02 ffff 61");                         // string
        List<String> amf3 = List.of(
                "09 ff ff ff ff 01 01",                // array of 2^28 - 1
                "06 ff ff ff ff 61",                   // string
                "0c ff ff ff ff 61",                   // ByteArray
                "0d ff ff ff ff 00 00000001",          // int vector
                "0e ff ff ff ff 00 00000001",          // uint vector
                "0f ff ff ff ff 00 3ff0000000000000",  // Number vector
                "10 ff ff ff ff 00 01 01",             // object vector
                "11 ff ff ff ff 00 01 01",             // dictionary
                "0a ff ff ff f3 01 01");               // traits with 2^25 - 1 sealed names
        for (String hex : amf0) {
            assertThatThrownBy(() -> Amf.decodeAmf0(Hex.decode(hex))).as(hex).isInstanceOf(AmfException.class);
        }
        for (String hex : amf3) {
            assertThatThrownBy(() -> Amf.decodeAmf3(Hex.decode(hex))).as(hex).isInstanceOf(AmfException.class);
        }
    }

    /**
     * A graph whose every level refers twice to the level below: linear in bytes, exponential as
     * a tree. Used as a dictionary key it must not be hashed, or decoding would never finish.
     */
    @Test
    void sharedGraphsAsDictionaryKeysDecodeInLinearTime() {
        Object level = List.of();
        for (int i = 0; i < 60; i++) {
            level = List.of(level, level);
        }
        Map<Object, Object> entries = new IdentityHashMap<>();
        entries.put(level, "deep");
        byte[] bytes = Amf.encodeAmf3(new Dictionary(false, entries));
        assertThat(bytes.length).isLessThan(400);

        // Exponential work would not end in any time: only the decoding has a bound.
        Dictionary decoded = (Dictionary) assertTimeoutPreemptively(WAIT, () -> Amf.decodeAmf3(bytes).get(0));
        Object key = decoded.entries().keySet().iterator().next();
        assertThat(decoded.entries().get(key)).isEqualTo("deep");
        // Hashing the dictionary hashes the key by identity too.
        assertThat(decoded.entries().hashCode()).isEqualTo(System.identityHashCode(key) ^ "deep".hashCode());
    }

    /**
     * 2^17 distinct string keys with one hash ("Aa" and "BB" hash alike): a dictionary that scanned
     * a colliding bucket for each key would do eight billion string comparisons, minutes on any
     * machine; ordered keys make it a tree walk of a few million.
     */
    @Test
    void dictionaryKeysWithOneHashDecodeWithoutQuadraticWork() {
        int bits = 17;
        Map<Object, Object> entries = new java.util.LinkedHashMap<>();
        for (int n = 0; n < 1 << bits; n++) {
            StringBuilder key = new StringBuilder();
            for (int b = 0; b < bits; b++) {
                key.append((n >>> b & 1) == 0 ? "Aa" : "BB");
            }
            entries.put(key.toString(), 1);
        }
        assertThat(entries.keySet().stream().map(Object::hashCode).distinct().count()).isEqualTo(1);
        byte[] bytes = Amf.encodeAmf3(new Dictionary(false, entries));

        Dictionary decoded = (Dictionary) assertTimeoutPreemptively(WAIT, () -> Amf.decodeAmf3(bytes).get(0));

        assertThat(decoded.entries()).hasSize(1 << bits);
        assertThat(decoded.entries().get("BB".repeat(bits))).isEqualTo(1);
    }
}
