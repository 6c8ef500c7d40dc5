package io.rtmfp4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.flash.group.ReceiveMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A thousand members of one NetGroup through one server, 50 ms RTT and 1 % loss on every link, in
 * simulation: the overlay converges and stays connected, every posting reaches every member, and
 * after a fifth of the members crash and as many join, every live member still gets every posting;
 * directed messages reach the member nearest their address in at most log2 N + 2 hops, in both
 * receive modes.
 */
@ExtendWith(SimSeedExtension.class)
class GroupScaleSimulationTest {
    static final int MEMBERS = 1000;
    static final long SECOND = GroupSimulation.SECOND;
    /** ⌈log2 1000⌉ + 2. */
    static final int MAX_HOPS = 12;
    /**
     * Posting bytes per member per posting of these short notes (about 60 bytes of AMF): eager
     * pushes to 6 neighbors and 32-byte announcements to the rest. Measured at about 1.5 KB.
     */
    static final double MAX_BYTES_PER_MEMBER_PER_POST = 4096;

    @Test
    void aThousandMembersConvergePostToEveryoneRouteInLogarithmicHopsAndSurviveChurn() {
        GroupSimulation sim = new GroupSimulation(SimNetwork.seedFromEnvironment(System.nanoTime()), 50, 0.01);
        sim.join(MEMBERS);
        assertThat(sim.converge(300 * SECOND)).as("convergence").isNotNegative();

        GroupSimulation.Spread before = sim.post(10);
        assertThat(before.coverage()).as("posting coverage").isEqualTo(1.0);
        assertThat(p99(before.delaysMicros())).as("p99 posting delay, µs").isLessThanOrEqualTo(1_000_000);
        assertThat((double) before.bytes() / MEMBERS / 10).as("posting bytes per member per posting")
                .isLessThanOrEqualTo(MAX_BYTES_PER_MEMBER_PER_POST);

        for (ReceiveMode mode : ReceiveMode.values()) {
            GroupSimulation.Routes routes = sim.route(100, mode);
            assertThat(routes.deliveredRatio()).as("directed messages at the nearest member, " + mode).isEqualTo(1.0);
            assertThat(Collections.max(routes.hops())).as("hops, " + mode).isLessThanOrEqualTo(MAX_HOPS);
        }

        sim.crash(0.2);
        sim.join(MEMBERS / 5);
        sim.network().runFor(30 * SECOND);
        GroupSimulation.Spread after = sim.post(10);
        assertThat(after.expected()).as("live members that joined, times postings").isGreaterThan(9 * 900);
        assertThat(after.coverage()).as("posting coverage after churn").isEqualTo(1.0);
    }

    static long p99(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return (long) GroupSimulation.percentile(sorted, 0.99);
    }
}
