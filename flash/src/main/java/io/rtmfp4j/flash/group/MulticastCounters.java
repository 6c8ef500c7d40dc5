package io.rtmfp4j.flash.group;

import io.rtmfp4j.flash.net.NetStreamMulticastInfo;

/**
 * What one member counted of one multicast stream, for {@link NetStreamMulticastInfo} (netgroup
 * spec §8.7). Written on the loop thread, read from any: synchronized, and cheap.
 */
final class MulticastCounters {
    private static final int SEND_DATA = 0;
    private static final int SEND_CONTROL = 1;
    private static final int RECEIVE_DATA = 2;
    private static final int RECEIVE_CONTROL = 3;

    private final RateWindow rates = new RateWindow(4);
    private long pushedTo;
    private long pushedToBytes;
    private long requestedBy;
    private long requestedByBytes;
    private long pushedFrom;
    private long pushedFromBytes;
    private long requestedFrom;
    private long requestedFromBytes;
    private long skipped;
    private long delivered;

    synchronized void control(boolean sent, long bytes, long now) {
        rates.add(sent ? SEND_CONTROL : RECEIVE_CONTROL, bytes, now);
    }

    /** A fragment we sent: pushed, or the answer to a pull. */
    synchronized void sent(boolean pushed, long bytes, long now) {
        rates.add(SEND_DATA, bytes, now);
        if (pushed) {
            pushedTo++;
            pushedToBytes += bytes;
        } else {
            requestedBy++;
            requestedByBytes += bytes;
        }
    }

    /** A fragment we received: one we pulled, or one pushed to us. */
    synchronized void received(boolean pulled, long bytes, long now) {
        rates.add(RECEIVE_DATA, bytes, now);
        if (pulled) {
            requestedFrom++;
            requestedFromBytes += bytes;
        } else {
            pushedFrom++;
            pushedFromBytes += bytes;
        }
    }

    synchronized void skipped(long fragments) {
        skipped += fragments;
    }

    synchronized void delivered() {
        delivered++;
    }

    synchronized NetStreamMulticastInfo info(long now) {
        return new NetStreamMulticastInfo(rates.rate(SEND_DATA, now), rates.rate(SEND_CONTROL, now),
                rates.rate(RECEIVE_DATA, now), rates.rate(RECEIVE_CONTROL, now), 0, 0, 0,
                pushedToBytes, pushedTo, requestedByBytes, requestedBy, pushedFromBytes, pushedFrom,
                requestedFromBytes, requestedFrom, 0, 0, 0, 0, skipped, delivered);
    }
}
