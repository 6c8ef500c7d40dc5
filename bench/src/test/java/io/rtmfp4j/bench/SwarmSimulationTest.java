package io.rtmfp4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.flash.group.ReplicationStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Swarming downloads in simulation: one seed, the others fetching at once, every member's upload
 * 10 Mbit/s. The build runs a small swarm: 16 members, 8 MiB for the times and 4 MiB for members
 * that leave or lie ({@code -Dswarm.peers} and {@code -Dswarm.size} in MiB run others, every test
 * at that size). The issue's own size, 100 members and 100 MiB, takes about 7 minutes of CPU and
 * runs on demand ({@code -Dswarm.full=true}, or {@code rtmfp bench swarm}); docs/benchmarks.md has
 * the figures.
 */
@ExtendWith(SimSeedExtension.class)
class SwarmSimulationTest {
    static final long UPLINK = 1_250_000;
    static final int PEERS = Integer.getInteger("swarm.peers", 16);
    static final Long SIZE = Long.getLong("swarm.size");
    static final int CHUNK = 64 << 10;

    static SwarmSimulation.Params params(long defaultMiB, ReplicationStrategy strategy, double leave, int liars) {
        long size = (SIZE != null ? SIZE : defaultMiB) << 20;
        return new SwarmSimulation.Params(PEERS, size, CHUNK, UPLINK, 50, 0, strategy, leave, liars,
                SimNetwork.seedFromEnvironment(System.nanoTime()));
    }

    static SwarmSimulation.Result run(SwarmSimulation.Params p) {
        SwarmSimulation.Result r = SwarmSimulation.run(p);
        System.out.println(r.toJson());
        assertThat(r.completedRatio()).as(r.toJson()).isEqualTo(1.0);
        assertThat(r.corruptWrites()).as(r.toJson()).isZero();
        return r;
    }

    @Test
    void everyDownloaderGetsTheWholeFileAndTheSeedSendsFewCopies() {
        SwarmSimulation.Result rarest = run(params(8, ReplicationStrategy.RAREST_FIRST, 0, 0));
        // The downloaders' uploads carry the swarm: the seed sends few copies, and the time is near
        // the ideal (small files pay more for the start, when only the seed has chunks). Measured
        // at 16 members and 8 MiB: 1.65 times the ideal, 1.55 copies from the seed.
        assertThat(rarest.seedUploadRatio()).as(rarest.toJson()).isLessThanOrEqualTo(2);
        assertThat(rarest.timeOverIdeal()).as(rarest.toJson()).isLessThanOrEqualTo(1.9);

        // Fetched in order, every downloader wants the same chunk at once: only the seed has it.
        SwarmSimulation.Result lowest = run(params(8, ReplicationStrategy.LOWEST_FIRST, 0, 0));
        assertThat(lowest.timeToAllMs()).as(lowest.toJson()).isGreaterThan(rarest.timeToAllMs());
        assertThat(lowest.seedUploadRatio()).as(lowest.toJson()).isGreaterThan(rarest.seedUploadRatio());
    }

    /**
     * One seed and 99 downloaders of 100 MiB: the time to all within 1.5 times the ideal, at most 3
     * copies from the seed. Measured on seeds 1 and 2: 1.18 and 1.20 times the ideal, 1.15 and
     * 1.14 copies. At this size the start, when only the seed has chunks, weighs little against
     * the 84 s the seed needs to send one copy, which bounds the ideal.
     */
    @Test
    @EnabledIfSystemProperty(named = "swarm.full", matches = "true")
    void aHundredMembersFetchAHundredMebibytesWithinOneAndAHalfTimesTheIdeal() {
        SwarmSimulation.Result r = run(new SwarmSimulation.Params(100, 100L << 20, CHUNK, UPLINK, 50, 0,
                ReplicationStrategy.RAREST_FIRST, 0, 0, SimNetwork.seedFromEnvironment(System.nanoTime())));
        assertThat(r.timeOverIdeal()).as(r.toJson()).isLessThanOrEqualTo(1.5);
        assertThat(r.seedUploadRatio()).as(r.toJson()).isLessThanOrEqualTo(3);
    }

    @Test
    void downloadersLeavingHalfwayCorruptNothingAndTheOthersFinish() {
        SwarmSimulation.Result r = run(params(4, ReplicationStrategy.RAREST_FIRST, 0.3, 0));
        assertThat(r.leftCorrupt()).as(r.toJson()).isZero();
    }

    @Test
    void aLyingMemberIsFoundOutAndAvoidedAndNothingItSentIsKept() {
        SwarmSimulation.Result r = run(params(4, ReplicationStrategy.RAREST_FIRST, 0, 1));
        assertThat(r.corruptReceived()).as(r.toJson()).isPositive();
        assertThat(r.liarsAvoided()).as(r.toJson()).isPositive();
        assertThat(r.honestAvoided()).as(r.toJson()).isZero();
    }
}
