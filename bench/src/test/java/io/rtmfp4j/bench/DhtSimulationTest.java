package io.rtmfp4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The GroupStore under churn in simulation: keys written, a fifth of the members leaving without
 * a word (and as many joining) in waves, then every key looked up. The build runs
 * {@code -Ddht.peers} members (default 100) and ten keys per member ({@code -Ddht.keys});
 * {@code rtmfp bench dht} runs 1000 members and 10,000 keys, docs/benchmarks.md has the figures.
 */
@ExtendWith(SimSeedExtension.class)
class DhtSimulationTest {
    static final int PEERS = Integer.getInteger("dht.peers", 100);
    static final int KEYS = Integer.getInteger("dht.keys", 10 * PEERS);
    static final int WAVES = Integer.getInteger("dht.waves", 10);

    @Test
    void everyKeyOutlivesAFifthOfTheMembersLeavingAndLookupsTakeLogarithmicHops() {
        DhtSimulation.Result r = DhtSimulation.run(new DhtSimulation.Params(PEERS, KEYS, 0.2, WAVES, 50, 0,
                SimNetwork.seedFromEnvironment(System.nanoTime())));
        System.out.println(r.toJson());
        assertThat(r.storedRatio()).as(r.toJson()).isEqualTo(1.0);
        assertThat(r.retrievableRatio()).as(r.toJson()).isEqualTo(1.0);
        assertThat(r.lookupHopsMax()).as(r.toJson()).isLessThanOrEqualTo(r.hopBound());
        assertThat(r.copiesSent()).as(r.toJson()).isPositive();
    }
}
