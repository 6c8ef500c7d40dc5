package io.rtmfp4j.flash.group;

/**
 * A NetGroup's traffic by category: totals, and rates over the last second in ten buckets of
 * 100 ms (netgroup spec §14: Flash's rates are per second; the window is this project's choice).
 * Written on the loop thread, read from any: its methods are synchronized, and cheap.
 */
final class Traffic {
    enum Category {
        POSTING_SEND_DATA, POSTING_SEND_CONTROL, POSTING_RECEIVE_DATA, POSTING_RECEIVE_CONTROL,
        ROUTING_SEND, ROUTING_RECEIVE, REPLICATION_SEND, REPLICATION_RECEIVE
    }

    /** What was dropped, and why: the network is hostile, and what it sends that is wrong is counted. */
    enum Drop {
        /** A group message that did not decode. */
        MALFORMED,
        /** A neighbor's group connect that did not check out (wrong key or receiver). */
        REFUSED_CONNECT,
        /** A posting whose body was not the one its ID names, too big, or whose proof was wrong. */
        BAD_POSTING,
        /** A directed message nobody here takes (exact mode, not our address) or past its hop limit. */
        UNDELIVERABLE
    }

    private static final int BUCKETS = 10;
    private static final long BUCKET_MICROS = 100_000;
    private static final int CATEGORIES = Category.values().length;

    private final long[] totals = new long[CATEGORIES];
    private final long[] drops = new long[Drop.values().length];
    private final long[][] buckets = new long[CATEGORIES][BUCKETS];
    /** The bucket number (time / 100 ms) that {@code buckets[c][n % BUCKETS]} last held. */
    private long current;

    synchronized void add(Category c, long bytes, long nowMicros) {
        roll(nowMicros);
        totals[c.ordinal()] += bytes;
        buckets[c.ordinal()][(int) (current % BUCKETS)] += bytes;
    }

    synchronized void drop(Drop d) {
        drops[d.ordinal()]++;
    }

    synchronized NetGroupInfo info(long nowMicros) {
        roll(nowMicros);
        double[] rate = new double[CATEGORIES];
        for (int c = 0; c < CATEGORIES; c++) {
            long sum = 0;
            for (long b : buckets[c]) {
                sum += b;
            }
            rate[c] = sum;
        }
        return new NetGroupInfo(rate[0], rate[1], rate[2], rate[3], rate[4], rate[5], rate[6], rate[7],
                totals[0], totals[1], totals[2], totals[3], totals[4], totals[5], totals[6], totals[7],
                drops[Drop.MALFORMED.ordinal()], drops[Drop.REFUSED_CONNECT.ordinal()], drops[Drop.BAD_POSTING.ordinal()],
                drops[Drop.UNDELIVERABLE.ordinal()]);
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
