package io.rtmfp4j.bench.jmh;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.ConnectListener;
import io.rtmfp4j.core.session.Datagram;
import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.Session;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole core data path with no sockets and no threads: two {@link Endpoint}s in one thread,
 * datagrams moved from one's {@code pollTransmit()} straight into the other's {@code receive},
 * and a fake clock that advances a little per exchange and jumps to the next deadline when
 * nothing moves. One operation writes {@code MESSAGES} messages of {@code size} bytes and runs
 * until the receiver has them all: fragmentation, Flash-profile encryption and checksums,
 * acknowledgements, congestion control, reassembly and delivery, on both ends. Since it is all on
 * one CPU, bytes per second here is core goodput per CPU second (multiply ops/s by
 * {@code MESSAGES × size}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FlowTransferBenchmark {
    static final int MESSAGES = 64;
    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 1935);
    static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 50000);
    /** One-way delay the fake clock adds per exchange of datagrams. */
    static final long STEP_MICROS = 50;

    @Param({"1200", "16384"})
    int size;

    private Endpoint server;
    private Endpoint client;
    private SendFlow flow;
    private byte[] message;
    private long now = 1;
    private long received;

    @Setup(Level.Trial)
    public void setup() {
        Random seed = new Random(5);
        server = new Endpoint(EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2),
                        random(seed))).receiveBufferCapacity(16L << 20).build(), random(seed), null);
        client = new Endpoint(EndpointConfig.builder(PeerIdentity.newStatic(Optional.empty(), List.of(DhGroup.GROUP_2),
                        random(seed))).acceptSessions(false).build(), random(seed), null);
        server.setListener(new EndpointListener() {
            @Override
            public void onFlow(ReceiveFlow f) {
                f.accept((rf, m) -> received += m.length);
            }
        });
        Session[] session = new Session[1];
        client.connect(EndpointDiscriminator.forServerUri("rtmfp://10.0.0.1/bench"), List.of(A), now,
                new ConnectListener() {
                    @Override
                    public void onOpen(Session s) {
                        session[0] = s;
                    }

                    @Override
                    public void onFailure(CloseReason reason) {
                        throw new IllegalStateException("session did not open: " + reason);
                    }
                });
        for (int i = 0; i < 100_000 && session[0] == null; i++) {
            step();
        }
        if (session[0] == null) {
            throw new IllegalStateException("session did not open");
        }
        flow = session[0].openFlow("bench".getBytes());
        flow.setSendBufferCapacity(Long.MAX_VALUE);
        message = new byte[size];
        seed.nextBytes(message);
    }

    private static SecureRandom random(Random seed) {
        SecureRandom r = new SecureRandom();
        r.setSeed(seed.nextLong());
        return r;
    }

    @Benchmark
    public long transfer() {
        long target = received + (long) MESSAGES * size;
        for (int i = 0; i < MESSAGES; i++) {
            flow.write(message);
        }
        int guard = 0;
        while (received < target) {
            step();
            if (++guard > 10_000_000) {
                throw new IllegalStateException("transfer stalled at " + received + " of " + target + " bytes");
            }
        }
        return received;
    }

    /** Moves every queued datagram one way each; when none moved, jumps the clock to the next deadline. */
    private void step() {
        boolean moved = deliver(client, server, B) | deliver(server, client, A);
        if (moved) {
            now += STEP_MICROS;
        } else {
            long next = Math.min(server.nextDeadline(), client.nextDeadline());
            now = next == Long.MAX_VALUE ? now + STEP_MICROS : Math.max(now + 1, next);
        }
        if (server.nextDeadline() <= now) {
            server.onTimer(now);
        }
        if (client.nextDeadline() <= now) {
            client.onTimer(now);
        }
    }

    private boolean deliver(Endpoint from, Endpoint to, InetSocketAddress fromAddress) {
        boolean any = false;
        Datagram d;
        while ((d = from.pollTransmit()) != null) {
            byte[] data = d.data();
            to.receive(fromAddress, data, 0, data.length, now);
            any = true;
        }
        return any;
    }
}
