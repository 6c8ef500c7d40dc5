package io.rtmfp4j.flash.group.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The replication messages of this project's {@code GR F2}/{@code F3} flows (netgroup spec §16). */
class ReplicationMessageProperties {

    /** Ascending, disjoint ranges anywhere in 0..2^53, from gaps and spans. */
    static Arbitrary<List<IndexRange>> ranges(int min) {
        Arbitrary<Long> step = Arbitraries.oneOf(Arbitraries.longs().between(0, 3), Arbitraries.longs().between(0, 1L << 40),
                Arbitraries.longs().between(0, IndexRange.MAX_INDEX));
        return Combinators.combine(step, step).as((gap, span) -> new long[] {gap, span}).list().ofMinSize(min)
                .ofMaxSize(20).map(ReplicationMessageProperties::toRanges);
    }

    private static List<IndexRange> toRanges(List<long[]> steps) {
        List<IndexRange> out = new ArrayList<>();
        long next = 0;
        for (long[] step : steps) {
            long first = next + step[0];
            long last = first + step[1];
            if (last > IndexRange.MAX_INDEX) {
                break;
            }
            out.add(new IndexRange(first, last));
            next = last + 1;
        }
        return out;
    }

    @Provide
    Arbitrary<ReplicationMessage> messages() {
        Arbitrary<Integer> ids = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Long> indices = Arbitraries.oneOf(Arbitraries.longs().between(0, 1000),
                Arbitraries.longs().between(0, IndexRange.MAX_INDEX));
        return Arbitraries.oneOf(ranges(0).map(ReplicationMessage.Have::new),
                ranges(1).filter(r -> !r.isEmpty()).map(ReplicationMessage.HaveMore::new),
                Combinators.combine(ids, indices).as(ReplicationMessage.Request::new),
                Combinators.combine(ids, indices).as(ReplicationMessage.Deny::new),
                Combinators.combine(ids, indices, Arbitraries.bytes().array(byte[].class).ofMaxSize(200))
                        .as(ReplicationMessage.ObjectData::new));
    }

    @Property(tries = 2000)
    void decodeInvertsEncode(@ForAll("messages") ReplicationMessage m) {
        assertThat(ReplicationMessage.decode(m.encode())).isEqualTo(m);
    }

    @Property(tries = 2000)
    void anyBytesDecodeOrFailWithWireFormatException(@ForAll @Size(max = 60) byte[] bytes) {
        decodeQuietly(bytes);
    }

    @Property(tries = 2000)
    void damagedMessagesDecodeOrFailWithWireFormatException(@ForAll("messages") ReplicationMessage m,
            @ForAll int position, @ForAll byte value, @ForAll boolean cut) {
        decodeQuietly(HostileBytes.damaged(m.encode(), position, value, cut));
    }

    private static void decodeQuietly(byte[] bytes) {
        HostileBytes.decodeOrRefuse(bytes, ReplicationMessage::decode, ReplicationMessage::encode);
    }

    @Test
    void rangesTravelAsGapsAndSpans() {
        // 0..9, then 20..20 (gap 10 after 9), then 2^53 alone.
        ReplicationMessage.Have have = new ReplicationMessage.Have(List.of(new IndexRange(0, 9), IndexRange.of(20),
                IndexRange.of(IndexRange.MAX_INDEX)));
        assertThat(Hex.encode(have.encode())).isEqualTo("0103" + "0009" + "0a00" + "8fffffffffffff6b" + "00");
        assertThat(Hex.encode(new ReplicationMessage.Request(7, 300).encode())).isEqualTo("0307822c");
        assertThat(Hex.encode(new ReplicationMessage.Have(List.of()).encode())).isEqualTo("0100");
    }

    @Test
    void liesAboutSizesAndIndicesBeyondTwoToThe53AreRefused() {
        // A count of a million ranges in four bytes: refused before anything is allocated.
        assertThatThrownBy(() -> ReplicationMessage.decode(Hex.decode("01bd8400" + "0000")))
                .isInstanceOf(WireFormatException.class);
        // One range ending at 2^53 + 1.
        assertThatThrownBy(() -> ReplicationMessage.decode(Hex.decode("0101" + "01" + "9080808080808000")))
                .isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> ReplicationMessage.decode(Hex.decode("0300" + "9080808080808081")))
                .isInstanceOf(WireFormatException.class);
        // A request with trailing bytes, an empty have-more, an unknown type.
        assertThatThrownBy(() -> ReplicationMessage.decode(Hex.decode("030001ff"))).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> ReplicationMessage.decode(Hex.decode("0200"))).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> ReplicationMessage.decode(Hex.decode("09"))).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> new ReplicationMessage.Have(List.of(new IndexRange(5, 9), new IndexRange(9, 12))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
