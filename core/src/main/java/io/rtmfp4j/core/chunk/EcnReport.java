package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteWriter;

/**
 * ECN Report (rtmfp-cpp extension, type 0xec): the count, modulo 256, of received packets whose
 * IP ECN field was CE. Lets the sender react to congestion marks as it would to loss.
 */
public record EcnReport(int ceCount) implements Chunk {

    public EcnReport {
        if ((ceCount & ~0xff) != 0) {
            throw new IllegalArgumentException("CE count is one byte: " + ceCount);
        }
    }

    @Override
    public int type() {
        return ChunkType.ECN_REPORT;
    }

    @Override
    public int bodySize() {
        return 1;
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.u8(ceCount);
    }
}
