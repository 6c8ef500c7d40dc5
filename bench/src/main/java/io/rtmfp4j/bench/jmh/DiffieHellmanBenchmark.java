package io.rtmfp4j.bench.jmh;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.DhKeyPair;
import java.security.SecureRandom;
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
 * The public-key work of one handshake at a server with an ephemeral certificate: a fresh key pair
 * and one agreement with the client's key (RFC 7425 §4.6). Measured per DH group.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class DiffieHellmanBenchmark {
    @Param({"2", "14", "16"})
    int group;

    private DhGroup dh;
    private SecureRandom random;
    private byte[] farPublic;
    private DhKeyPair near;

    @Setup
    public void setup() {
        dh = DhGroup.byId(group).orElseThrow();
        random = new SecureRandom();
        farPublic = DhKeyPair.generate(dh, random).publicKey();
        near = DhKeyPair.generate(dh, random);
    }

    /** Key generation alone (fixed base: the generator). */
    @Benchmark
    public DhKeyPair generate() {
        return DhKeyPair.generate(dh, random);
    }

    /** Agreement alone: what a client with a static key does per session. */
    @Benchmark
    public byte[] agree() {
        return near.agree(farPublic);
    }

    /** Key generation plus agreement: what a server does per session. */
    @Benchmark
    public byte[] generateAndAgree() {
        return DhKeyPair.generate(dh, random).agree(farPublic);
    }
}
