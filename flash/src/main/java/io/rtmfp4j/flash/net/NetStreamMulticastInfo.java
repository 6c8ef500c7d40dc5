package io.rtmfp4j.flash.net;

/**
 * The statistics of a NetStream in a group (Flash's {@code NetStreamMulticastInfo}, netgroup spec
 * §8.7): Flash's nineteen fields, then this project's own. Pushed fragments are those a neighbor
 * sent because its push mask asked for them; requested fragments answer pull requests. Data is
 * the fragments' bytes (the {@code GR 12} flows), control the announcements, maps and requests
 * (the {@code GR 11} flows). Rates are bytes per second over the last second. This project has no
 * server relay and no IP multicast, so their fields are always 0, as Flash's are for a pure
 * peer-to-peer group.
 *
 * @param fragmentsSkipped this project's: fragments a player went past without having them
 *     (late or missing when playback could wait no longer), counted once each
 * @param messagesDelivered this project's: audio, video and data messages handed to the player
 */
public record NetStreamMulticastInfo(double sendDataBytesPerSecond, double sendControlBytesPerSecond,
        double receiveDataBytesPerSecond, double receiveControlBytesPerSecond,
        double sendControlBytesPerSecondToServer, double receiveDataBytesPerSecondFromServer,
        double receiveDataBytesPerSecondFromIPMulticast,
        long bytesPushedToPeers, long fragmentsPushedToPeers, long bytesRequestedByPeers,
        long fragmentsRequestedByPeers, long bytesPushedFromPeers, long fragmentsPushedFromPeers,
        long bytesRequestedFromPeers, long fragmentsRequestedFromPeers, long bytesReceivedFromServer,
        long fragmentsReceivedFromServer, long bytesReceivedFromIPMulticast, long fragmentsReceivedFromIPMulticast,
        long fragmentsSkipped, long messagesDelivered) {

    /** Flash's fields, as its {@code toString()} lists them. */
    @Override
    public String toString() {
        return "sendDataBytesPerSecond=" + sendDataBytesPerSecond
                + " sendControlBytesPerSecond=" + sendControlBytesPerSecond
                + " receiveDataBytesPerSecond=" + receiveDataBytesPerSecond
                + " receiveControlBytesPerSecond=" + receiveControlBytesPerSecond
                + " bytesPushedToPeers=" + bytesPushedToPeers + " fragmentsPushedToPeers=" + fragmentsPushedToPeers
                + " bytesRequestedByPeers=" + bytesRequestedByPeers
                + " fragmentsRequestedByPeers=" + fragmentsRequestedByPeers
                + " bytesPushedFromPeers=" + bytesPushedFromPeers + " fragmentsPushedFromPeers=" + fragmentsPushedFromPeers
                + " bytesRequestedFromPeers=" + bytesRequestedFromPeers
                + " fragmentsRequestedFromPeers=" + fragmentsRequestedFromPeers
                + " sendControlBytesPerSecondToServer=" + sendControlBytesPerSecondToServer
                + " receiveDataBytesPerSecondFromServer=" + receiveDataBytesPerSecondFromServer
                + " bytesReceivedFromServer=" + bytesReceivedFromServer
                + " fragmentsReceivedFromServer=" + fragmentsReceivedFromServer
                + " receiveDataBytesPerSecondFromIPMulticast=" + receiveDataBytesPerSecondFromIPMulticast
                + " bytesReceivedFromIPMulticast=" + bytesReceivedFromIPMulticast
                + " fragmentsReceivedFromIPMulticast=" + fragmentsReceivedFromIPMulticast;
    }
}
