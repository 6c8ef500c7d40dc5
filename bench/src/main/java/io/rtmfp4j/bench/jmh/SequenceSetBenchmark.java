package io.rtmfp4j.bench.jmh;

import io.rtmfp4j.core.flow.SequenceSet;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The receiver's record of sequence numbers (RFC 7016 §3.6.3): one add per arriving fragment,
 * and after every few the ranges read out as an acknowledgement would. "inOrder" is the common
 * case; "reordered" delivers each window of 64 numbers in a shuffled order, so gaps open and close.
 * Scores are per fragment.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SequenceSetBenchmark {
    static final int FRAGMENTS = 4096;
    static final int ACK_EVERY = 2;

    private long[] reordered;

    @Setup
    public void setup() {
        Random r = new Random(11);
        reordered = new long[FRAGMENTS];
        for (int i = 0; i < FRAGMENTS; i++) {
            reordered[i] = i + 1;
        }
        for (int base = 0; base < FRAGMENTS; base += 64) {
            for (int i = base + 63; i > base; i--) {
                int j = base + r.nextInt(i - base + 1);
                long t = reordered[i];
                reordered[i] = reordered[j];
                reordered[j] = t;
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(FRAGMENTS)
    public long inOrder() {
        SequenceSet s = SequenceSet.startingAtZero();
        long sink = 0;
        for (int i = 1; i <= FRAGMENTS; i++) {
            s.add(i);
            if (i % ACK_EVERY == 0) {
                sink += readAsAck(s);
            }
        }
        return sink;
    }

    @Benchmark
    @OperationsPerInvocation(FRAGMENTS)
    public long reordered() {
        SequenceSet s = SequenceSet.startingAtZero();
        long sink = 0;
        for (int i = 0; i < FRAGMENTS; i++) {
            s.add(reordered[i]);
            if (i % ACK_EVERY == 0) {
                sink += readAsAck(s);
            }
        }
        return sink;
    }

    /** What an Ack Ranges chunk needs: the cumulative ack and every range above it. */
    private static long readAsAck(SequenceSet s) {
        long sum = s.cumulative();
        for (int i = 1; i < s.rangeCount(); i++) {
            sum += s.rangeFrom(i) ^ s.rangeTo(i);
        }
        return sum;
    }
}
