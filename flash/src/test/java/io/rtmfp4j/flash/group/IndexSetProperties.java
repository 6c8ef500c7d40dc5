package io.rtmfp4j.flash.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.flash.group.wire.IndexRange;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link IndexSet} against a plain set of indices, on a small index space where every index can be listed. */
class IndexSetProperties {
    record Op(boolean add, long first, long last) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Long> index = Arbitraries.longs().between(0, 60);
        return Combinators.combine(Arbitraries.of(true, true, false), index, Arbitraries.longs().between(0, 12))
                .as((add, first, span) -> new Op(add, first, first + span)).list().ofMaxSize(40);
    }

    @Property(tries = 1000)
    void behavesAsASetOfIndicesAndSaysWhatEachChangeChanged(@ForAll("ops") List<Op> ops) {
        IndexSet set = new IndexSet();
        TreeSet<Long> model = new TreeSet<>();
        for (Op op : ops) {
            TreeSet<Long> before = new TreeSet<>(model);
            List<IndexRange> changed = op.add() ? set.add(op.first(), op.last()) : set.remove(op.first(), op.last());
            for (long i = op.first(); i <= op.last(); i++) {
                if (op.add()) {
                    model.add(i);
                } else {
                    model.remove(i);
                }
            }
            TreeSet<Long> difference = new TreeSet<>(op.add() ? model : before);
            difference.removeAll(op.add() ? before : model);
            assertThat(indices(changed)).isEqualTo(difference);
            assertThat(indices(set.ranges())).isEqualTo(model);
            assertThat(set.count()).isEqualTo(model.size());
            // Ranges are kept merged: none touches the next.
            List<IndexRange> rs = set.ranges();
            for (int i = 1; i < rs.size(); i++) {
                assertThat(rs.get(i).first()).isGreaterThan(rs.get(i - 1).last() + 1);
            }
            for (long i = 0; i <= 75; i++) {
                assertThat(set.contains(i)).isEqualTo(model.contains(i));
            }
            assertThat(indices(set.ranges(10, 30))).isEqualTo(model.subSet(10L, true, 30L, true));
        }
    }

    private static TreeSet<Long> indices(List<IndexRange> ranges) {
        TreeSet<Long> out = new TreeSet<>();
        for (IndexRange r : ranges) {
            for (long i = r.first(); i <= r.last(); i++) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void theWholeIndexSpaceIsTwoNumbers() {
        IndexSet set = new IndexSet();
        assertThat(set.add(0, IndexRange.MAX_INDEX)).containsExactly(new IndexRange(0, IndexRange.MAX_INDEX));
        assertThat(set.remove(1L << 40, 1L << 40)).containsExactly(IndexRange.of(1L << 40));
        assertThat(set.ranges()).containsExactly(new IndexRange(0, (1L << 40) - 1),
                new IndexRange((1L << 40) + 1, IndexRange.MAX_INDEX));
        assertThat(set.count()).isEqualTo(IndexRange.MAX_INDEX);
        assertThat(new ArrayList<>(set.add(0, 5))).isEmpty();
    }
}
