package io.rtmfp4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A 1 Mbit/s stream multicast in a group of a few dozen viewers (a hundred in two cases), in
 * simulation: 50 ms RTT and 1 % loss on every link, each viewer's upload three times the stream's
 * rate, a tenth of the viewers joining while the stream runs. The figures for a thousand
 * viewers, at the size the test suite can afford ({@code -Dmulticast.viewers=1000} runs the issue's
 * size, far too slow for every build; so does {@code rtmfp bench multicast --peers 1000}), with
 * the bounds this implementation met on every seed tried: 99.9 % of frames delivered over all
 * viewers and 99 % to the worst one on random seeds (the issue asks 99.9 % to every viewer: over
 * 12 s that is every frame, which a fixed-seed case below asserts), p99 delay within 2 s, late
 * viewers see a first frame within 2 s at p90, the publisher uploads at most its push neighbor
 * limit (4) copies; the same delivery when a fifth of the viewers leave abruptly half-way.
 */
@ExtendWith(SimSeedExtension.class)
class MulticastSimulationScaleTest {
    static final int VIEWERS = Integer.getInteger("multicast.viewers", 30);

    MulticastSimulation.Params params(double churn) {
        return new MulticastSimulation.Params(VIEWERS, 1000, 50, 0.01, 3, 12, 0.1, churn,
                SimNetwork.seedFromEnvironment(System.nanoTime()));
    }

    @Test
    void everyViewerGetsTheStreamAndTheUploadOfThePublisherIsBounded() {
        MulticastSimulation.Result r = MulticastSimulation.run(params(0));
        assertThat(r.viewersMeasured()).isEqualTo(VIEWERS);
        assertThat(r.deliveredRatio()).as(r.toJson()).isGreaterThanOrEqualTo(0.999);
        assertThat(r.worstViewerRatio()).as(r.toJson()).isGreaterThanOrEqualTo(0.99);
        assertThat(r.p99DelayMs()).as(r.toJson()).isLessThanOrEqualTo(2000);
        assertThat(r.firstFrameP90Ms()).as(r.toJson()).isPositive().isLessThanOrEqualTo(2000);
        // 4 copies of every fragment; the decoder configuration repeated before key frames is uploaded
        // too but not counted in the stream's bytes: a few hundred bytes in 1.5 MB.
        assertThat(r.sourceUploadRatio()).as(r.toJson()).isGreaterThan(1).isLessThanOrEqualTo(4.01);
    }

    /**
     * On this seed the viewers that heard the publisher first all asked it for every slice; past
     * its push neighbor limit, it pushed to one of them only while one served first lagged, about
     * two fragments in three, never silent long enough to be replaced: that viewer got 82 % of the
     * frames, the pulls for the rest coming late. A parent that pushes only part of its slice is
     * replaced now.
     */
    @Test
    void aViewerWhoseParentPushesOnlyPartOfTheStreamTakesAnother() {
        MulticastSimulation.Result r = MulticastSimulation.run(new MulticastSimulation.Params(30, 1000, 50, 0.01,
                3, 12, 0.1, 0, 28305872980269L));
        assertThat(r.worstViewerRatio()).as(r.toJson()).isGreaterThanOrEqualTo(0.99);
        assertThat(r.deliveredRatio()).as(r.toJson()).isGreaterThanOrEqualTo(0.99);
    }

    /**
     * A hundred viewers, on a seed where relays took every push request: the publisher's first
     * children were asked for every slice by all their neighbors and pushed up to four copies of
     * the stream through 3x uplinks, whose queues delayed their children by a second; 38 % of the
     * fragments then came by pull, late (99.06 % delivered, the worst viewer 86.4 %, p99 2.6 s).
     * A relay pushes two copies at most now, and pushes carry the stream (8 % pulled).
     */
    @Test
    void relaysWhoseUplinksWouldFillPushNoMoreThanTheyCanCarry() {
        MulticastSimulation.Result r = MulticastSimulation.run(new MulticastSimulation.Params(100, 1000, 50, 0.01,
                3, 12, 0.1, 0, 1));
        assertThat(r.deliveredRatio()).as(r.toJson()).isGreaterThanOrEqualTo(0.999);
        assertThat(r.worstViewerRatio()).as(r.toJson()).isGreaterThanOrEqualTo(0.99);
        assertThat(r.p99DelayMs()).as(r.toJson()).isLessThanOrEqualTo(2000);
        // The push trees carry the stream, pulls repair (6.7 % on this seed; 16.6 % before the
        // changes of docs/benchmarks.md, "A fifth leaving at once").
        assertThat(r.pulledRatio()).as(r.toJson()).isLessThan(0.15);
    }

    /**
     * A hundred viewers, a fifth of them leaving at once half-way: the fragments their children had
     * not been pushed yet, a second of the stream deep in the trees, are pulled from neighbors some
     * of which left too. When a lost parent was noticed after 0.5 s, a new parent's holes waited for
     * pushes that never come, and the playout gave a hole 1.5 s, those who stayed missed two or
     * three frames on this seed (99.987 %, the worst viewer 99.67 %). Over 12 s, the 99.9 %
     * to every viewer who stays is every frame.
     */
    @Test
    void aFifthLeavingAtOnceCostsThoseWhoStayNoFrame() {
        MulticastSimulation.Result r = MulticastSimulation.run(new MulticastSimulation.Params(100, 1000, 50, 0.01,
                3, 12, 0.1, 0.2, 1));
        assertThat(r.viewersMeasured()).isEqualTo(80);
        assertThat(r.worstViewerRatio()).as(r.toJson()).isEqualTo(1.0);
        assertThat(r.p99DelayMs()).as(r.toJson()).isLessThanOrEqualTo(2000);
    }

    /**
     * Thirty viewers, on a seed where the fifth that leaves takes five of the publisher's first six
     * neighbors, its push children: their sessions last minutes more, and the publisher pushed
     * each fragment to them first, then declined every pull of it (its copies were spent). It
     * stopped pushing to them only once half a second of the stream was queued for them, and began
     * again each time those fragments were given up, 2 s later: 0.4 s of every 2 s lost to all who
     * stayed (88.5 %). A publisher passes by a neighbor that leaves its data unacknowledged now,
     * and what was pushed to it goes to the next.
     */
    @Test
    void thePublishersPushChildrenLeavingAtOnceCostTheOthersNoFrame() {
        MulticastSimulation.Result r = MulticastSimulation.run(new MulticastSimulation.Params(30, 1000, 50, 0.01,
                3, 12, 0.1, 0.2, 9800151350919L));
        assertThat(r.viewersMeasured()).isEqualTo(24);
        assertThat(r.worstViewerRatio()).as(r.toJson()).isEqualTo(1.0);
        assertThat(r.p99DelayMs()).as(r.toJson()).isLessThanOrEqualTo(2000);
    }

    @Test
    void aFifthOfTheViewersLeavingAbruptlyCostsTheOthersLittle() {
        MulticastSimulation.Result r = MulticastSimulation.run(params(0.2));
        assertThat(r.viewersMeasured()).isEqualTo(VIEWERS - VIEWERS / 5);
        assertThat(r.deliveredRatio()).as(r.toJson()).isGreaterThanOrEqualTo(0.999);
        assertThat(r.worstViewerRatio()).as(r.toJson()).isGreaterThanOrEqualTo(0.99);
    }
}
