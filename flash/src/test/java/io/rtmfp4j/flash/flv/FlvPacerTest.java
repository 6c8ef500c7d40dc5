package io.rtmfp4j.flash.flv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Pacing against a fake clock: a publisher that waits exactly as long as it is told. */
class FlvPacerTest {

    private static final long MS = 1_000_000;
    private static final long START = 5_000 * MS;

    /** A publisher that sends each tag when it is due, or at once if it is late. */
    private static final class FakePublisher {
        final FlvPacer pacer = new FlvPacer(START);
        long now = START;

        /** Schedules a tag, lets the fake clock run to its deadline and returns the wait in ms. */
        long send(int timestamp) {
            long delay = pacer.schedule(timestamp, now);
            now += delay;
            assertThat(now).isGreaterThanOrEqualTo(pacer.deadlineNanos());
            return delay / MS;
        }
    }

    @Example
    void tagsAreDueAtTheirTimestampsFromTheStart() {
        FlvPacer pacer = new FlvPacer(START);
        assertThat(pacer.schedule(1000, START - 3 * MS)).isEqualTo(3 * MS);   // the first tag, whatever its timestamp
        assertThat(pacer.schedule(1040, START)).isEqualTo(40 * MS);
        assertThat(pacer.deadlineNanos()).isEqualTo(START + 40 * MS);
        assertThat(pacer.schedule(1080, START + 50 * MS)).isEqualTo(30 * MS);
        assertThat(pacer.streamTimestamp()).isEqualTo(1080);
        assertThat(pacer.discontinuities() + pacer.resyncs()).isZero();
    }

    @Example
    void tagsSlightlyBehindTheHeadAreDueAtOnce() {
        FakePublisher p = new FakePublisher();
        assertThat(p.send(0)).isZero();
        assertThat(p.send(40)).isEqualTo(40);   // video
        assertThat(p.send(23)).isZero();        // audio that started earlier
        assertThat(p.pacer.streamTimestamp()).isEqualTo(23);
        assertThat(p.send(46)).isEqualTo(6);    // measured from the head at 40, not from 23
        assertThat(p.send(80)).isEqualTo(34);
        assertThat(p.pacer.discontinuities()).isZero();
    }

    @Example
    void jumpsAreClosedUpAndTheStreamTimelineContinues() {
        FakePublisher p = new FakePublisher();
        p.send(0);
        p.send(40);
        assertThat(p.send(3_600_000)).isZero();            // an hour ahead: sent right after the tag before
        assertThat(p.pacer.streamTimestamp()).isEqualTo(40);
        assertThat(p.send(3_600_040)).isEqualTo(40);
        assertThat(p.pacer.streamTimestamp()).isEqualTo(80);
        assertThat(p.send(0)).isZero();                    // the file starts again from 0
        assertThat(p.pacer.streamTimestamp()).isEqualTo(80);
        assertThat(p.send(40)).isEqualTo(40);
        assertThat(p.pacer.streamTimestamp()).isEqualTo(120);
        assertThat(p.pacer.discontinuities()).isEqualTo(2);
    }

    @Example
    void aGapWithinTheLimitIsWaitedOut() {
        FakePublisher p = new FakePublisher();
        p.send(0);
        assertThat(p.send(10_000)).isEqualTo(10_000);
        assertThat(p.pacer.discontinuities()).isZero();
        assertThat(p.send(20_001)).isZero();
        assertThat(p.pacer.discontinuities()).isOne();
    }

    @Example
    void aLoopedFileIsAJumpButInterleavingIsNot() {
        FakePublisher p = new FakePublisher();
        for (int t = 0; t <= 2000; t += 40) {
            p.send(t);
        }
        assertThat(p.send(1200)).isZero();                 // 800 ms behind: tracks out of step
        assertThat(p.pacer.discontinuities()).isZero();
        assertThat(p.send(0)).isZero();                    // 2 s behind: the file again from the start
        assertThat(p.pacer.discontinuities()).isOne();
        assertThat(p.pacer.streamTimestamp()).isEqualTo(2000);
        assertThat(p.send(40)).isEqualTo(40);              // paced again, not a 2-second burst
        assertThat(p.pacer.streamTimestamp()).isEqualTo(2040);
    }

    @Example
    void timestampsWrapAt32Bits() {
        FakePublisher p = new FakePublisher();
        p.send(0xffff_fff0);
        assertThat(p.send(0x0000_0010)).isEqualTo(32);
        assertThat(p.pacer.streamTimestamp()).isEqualTo(0x10);
        assertThat(p.send(0x7fff_fff0)).isZero();          // far away: a jump
        assertThat(p.send(0x8000_0010)).isEqualTo(32);     // across the signed boundary: a small step
        assertThat(p.pacer.discontinuities()).isOne();
    }

    @Example
    void aStalledPublisherResumesAtNormalSpeed() {
        FlvPacer pacer = new FlvPacer(START);
        pacer.schedule(0, START);
        assertThat(pacer.schedule(40, START + 5_000 * MS)).isZero();      // 4960 ms late
        assertThat(pacer.resyncs()).isOne();
        assertThat(pacer.deadlineNanos()).isEqualTo(START + 5_000 * MS);
        assertThat(pacer.schedule(80, START + 5_000 * MS)).isEqualTo(40 * MS);
        assertThat(pacer.streamTimestamp()).isEqualTo(80);                  // timestamps are not touched
    }

    @Example
    void aShortDelayIsCaughtUp() {
        FlvPacer pacer = new FlvPacer(START);
        pacer.schedule(0, START);
        assertThat(pacer.schedule(40, START + 540 * MS)).isZero();        // 500 ms late, under the 1 s limit
        assertThat(pacer.schedule(80, START + 540 * MS)).isZero();
        assertThat(pacer.schedule(600, START + 540 * MS)).isEqualTo(60 * MS);
        assertThat(pacer.resyncs()).isZero();
    }

    @Example
    void lateTagsBehindTheHeadDoNotShiftTheSchedule() {
        FlvPacer pacer = new FlvPacer(START, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ZERO);
        pacer.schedule(0, START);
        pacer.schedule(5000, START + 5000 * MS);
        assertThat(pacer.schedule(1000, START + 5000 * MS)).isZero();     // 4 s "late" by its own timestamp
        assertThat(pacer.resyncs()).isZero();
        assertThat(pacer.schedule(5040, START + 5000 * MS)).isEqualTo(40 * MS);
    }

    @Example
    void limitsMustNotBeNegative() {
        assertThatThrownBy(() -> new FlvPacer(0, Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FlvPacer(0, Duration.ZERO, Duration.ofSeconds(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FlvPacer(0, Duration.ZERO, Duration.ZERO, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Whatever the timestamps: no wait is negative or longer than the gap limit.
     */
    @Property(tries = 500)
    void anyTimestampsArePacedWithinTheLimits(@ForAll @Size(max = 60) List<Integer> timestamps) {
        FakePublisher p = new FakePublisher();
        long gap = FlvPacer.DEFAULT_MAX_GAP.toMillis();
        for (int timestamp : timestamps) {
            long waited = p.send(timestamp);
            assertThat(waited).isBetween(0L, gap);
        }
        assertThat(p.now - START).isLessThanOrEqualTo(timestamps.size() * gap * MS);
    }

    /** A file with steady small steps (wrapping or not) keeps its timestamps and takes its own duration. */
    @Property(tries = 500)
    void steadyFilesKeepTheirTimestampsAndDuration(@ForAll int first,
            @ForAll @Size(max = 60) List<@IntRange(max = 100) Integer> steps) {
        FakePublisher p = new FakePublisher();
        int timestamp = first;
        p.send(timestamp);
        long total = 0;
        for (int step : steps) {
            timestamp += step;
            total += step;
            assertThat(p.send(timestamp)).isEqualTo(step);
            assertThat(p.pacer.streamTimestamp()).isEqualTo(timestamp);
        }
        assertThat(p.now - START).isEqualTo(total * MS);
        assertThat(p.pacer.discontinuities() + p.pacer.resyncs()).isZero();
    }
}
