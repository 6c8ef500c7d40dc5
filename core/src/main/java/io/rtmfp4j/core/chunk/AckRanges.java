package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Vlu;
import io.rtmfp4j.core.wire.WireFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Data Acknowledgement Ranges (RFC 7016 §2.3.14): {@code flowId VLU || bufferBlocksAvailable VLU
 * || cumulativeAck VLU || (holesMinusOne VLU, receivedMinusOne VLU)*}.
 *
 * <p>{@code flowId} is the <em>sender's</em> flow ID; the buffer is counted in 1024-byte blocks;
 * everything up to {@code cumulativeAck} has been received or abandoned. {@code ranges} are the
 * absolute ranges received beyond it, ascending and separated by at least one missing sequence
 * number (which is why the first starts at {@code cumulativeAck + 2} or later).
 */
public record AckRanges(long flowId, long bufferBlocksAvailable, long cumulativeAck, List<SequenceRange> ranges)
        implements Chunk {

    public AckRanges {
        if (flowId < 0 || bufferBlocksAvailable < 0 || cumulativeAck < 0) {
            throw new IllegalArgumentException("VLU fields must be non-negative");
        }
        ranges = List.copyOf(ranges);
        long previousTo = cumulativeAck;
        for (SequenceRange r : ranges) {
            if (r.from() - previousTo < 2) {
                throw new IllegalArgumentException("range " + r + " must start at least 2 above " + previousTo);
            }
            previousTo = r.to();
        }
    }

    /**
     * Decodes, tolerating a truncated last pair: a receiver may cut the range list to fit a
     * packet (RFC 7016 §3.6.3.4), so whatever does not form a whole pair is ignored, as
     * rtmfp-cpp does.
     */
    static AckRanges decode(ByteReader r) {
        long flowId = r.vlu();
        long buffer = r.vlu();
        long cumulativeAck = r.vlu();
        List<SequenceRange> ranges = new ArrayList<>();
        long cursor = cumulativeAck;
        while (r.hasRemaining()) {
            long holesMinusOne;
            long receivedMinusOne;
            try {
                holesMinusOne = r.vlu();
                receivedMinusOne = r.vlu();
            } catch (WireFormatException truncated) {
                break;
            }
            if (holesMinusOne > Long.MAX_VALUE - 2 - cursor) {
                throw new WireFormatException("ack range beyond 2^63");
            }
            long from = cursor + holesMinusOne + 2;
            if (receivedMinusOne > Long.MAX_VALUE - from) {
                throw new WireFormatException("ack range beyond 2^63");
            }
            cursor = from + receivedMinusOne;
            ranges.add(new SequenceRange(from, cursor));
        }
        return new AckRanges(flowId, buffer, cumulativeAck, ranges);
    }

    @Override
    public int type() {
        return ChunkType.ACK_RANGES;
    }

    @Override
    public int bodySize() {
        int size = Vlu.size(flowId) + Vlu.size(bufferBlocksAvailable) + Vlu.size(cumulativeAck);
        long previousTo = cumulativeAck;
        for (SequenceRange r : ranges) {
            size += Vlu.size(r.from() - previousTo - 2) + Vlu.size(r.to() - r.from());
            previousTo = r.to();
        }
        return size;
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.vlu(flowId).vlu(bufferBlocksAvailable).vlu(cumulativeAck);
        long previousTo = cumulativeAck;
        for (SequenceRange r : ranges) {
            w.vlu(r.from() - previousTo - 2).vlu(r.to() - r.from());
            previousTo = r.to();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AckRanges other && flowId == other.flowId
                && bufferBlocksAvailable == other.bufferBlocksAvailable && cumulativeAck == other.cumulativeAck
                && ranges.equals(other.ranges);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flowId, bufferBlocksAvailable, cumulativeAck, ranges);
    }
}
