package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.Vlu;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Data Acknowledgement Bitmap (RFC 7016 §2.3.13): the three VLUs of {@link AckRanges}, then a
 * bitmap of what was received beyond {@code cumulativeAck + 1} (which is missing by definition).
 * Only decoded: every known implementation sends ranges instead.
 */
public record AckBitmap(long flowId, long bufferBlocksAvailable, long cumulativeAck, byte[] bitmap)
        implements Chunk {

    public AckBitmap {
        if (flowId < 0 || bufferBlocksAvailable < 0 || cumulativeAck < 0) {
            throw new IllegalArgumentException("VLU fields must be non-negative");
        }
        Objects.requireNonNull(bitmap, "bitmap");
        if (cumulativeAck > Long.MAX_VALUE - 1 - 8L * bitmap.length) {
            throw new IllegalArgumentException("bitmap reaches beyond 2^63");
        }
    }

    static AckBitmap decode(ByteReader r) {
        long flowId = r.vlu();
        long buffer = r.vlu();
        long cumulativeAck = r.vlu();
        return new AckBitmap(flowId, buffer, cumulativeAck, r.rest());
    }

    /**
     * What the bitmap says was received beyond the cumulative ack, as ranges ascending. Bit
     * order as librtmfp parses it: the least significant bit of the first byte is
     * {@code cumulativeAck + 2}.
     */
    public List<SequenceRange> receivedRanges() {
        List<SequenceRange> ranges = new ArrayList<>();
        long start = -1;
        long base = cumulativeAck + 2;
        for (int i = 0; i < bitmap.length * 8; i++) {
            boolean set = (bitmap[i >> 3] & (1 << (i & 7))) != 0;
            if (set && start < 0) {
                start = base + i;
            } else if (!set && start >= 0) {
                ranges.add(new SequenceRange(start, base + i - 1));
                start = -1;
            }
        }
        if (start >= 0) {
            ranges.add(new SequenceRange(start, base + bitmap.length * 8L - 1));
        }
        return ranges;
    }

    @Override
    public int type() {
        return ChunkType.ACK_BITMAP;
    }

    @Override
    public int bodySize() {
        return Vlu.size(flowId) + Vlu.size(bufferBlocksAvailable) + Vlu.size(cumulativeAck) + bitmap.length;
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.vlu(flowId).vlu(bufferBlocksAvailable).vlu(cumulativeAck).bytes(bitmap);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AckBitmap other && flowId == other.flowId
                && bufferBlocksAvailable == other.bufferBlocksAvailable && cumulativeAck == other.cumulativeAck
                && Arrays.equals(bitmap, other.bitmap);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flowId, bufferBlocksAvailable, cumulativeAck, Arrays.hashCode(bitmap));
    }

    @Override
    public String toString() {
        return "AckBitmap[flowId=" + flowId + ", bufferBlocksAvailable=" + bufferBlocksAvailable
                + ", cumulativeAck=" + cumulativeAck + ", bitmap=" + Hex.encode(bitmap) + "]";
    }
}
