package io.rtmfp4j.bench.jmh;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.PacketProtection;
import io.rtmfp4j.core.crypto.SessionKeys;
import io.rtmfp4j.core.crypto.SessionSecurity;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The symmetric part of keying one session, apart from Diffie-Hellman: deriving the keys and
 * nonces from the shared secret (RFC 7425 §4.6) and setting up the session's packet protection
 * with HMAC and sequence numbers in both directions (tcserver's defaults).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SessionSetupBenchmark {
    private byte[] secret;
    private byte[] skic;
    private byte[] skrc;

    @Setup
    public void setup() {
        Random r = new Random(7);
        secret = new byte[128];
        skic = new byte[76];
        skrc = new byte[139];
        r.nextBytes(secret);
        r.nextBytes(skic);
        r.nextBytes(skrc);
    }

    /** Key derivation only. */
    @Benchmark
    public SessionKeys deriveKeys() {
        return SessionKeys.derive(secret, skrc, skic);
    }

    /** Key derivation plus the session's packet protection. */
    @Benchmark
    public PacketProtection deriveAndProtect() {
        SessionKeys keys = SessionKeys.derive(secret, skrc, skic);
        return PacketProtection.forSession(new SessionSecurity(keys, 16, 16, true, true, DhGroup.GROUP_2));
    }
}
