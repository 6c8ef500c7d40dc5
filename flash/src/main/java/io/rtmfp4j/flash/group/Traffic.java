package io.rtmfp4j.flash.group;

/**
 * A NetGroup's traffic by category (netgroup spec §14), totals and rates over the last second,
 * and what was dropped. Written on the loop thread, read from any: its methods are synchronized,
 * and cheap.
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
        UNDELIVERABLE,
        /** A multicast stream announced under a key that does not prove the group's publish password. */
        UNAUTHORIZED_STREAM
    }

    private final RateWindow window = new RateWindow(Category.values().length);
    private final long[] drops = new long[Drop.values().length];

    synchronized void add(Category c, long bytes, long nowMicros) {
        window.add(c.ordinal(), bytes, nowMicros);
    }

    synchronized void drop(Drop d) {
        drops[d.ordinal()]++;
    }

    synchronized NetGroupInfo info(long nowMicros) {
        double[] rate = new double[Category.values().length];
        long[] totals = new long[rate.length];
        for (int c = 0; c < rate.length; c++) {
            rate[c] = window.rate(c, nowMicros);
            totals[c] = window.total(c);
        }
        return new NetGroupInfo(rate[0], rate[1], rate[2], rate[3], rate[4], rate[5], rate[6], rate[7],
                totals[0], totals[1], totals[2], totals[3], totals[4], totals[5], totals[6], totals[7],
                drops[Drop.MALFORMED.ordinal()], drops[Drop.REFUSED_CONNECT.ordinal()], drops[Drop.BAD_POSTING.ordinal()],
                drops[Drop.UNDELIVERABLE.ordinal()], drops[Drop.UNAUTHORIZED_STREAM.ordinal()]);
    }
}
