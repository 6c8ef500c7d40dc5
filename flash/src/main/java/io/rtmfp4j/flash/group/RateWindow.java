package io.rtmfp4j.flash.group;

/**
 * Byte counts in a few categories: totals, and rates over the last second in ten buckets of
 * 100 ms (Flash's group and multicast statistics are per second, netgroup spec §8.7, §14; the
 * window is this project's choice). Not thread-safe: its owner synchronizes.
 */
final class RateWindow {
    private static final int BUCKETS = 10;
    private static final long BUCKET_MICROS = 100_000;

    private final long[] totals;
    private final long[][] buckets;
    /** The bucket number (time / 100 ms) that {@code buckets[c][n % BUCKETS]} last held. */
    private long current;

    RateWindow(int categories) {
        totals = new long[categories];
        buckets = new long[categories][BUCKETS];
    }

    void add(int category, long bytes, long nowMicros) {
        roll(nowMicros);
        totals[category] += bytes;
        buckets[category][(int) (current % BUCKETS)] += bytes;
    }

    long total(int category) {
        return totals[category];
    }

    /** Bytes per second in the category over the last second. */
    double rate(int category, long nowMicros) {
        roll(nowMicros);
        long sum = 0;
        for (long b : buckets[category]) {
            sum += b;
        }
        return sum;
    }

    /** Empties the buckets that time has moved past. */
    private void roll(long nowMicros) {
        long bucket = nowMicros / BUCKET_MICROS;
        if (bucket <= current) {
            return;
        }
        long passed = Math.min(bucket - current, BUCKETS);
        for (long b = 1; b <= passed; b++) {
            int slot = (int) ((current + b) % BUCKETS);
            for (long[] perCategory : buckets) {
                perCategory[slot] = 0;
            }
        }
        current = bucket;
    }
}
