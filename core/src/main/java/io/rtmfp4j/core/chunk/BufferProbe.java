package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Vlu;

/**
 * Buffer Probe (RFC 7016 §2.3.15): {@code flowId VLU}, the sender's flow. Asks the receiver for an
 * immediate acknowledgement, so a sender stalled by a zero window learns when it reopens.
 */
public record BufferProbe(long flowId) implements Chunk {

    public BufferProbe {
        if (flowId < 0) {
            throw new IllegalArgumentException("flow ID must be non-negative: " + flowId);
        }
    }

    @Override
    public int type() {
        return ChunkType.BUFFER_PROBE;
    }

    @Override
    public int bodySize() {
        return Vlu.size(flowId);
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.vlu(flowId);
    }
}
