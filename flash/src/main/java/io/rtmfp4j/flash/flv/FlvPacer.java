package io.rtmfp4j.flash.flv;

import java.time.Duration;

/**
 * Paces the tags of an FLV file for live publishing: maps each tag's timestamp to the moment it
 * is due on the caller's monotonic clock (nanoseconds, such as {@link System#nanoTime()}), so that
 * a file goes out at the speed it was recorded. It never sleeps or reads a clock:
 * {@link #schedule(int, long)} returns how long to wait and the caller arranges the send (on its
 * event loop, a scheduled executor, or a fake clock in tests).
 *
 * <p>Tags are given in file order. The first is due at the start time; each later one is placed by
 * its distance from the <em>head</em>, the latest point the timeline has reached:
 * <ul>
 * <li><b>Forward</b> by at most {@code maxGap}: the head moves there; the tag is due that much
 *     later.</li>
 * <li><b>Slightly backward</b> (by at most {@code maxSkew}), as when audio and video tags
 *     interleave with overlapping timestamps: the tag keeps its place behind the head, which has
 *     already been reached, so it is due at once; the head stays.</li>
 * <li><b>Jump</b> (forward by more than {@code maxGap} or backward by more than
 *     {@code maxSkew}, such as a gap in a recording, a file that starts again from 0 or a
 *     corrupt timestamp): a discontinuity. The tag is due right after the
 *     one before it and becomes the new head, so the stream neither stalls nor bursts.</li>
 * <li><b>Wrap.</b> Distances are taken modulo 2^32, so a timestamp passing 0xffffffff (or
 *     0x7fffffff, for those who read it as FLV's signed field) to a small value is a small step
 *     forward.</li>
 * <li><b>Lag.</b> When a tag that moves the head is found more than {@code maxLag} past its
 *     due time (the publisher stalled), the whole schedule shifts later so that it is due now: the
 *     stream resumes at normal speed instead of bursting the backlog. Smaller delays are caught
 *     up by sending at once.</li>
 * </ul>
 *
 * <p>{@link #streamTimestamp()} gives the timestamp to send a tag with: the file's own timestamp
 * until the first discontinuity, and a timeline that continues without a jump after it, so a
 * receiver sees one continuous stream. Not thread-safe.
 */
public final class FlvPacer {
    /** Larger steps forward are jumps, not media time to wait out. */
    public static final Duration DEFAULT_MAX_GAP = Duration.ofSeconds(10);
    /**
     * Larger steps backward are jumps, not tracks interleaved out of step. Kept short so that a
     * file looped from its end back to 0 is seen as a jump unless it is shorter than this.
     */
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofSeconds(1);
    /** Later than this, the schedule shifts instead of bursting. */
    public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(1);

    private static final long NANOS_PER_MILLI = 1_000_000;

    private final long maxGapMillis;
    private final long maxSkewMillis;
    private final long maxLagNanos;
    /** Where media position 0 falls on the caller's clock. */
    private long originNanos;
    private boolean started;
    private int firstTimestamp;
    private int headTimestamp;
    /** Media position of the head, milliseconds since the first tag. */
    private long headMillis;
    private long lastMillis;
    private long lastDeadlineNanos;
    private long discontinuities;
    private long resyncs;

    /** A pacer whose first tag is due at {@code startNanos}, with the default limits. */
    public FlvPacer(long startNanos) {
        this(startNanos, DEFAULT_MAX_GAP, DEFAULT_MAX_SKEW, DEFAULT_MAX_LAG);
    }

    public FlvPacer(long startNanos, Duration maxGap, Duration maxSkew, Duration maxLag) {
        if (maxGap.isNegative() || maxSkew.isNegative() || maxLag.isNegative()) {
            throw new IllegalArgumentException("pacing limits must not be negative: gap " + maxGap + ", skew " + maxSkew
                    + ", lag " + maxLag);
        }
        this.originNanos = startNanos;
        this.maxGapMillis = maxGap.toMillis();
        this.maxSkewMillis = maxSkew.toMillis();
        this.maxLagNanos = maxLag.toNanos();
    }

    /**
     * Takes the next tag's timestamp, in file order, and returns how many nanoseconds after
     * {@code nowNanos} it is due; 0 means send it now.
     */
    public long schedule(int timestamp, long nowNanos) {
        boolean movesHead = true;
        if (!started) {
            started = true;
            firstTimestamp = timestamp;
        } else {
            long step = timestamp - headTimestamp;  // int subtraction: the distance modulo 2^32
            if (step > maxGapMillis || -step > maxSkewMillis) {
                discontinuities++;
            } else if (step >= 0) {
                headMillis += step;
            } else {
                movesHead = false;
            }
        }
        long position;
        if (movesHead) {
            headTimestamp = timestamp;
            position = headMillis;
        } else {
            position = headMillis + (timestamp - headTimestamp);
        }
        long deadline = originNanos + position * NANOS_PER_MILLI;
        if (movesHead && nowNanos - deadline > maxLagNanos) {
            originNanos += nowNanos - deadline;
            deadline = nowNanos;
            resyncs++;
        }
        lastMillis = position;
        lastDeadlineNanos = deadline;
        return Math.max(0, deadline - nowNanos);
    }

    /** When the last scheduled tag is due, on the caller's clock. */
    public long deadlineNanos() {
        return lastDeadlineNanos;
    }

    /**
     * The timestamp to send the last scheduled tag with: the first tag's timestamp plus the tag's
     * media position, modulo 2^32. Equals the tag's own timestamp until a discontinuity.
     */
    public int streamTimestamp() {
        return firstTimestamp + (int) lastMillis;
    }

    /** Jumps forward beyond the gap limit or backward beyond the skew limit, each closed up. */
    public long discontinuities() {
        return discontinuities;
    }

    /** Times the schedule shifted later because a tag was found more than the lag limit late. */
    public long resyncs() {
        return resyncs;
    }
}
