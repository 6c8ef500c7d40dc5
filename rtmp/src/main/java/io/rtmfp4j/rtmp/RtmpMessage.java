package io.rtmfp4j.rtmp;

import io.rtmfp4j.flash.tc.TcMessage;
import java.util.Objects;

/**
 * One RTMP message (RTMP specification 1.0, §6.1): its type, timestamp and payload, which are a
 * {@link TcMessage}'s, and the message stream it belongs to (0 for the connection's control and
 * commands, the ID {@code createStream} answered for a stream's).
 *
 * @param streamId the message stream ID, unsigned 32 bits (little-endian on the wire)
 */
public record RtmpMessage(long streamId, TcMessage message) {
    public RtmpMessage {
        if (streamId < 0 || streamId > 0xffff_ffffL) {
            throw new IllegalArgumentException("message stream ID is unsigned 32 bits: " + streamId);
        }
        Objects.requireNonNull(message, "message");
    }
}
