package io.rtmfp4j.bench.jmh;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.DhKeyReuse;
import io.rtmfp4j.core.crypto.FlashKeying;
import io.rtmfp4j.core.crypto.HandshakeSettings;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.crypto.ResponderKeying;
import io.rtmfp4j.core.crypto.ResponderKeys;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 * A server's keying of one session (RFC 7425 §4.6), as in {@code rtmfp bench handshake}: a client
 * with a static key (Flash Player, rtmfp-cpp) builds its skic, and the server with an ephemeral
 * certificate answers it, with a fresh key pair per session ({@code reuse} 1) or one key pair
 * reused for up to {@code reuse} sessions ({@link DhKeyReuse}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ResponderKeyingBenchmark {
    @Param({"2", "16"})
    int group;

    @Param({"1", "1000"})
    int reuse;

    private final SecureRandom random = new SecureRandom();
    private final HandshakeSettings settings = HandshakeSettings.flashCompatible();
    private PeerIdentity server;
    private PeerIdentity client;
    private ResponderKeys keys;
    private long now;

    @Setup
    public void setup() {
        DhGroup g = DhGroup.byId(group).orElseThrow();
        server = PeerIdentity.newServer(Optional.empty(), List.of(g), random);
        client = PeerIdentity.newStatic(Optional.empty(), List.of(g), random);
        keys = new ResponderKeys(reuse == 1 ? DhKeyReuse.none() : new DhKeyReuse(reuse, Duration.ofHours(1)));
    }

    /** The client's skic (cheap: a static key and 64 random bytes) and the server's answer. */
    @Benchmark
    public ResponderKeying respond() {
        byte[] skic = FlashKeying.startInitiator(client, server.certificate(), settings, random).skic();
        return FlashKeying.respond(server, client.certificate(), skic, settings, keys, now++, random);
    }
}
