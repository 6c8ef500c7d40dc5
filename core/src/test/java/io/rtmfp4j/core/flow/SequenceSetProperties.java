package io.rtmfp4j.core.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link SequenceSet} behaves exactly like a sorted set of numbers, kept as separated ranges. */
class SequenceSetProperties {

    @Property
    void agreesWithASortedSet(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 400) Integer> adds,
            @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 400) Integer> rangeStarts) {
        SequenceSet set = new SequenceSet();
        TreeSet<Long> model = new TreeSet<>();
        int i = 0;
        for (int n : adds) {
            boolean fresh;
            if (i < rangeStarts.size() && n % 7 == 0) {
                long lo = rangeStarts.get(i++);
                long hi = lo + n % 13;
                fresh = set.add(lo, hi);
                boolean modelFresh = false;
                for (long x = lo; x <= hi; x++) {
                    modelFresh |= model.add(x);
                }
                assertThat(fresh).isEqualTo(modelFresh);
            } else {
                assertThat(set.add(n)).isEqualTo(model.add((long) n));
            }
            assertSame(set, model);
        }
    }

    private static void assertSame(SequenceSet set, TreeSet<Long> model) {
        // Ranges are ascending, separated by at least one missing number, and cover exactly the model.
        long count = 0;
        for (int r = 0; r < set.rangeCount(); r++) {
            assertThat(set.rangeFrom(r)).isLessThanOrEqualTo(set.rangeTo(r));
            if (r > 0) {
                assertThat(set.rangeFrom(r)).isGreaterThan(set.rangeTo(r - 1) + 1);
            }
            for (long x = set.rangeFrom(r); x <= set.rangeTo(r); x++) {
                assertThat(model).contains(x);
            }
            count += set.rangeTo(r) - set.rangeFrom(r) + 1;
        }
        assertThat(count).isEqualTo(model.size());
        for (long x = 0; x <= 420; x++) {
            assertThat(set.contains(x)).isEqualTo(model.contains(x));
        }
        for (long x = 0; x <= 420; x++) {
            long missing = x;
            while (model.contains(missing)) {
                missing++;
            }
            assertThat(set.nextMissing(x)).isEqualTo(missing);
            Long present = model.higher(x);
            assertThat(set.nextPresentAfter(x)).isEqualTo(present == null ? Long.MAX_VALUE : present);
        }
        long expectedCumulative = -1;
        while (model.contains(expectedCumulative + 1)) {
            expectedCumulative++;
        }
        assertThat(set.cumulative()).isEqualTo(expectedCumulative);
    }

    @Test
    void hugeNumbersCostOneRange() {
        SequenceSet set = SequenceSet.startingAtZero();
        set.add(Long.MAX_VALUE - 1, Long.MAX_VALUE);
        set.add(1L << 62);
        assertThat(set.rangeCount()).isEqualTo(3);
        assertThat(set.nextMissing(Long.MAX_VALUE - 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(set.nextPresentAfter(1L << 62)).isEqualTo(Long.MAX_VALUE - 1);
        set.add(0, Long.MAX_VALUE);
        assertThat(set.rangeCount()).isEqualTo(1);
        assertThat(set.isPrefixThrough(Long.MAX_VALUE)).isTrue();
    }

    @Test
    void refusesNegativeOrInvertedRanges() {
        SequenceSet set = new SequenceSet();
        assertThatThrownBy(() -> set.add(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> set.add(5, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
