package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteWriter;

/** Session Close Acknowledgement (RFC 7016 §2.3.18), empty. Answers a {@link SessionClose}. */
public record SessionCloseAck() implements Chunk {

    @Override
    public int type() {
        return ChunkType.SESSION_CLOSE_ACK;
    }

    @Override
    public int bodySize() {
        return 0;
    }

    @Override
    public void encodeBody(ByteWriter w) {
        // no body
    }
}
