package io.rtmfp4j.bench.jmh;

import io.rtmfp4j.core.chunk.AckRanges;
import io.rtmfp4j.core.chunk.ChunkCodec;
import io.rtmfp4j.core.chunk.ChunkType;
import io.rtmfp4j.core.chunk.SequenceRange;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Data Acknowledgement Ranges (RFC 7016 §2.3.14) encoded and decoded through the public codec:
 * the per-ack cost on both ends. {@code ranges} is the number of ranges beyond the cumulative
 * ack: 0 for a loss-free flow, more while holes are open.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AckRangesBenchmark {
    @Param({"0", "4", "32"})
    int ranges;

    private AckRanges ack;
    private byte[] body;

    @Setup
    public void setup() {
        List<SequenceRange> list = new ArrayList<>();
        long cumulative = 1_000_000;
        long at = cumulative;
        for (int i = 0; i < ranges; i++) {
            long from = at + 2 + (i % 3);
            long to = from + 5 + (i % 7);
            list.add(new SequenceRange(from, to));
            at = to;
        }
        ack = new AckRanges(3, 16_384, cumulative, list);
        body = encode();
    }

    @Benchmark
    public byte[] encode() {
        ByteWriter w = new ByteWriter(ack.bodySize());
        ack.encodeBody(w);
        return w.toByteArray();
    }

    @Benchmark
    public Object decode() {
        return ChunkCodec.decode(ChunkType.ACK_RANGES, new ByteReader(body));
    }
}
