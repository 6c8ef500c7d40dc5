package io.rtmfp4j.flash.group.overlay;

import static io.rtmfp4j.flash.group.overlay.RingTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.flash.group.GroupAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LocalCoverageTest {

    @Test
    void halfwayPointsGoToTheLowerAddress() {
        // Self 10 between 0 and 20: 5 is as near to 0 as to 10 (0 wins), 15 as near to 10 as to 20 (10 wins).
        LocalCoverage c = LocalCoverage.of(at(10), new TreeSet<>(List.of(at(0), at(20))));
        assertThat(c).isEqualTo(new LocalCoverage(at(6), at(15)));
        assertThat(c.contains(at(5))).isFalse();
        assertThat(c.contains(at(6))).isTrue();
        assertThat(c.contains(at(15))).isTrue();
        assertThat(c.contains(at(16))).isFalse();
        // Odd gaps have no halfway point.
        assertThat(LocalCoverage.of(at(10), new TreeSet<>(List.of(at(1), at(21)))))
                .isEqualTo(new LocalCoverage(at(6), at(15)));
    }

    @Test
    void acrossTheTopOfTheRing() {
        // Self 2 between 2^256 − 2 and 4: 0 is as near to −2 as to 2, and 2 is the lower address.
        LocalCoverage c = LocalCoverage.of(at(2), new TreeSet<>(List.of(at(-2), at(4), at(100))));
        assertThat(c).isEqualTo(new LocalCoverage(at(0), at(3)));
        assertThat(c.contains(at(-1))).isFalse();
        assertThat(c.contains(at(0))).isTrue();
    }

    @Test
    void aloneANodeCoversTheWholeRing() {
        LocalCoverage c = LocalCoverage.of(at(7), new TreeSet<>(List.of(at(7))));
        assertThat(c).isEqualTo(new LocalCoverage(at(8), at(7)));
        for (long a : new long[] {0, 6, 7, 8, -1}) {
            assertThat(c.contains(at(a))).isTrue();
        }
    }

    @Test
    void oneOtherMemberSplitsTheRing() {
        LocalCoverage c = LocalCoverage.of(at(0), new TreeSet<>(List.of(at(10))));
        assertThat(c.to()).isEqualTo(at(5));
        assertThat(c.contains(at(6))).isFalse();
        assertThat(c.contains(at(-100))).isTrue();
    }

    /** Addresses crowded near 0 and near the top, so that ties and wrapping happen often. */
    @Provide
    Arbitrary<GroupAddress> crowded() {
        return Arbitraries.longs().between(-12, 12).map(RingTest::at);
    }

    @Provide
    Arbitrary<List<GroupAddress>> crowdedMembers() {
        return crowded().list().ofMaxSize(6);
    }

    /** The coverage is exactly where Ring.nearest picks this node among itself and the members. */
    @Property(tries = 2000)
    void coverageIsWhereThisNodeIsNearest(@ForAll("crowded") GroupAddress self,
            @ForAll("crowdedMembers") List<GroupAddress> others, @ForAll("crowded") GroupAddress probe) {
        NavigableSet<GroupAddress> members = new TreeSet<>(others);
        LocalCoverage c = LocalCoverage.of(self, members);
        List<GroupAddress> all = new ArrayList<>(members);
        all.add(self);
        boolean nearest = Ring.nearest(all, probe).orElseThrow().equals(self);
        assertThat(c.contains(probe)).as("%s in %s", probe, c).isEqualTo(nearest);
        assertThat(c.contains(self)).isTrue();
    }
}
