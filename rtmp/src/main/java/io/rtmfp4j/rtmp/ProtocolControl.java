package io.rtmfp4j.rtmp;

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.flash.tc.TcMessage;

/**
 * The protocol control messages (RTMP specification 1.0, §5.4): they travel on chunk stream 2,
 * message stream 0, and concern the connection rather than a stream. Set Chunk Size and Abort
 * change how chunks are read and are handled by {@link ChunkDecoder}; the rest reach the session.
 */
final class ProtocolControl {
    static final int SET_CHUNK_SIZE = 1;
    static final int ABORT = 2;
    static final int ACKNOWLEDGEMENT = 3;
    static final int WINDOW_ACK_SIZE = 5;
    static final int SET_PEER_BANDWIDTH = 6;
    /** §5.4.5: the peer may exceed the window a little, as it chooses. */
    static final int LIMIT_DYNAMIC = 2;
    /** §5.3.1.1: the chunk stream reserved for protocol control messages. */
    static final int CHUNK_STREAM = 2;

    private ProtocolControl() {
    }

    static RtmpMessage setChunkSize(int size) {
        return u32(SET_CHUNK_SIZE, size);
    }

    static RtmpMessage acknowledgement(long sequenceNumber) {
        return u32(ACKNOWLEDGEMENT, (int) sequenceNumber);
    }

    static RtmpMessage windowAckSize(int size) {
        return u32(WINDOW_ACK_SIZE, size);
    }

    static RtmpMessage setPeerBandwidth(int size, int limitType) {
        return new RtmpMessage(0, new TcMessage(SET_PEER_BANDWIDTH, 0,
                new ByteWriter(5).u32(size).u8(limitType).toByteArray()));
    }

    private static RtmpMessage u32(int type, int value) {
        return new RtmpMessage(0, new TcMessage(type, 0, new ByteWriter(4).u32(value).toByteArray()));
    }
}
