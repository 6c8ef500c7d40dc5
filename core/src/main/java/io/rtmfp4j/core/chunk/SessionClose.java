package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteWriter;

/** Session Close Request (RFC 7016 §2.3.17), empty. Repeated until acknowledged or timed out. */
public record SessionClose() implements Chunk {

    @Override
    public int type() {
        return ChunkType.SESSION_CLOSE;
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
