package io.rtmfp4j.flash.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.group.GroupAddress;
import io.rtmfp4j.flash.group.wire.HostileBytes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The store's wire: entries and messages decode what they encode, and nothing else escapes. */
class StoreMessageProperties {

    static Arbitrary<StoreEntry> entries() {
        Arbitrary<String> keys = Arbitraries.strings().ofMinLength(1).ofMaxLength(80)
                .filter(k -> k.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= StoreEntry.MAX_KEY)
                .filter(k -> java.nio.charset.StandardCharsets.UTF_8.newEncoder().canEncode(k));
        Arbitrary<byte[]> writers = Arbitraries.bytes().array(byte[].class).ofSize(WriterKey.PUBLIC_LENGTH);
        Arbitrary<byte[]> signatures = Arbitraries.bytes().array(byte[].class).ofSize(WriterKey.SIGNATURE_LENGTH);
        Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<Long> versions = Arbitraries.oneOf(Arbitraries.longs().between(0, 1000),
                Arbitraries.longs().between(0, Long.MAX_VALUE));
        return Combinators.combine(keys, writers, versions, Arbitraries.of(true, false), values, signatures)
                .as((k, w, v, removed, value, sig) -> new StoreEntry(k, w, v, removed, removed ? new byte[0] : value, sig));
    }

    @Provide
    Arbitrary<StoreMessage> messages() {
        Arbitrary<Integer> ids = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Integer> hops = Arbitraries.integers().between(0, StoreMessage.MAX_HOPS);
        Arbitrary<GroupAddress> addresses = Arbitraries.bytes().array(byte[].class).ofSize(GroupAddress.LENGTH)
                .map(GroupAddress::new);
        Arbitrary<Boolean> flags = Arbitraries.of(true, false);
        return Arbitraries.oneOf(
                Combinators.combine(ids, addresses, flags, entries()).as(StoreMessage.Store::new),
                Combinators.combine(ids, hops, Arbitraries.of(StoreOutcome.class)).as(StoreMessage.Stored::new),
                Combinators.combine(ids, addresses, flags, hops, entries().map(StoreEntry::key)).as(StoreMessage.Get::new),
                Combinators.combine(ids, hops, entries()).as(StoreMessage.Found::new),
                Combinators.combine(ids, hops, hops).as(StoreMessage.Missing::new));
    }

    @Property(tries = 2000)
    void decodeInvertsEncode(@ForAll("messages") StoreMessage m) {
        assertThat(StoreMessage.decode(m.encode())).isEqualTo(m);
    }

    @Property(tries = 500)
    void entriesDecodeWhatTheyEncode(@ForAll("anyEntry") StoreEntry e) {
        assertThat(StoreEntry.decode(e.encode())).isEqualTo(e);
    }

    @Provide
    Arbitrary<StoreEntry> anyEntry() {
        return entries();
    }

    @Property(tries = 2000)
    void anyBytesDecodeOrFailWithWireFormatException(@ForAll @Size(max = 200) byte[] bytes) {
        decodeQuietly(bytes);
    }

    @Property(tries = 2000)
    void damagedMessagesDecodeOrFailWithWireFormatException(@ForAll("messages") StoreMessage m,
            @ForAll int position, @ForAll byte value, @ForAll boolean cut) {
        decodeQuietly(HostileBytes.damaged(m.encode(), position, value, cut));
    }

    private static void decodeQuietly(byte[] bytes) {
        HostileBytes.decodeOrRefuse(bytes, StoreMessage::decode, StoreMessage::encode);
    }

    @Test
    void missingTravelsAsFourVlus() {
        assertThat(Hex.encode(new StoreMessage.Missing(300, 7, 2).encode())).isEqualTo("05822c0702");
        assertThat(Hex.encode(new StoreMessage.Stored(1, 3, StoreOutcome.OTHER_WRITER).encode())).isEqualTo("02010302");
    }

    @Test
    void liesAboutLengthsAreRefusedBeforeAllocation() {
        // A get whose key claims 2^31 - 1 bytes; an entry whose value claims a megabyte.
        String origin = "00".repeat(32);
        assertThatThrownBy(() -> StoreMessage.decode(Hex.decode("0301" + origin + "00" + "00" + "87ffffff7f")))
                .isInstanceOf(WireFormatException.class);
        String entryHead = "0161" + "11".repeat(32) + "01" + "00";
        assertThatThrownBy(() -> StoreEntry.decode(Hex.decode(entryHead + "c08000")))
                .isInstanceOf(WireFormatException.class);
        // A removal with a value, unknown flags, a key that is not UTF-8, an unknown type, hops past the limit.
        assertThatThrownBy(() -> StoreEntry.decode(Hex.decode("0161" + "11".repeat(32) + "01" + "01" + "0161"
                + "22".repeat(64)))).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> StoreEntry.decode(Hex.decode("0161" + "11".repeat(32) + "01" + "02" + "00"
                + "22".repeat(64)))).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> StoreEntry.decode(Hex.decode("01ff" + "11".repeat(32) + "01" + "00" + "00"
                + "22".repeat(64)))).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> StoreMessage.decode(Hex.decode("0901"))).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> StoreMessage.decode(Hex.decode("05019000"))).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> StoreMessage.decode(Hex.decode("0501" + "8801" + "00")))
                .isInstanceOf(WireFormatException.class);
    }
}
