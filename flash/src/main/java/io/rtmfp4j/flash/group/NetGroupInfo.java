package io.rtmfp4j.flash.group;

/**
 * A NetGroup's traffic (Flash's {@code NetGroupInfo}, netgroup spec §14): the eight rates Flash
 * reports, in bytes per second over the last second, then the same eight as totals since the group
 * was made, and what was dropped (this project's additions, for measurements and monitoring).
 * Posting data is posted messages; posting control is the announcements and requests that repair
 * their spread; routing is directed messages; object replication is its own flows.
 *
 * @param malformedMessages group messages from neighbors that did not decode
 * @param refusedConnects group connects that did not check out (a wrong key, another receiver)
 * @param rejectedPostings postings whose body was not the one their ID names, too big, or whose
 *     posting-password proof was wrong: dropped and not passed on
 * @param undeliverableMessages directed messages nobody here takes (exact receive mode, another
 *     address) or past their hop limit
 * @param unauthorizedStreams multicast streams announced under a key that does not prove the
 *     group's publish password, refused (counted by members that hold it)
 */
public record NetGroupInfo(double postingSendDataBytesPerSecond, double postingSendControlBytesPerSecond,
        double postingReceiveDataBytesPerSecond, double postingReceiveControlBytesPerSecond,
        double routingSendBytesPerSecond, double routingReceiveBytesPerSecond,
        double objectReplicationSendBytesPerSecond, double objectReplicationReceiveBytesPerSecond,
        long postingSendDataBytes, long postingSendControlBytes, long postingReceiveDataBytes,
        long postingReceiveControlBytes, long routingSendBytes, long routingReceiveBytes,
        long objectReplicationSendBytes, long objectReplicationReceiveBytes, long malformedMessages,
        long refusedConnects, long rejectedPostings, long undeliverableMessages, long unauthorizedStreams) {

    /** The rates as Flash's {@code NetGroupInfo.toString()} lists them. */
    @Override
    public String toString() {
        return "postingSendDataBytesPerSecond=" + postingSendDataBytesPerSecond
                + " postingSendControlBytesPerSecond=" + postingSendControlBytesPerSecond
                + " postingReceiveDataBytesPerSecond=" + postingReceiveDataBytesPerSecond
                + " postingReceiveControlBytesPerSecond=" + postingReceiveControlBytesPerSecond
                + " routingSendBytesPerSecond=" + routingSendBytesPerSecond
                + " routingReceiveBytesPerSecond=" + routingReceiveBytesPerSecond
                + " objectReplicationSendBytesPerSecond=" + objectReplicationSendBytesPerSecond
                + " objectReplicationReceiveBytesPerSecond=" + objectReplicationReceiveBytesPerSecond;
    }
}
