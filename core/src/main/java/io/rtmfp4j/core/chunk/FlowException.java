package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Vlu;

/**
 * Flow Exception Report (RFC 7016 §2.3.16): {@code flowId VLU || exception VLU}. The receiver
 * rejects the flow its sender numbered {@code flowId}; the code is application-defined (0 = default).
 */
public record FlowException(long flowId, long exception) implements Chunk {

    public FlowException {
        if (flowId < 0 || exception < 0) {
            throw new IllegalArgumentException("flow ID and exception code must be non-negative");
        }
    }

    @Override
    public int type() {
        return ChunkType.FLOW_EXCEPTION;
    }

    @Override
    public int bodySize() {
        return Vlu.size(flowId) + Vlu.size(exception);
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.vlu(flowId).vlu(exception);
    }
}
