package io.rtmfp4j.core.sim;

/**
 * What happened to the datagrams sent over one simulated one-way link (or, summed, over all of
 * them). Counts datagrams; a duplicated datagram is sent once and can be delivered twice.
 *
 * @param sent           datagrams handed to the network, before filters and queues
 * @param filtered       dropped by a test filter ({@link SimNetwork#addFilter})
 * @param queueDropped   dropped because the link's transmit queue or the sender's uplink queue was full
 * @param lost           lost in transit ({@link LinkConditions#loss()})
 * @param duplicated     datagrams that left as two copies
 * @param reordered      copies held back by {@link LinkConditions#reorderDelay()}, whether or not
 *                       anything actually overtook them
 * @param delivered      copies that reached an attached host
 * @param unreachable    copies that arrived where nothing was attached, and vanished
 * @param bytesSent      bytes of the {@code sent} datagrams
 * @param bytesDelivered bytes of the {@code delivered} copies
 */
public record LinkStats(long sent, long filtered, long queueDropped, long lost, long duplicated, long reordered,
                        long delivered, long unreachable, long bytesSent, long bytesDelivered) {
    public static final LinkStats NONE = new LinkStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Copies still queued or propagating: zero once the network has drained. */
    public long inFlight() {
        return sent + duplicated - filtered - queueDropped - lost - delivered - unreachable;
    }

    public LinkStats plus(LinkStats o) {
        return new LinkStats(sent + o.sent, filtered + o.filtered, queueDropped + o.queueDropped, lost + o.lost,
                duplicated + o.duplicated, reordered + o.reordered, delivered + o.delivered,
                unreachable + o.unreachable, bytesSent + o.bytesSent, bytesDelivered + o.bytesDelivered);
    }
}
