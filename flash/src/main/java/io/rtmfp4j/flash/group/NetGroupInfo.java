package io.rtmfp4j.flash.group;

/**
 * A NetGroup's traffic (Flash's {@code NetGroupInfo}, netgroup spec §14): the eight rates Flash
 * reports, in bytes per second over the last second, then the same eight as totals since the group
 * was made (this project's addition, for measurements). Posting data is posted messages; posting
 * control is the announcements and requests that repair their spread; routing is directed
 * messages; object replication is its own flows.
 */
public record NetGroupInfo(double postingSendDataBytesPerSecond, double postingSendControlBytesPerSecond,
        double postingReceiveDataBytesPerSecond, double postingReceiveControlBytesPerSecond,
        double routingSendBytesPerSecond, double routingReceiveBytesPerSecond,
        double objectReplicationSendBytesPerSecond, double objectReplicationReceiveBytesPerSecond,
        long postingSendDataBytes, long postingSendControlBytes, long postingReceiveDataBytes,
        long postingReceiveControlBytes, long routingSendBytes, long routingReceiveBytes,
        long objectReplicationSendBytes, long objectReplicationReceiveBytes) {

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
