package io.rtmfp4j.bench;

import io.rtmfp4j.core.crypto.Certificate;
import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.DhKeyPair;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.HandshakeSettings;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.ConnectListener;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.EndpointStats;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.runtime.EventLoops;
import io.rtmfp4j.runtime.UdpEndpoint;
import io.rtmfp4j.core.wire.WireFormatException;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens sessions to a server as fast as it will take them, for a bounded time: each of
 * {@code concurrency} client endpoints opens a session, closes it as soon as it is open, and opens
 * the next. Clients use static keys (like Flash Player and rtmfp-cpp clients), so a client
 * spends one DH agreement per session while the server spends a key generation and an agreement.
 *
 * <p>The driver usually shares the machine with the server, and every CPU second it spends is one
 * the server does not get; so it is kept cheap, doing the same work whichever server it loads:
 * the clients share {@value #DEFAULT_CLIENT_THREADS} loop thread by default (with a thread each,
 * eight clients cost about a quarter more CPU per session in wakeups and context switches), each
 * computes its agreement on that thread (no crypto worker, no thread hand-offs), and the clients'
 * static keys have short private exponents
 * ({@value #DEFAULT_CLIENT_EXPONENT_BITS} bits by default), which makes their agreements several
 * times cheaper. That weakens only the clients' own keys, which protect nothing here; the server
 * sees ordinary public keys, and its own exponentiation costs the same whatever the client's
 * exponent.
 */
public final class HandshakeLoad {
    /** Private exponent length of the clients' static keys unless told otherwise. */
    public static final int DEFAULT_CLIENT_EXPONENT_BITS = 32;
    /** Loop threads the client endpoints share unless told otherwise. */
    public static final int DEFAULT_CLIENT_THREADS = 1;

    /**
     * What to run.
     *
     * @param concurrency handshakes in flight at once, each from a client endpoint of its own (a
     *     second connection to the same server from one endpoint would join its session, RFC 7016 §3.2)
     * @param clientExponentBits length of the clients' private exponents; 0 for the group's own
     *     ({@link DhGroup#privateBits()}), as a real client would have
     * @param clientThreads loop threads the client endpoints share
     * @param admin the server's admin listener, to read how many startup packets it dropped as over
     *     its per-address rate (rtmfp server's {@code /status}); null not to ask
     */
    public record Params(String uri, InetSocketAddress server, Duration duration, int concurrency, DhGroup group,
            boolean requireHmac, boolean requireSseq, Duration warmup, int clientExponentBits, int clientThreads,
            URI admin) {

        public Params {
            if (clientExponentBits != 0 && (clientExponentBits < 16 || clientExponentBits > group.privateBits())) {
                throw new IllegalArgumentException("client exponents must be 0 or 16.." + group.privateBits() + " bits");
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("at least one handshake must be in flight");
            }
            if (clientThreads < 1 || clientThreads > concurrency) {
                throw new IllegalArgumentException("client threads must be 1.." + concurrency + " (the concurrency)");
            }
        }

        /** Without a warm-up phase, with the default client exponents and threads, asking no admin listener. */
        public Params(String uri, InetSocketAddress server, Duration duration, int concurrency, DhGroup group,
                boolean requireHmac, boolean requireSseq) {
            this(uri, server, duration, concurrency, group, requireHmac, requireSseq, Duration.ZERO,
                    DEFAULT_CLIENT_EXPONENT_BITS, DEFAULT_CLIENT_THREADS, null);
        }
    }

    /**
     * What was measured.
     *
     * @param machineCpuMillis CPU time of the whole machine over the measurement, null where /proc
     *     cannot tell; beyond the server's and this driver's, it is other work that competed
     * @param startupRetransmissions IHellos and IIKeyings the clients sent again for want of an answer
     * @param serverRateLimited startup packets the server dropped as over its per-address rate during
     *     the measurement, null when its admin listener could not tell
     */
    public record Result(Params params, long sessions, long failures, double seconds, Long serverPid,
            Long serverCpuMillis, long clientCpuMillis, Long machineCpuMillis, long startupRetransmissions,
            Long serverRateLimited) {

        public double sessionsPerSecond() {
            return sessions / seconds;
        }

        /**
         * Whether the figure measured something other than the server's handshake speed: the server
         * said it dropped startup packets over its rate limit, or, when it could not say, more than one
         * session in a hundred needed a retransmission (a healthy server on loopback answers at once).
         */
        public boolean heldBack() {
            if (serverRateLimited != null) {
                return serverRateLimited > 0;
            }
            return startupRetransmissions * 100 > Math.max(sessions, 1);
        }

        public String toJson() {
            StringBuilder b = new StringBuilder("{");
            b.append(String.format(Locale.ROOT, "\"bench\":\"handshake\",\"server\":\"%s\",\"dhGroup\":%d,"
                            + "\"concurrency\":%d,\"seconds\":%.3f,\"sessions\":%d,\"failures\":%d,"
                            + "\"sessionsPerSecond\":%.1f,\"clientExponentBits\":%d,\"clientThreads\":%d,"
                            + "\"clientCpuSeconds\":%.3f",
                    params.uri(), params.group().id(), params.concurrency(), seconds, sessions, failures,
                    sessionsPerSecond(), params.clientExponentBits() == 0 ? params.group().privateBits()
                            : params.clientExponentBits(), params.clientThreads(), clientCpuMillis / 1000.0));
            b.append(",\"startupRetransmissions\":").append(startupRetransmissions);
            if (serverRateLimited != null) {
                b.append(",\"serverRateLimited\":").append(serverRateLimited);
            }
            if (serverPid != null && serverCpuMillis != null) {
                b.append(String.format(Locale.ROOT, ",\"serverPid\":%d,\"serverCpuSeconds\":%.3f,"
                                + "\"serverCpuPercent\":%.1f,\"serverCpuMsPerSession\":%.3f",
                        serverPid, serverCpuMillis / 1000.0, serverCpuMillis / 10.0 / seconds,
                        sessions == 0 ? 0.0 : (double) serverCpuMillis / sessions));
                if (machineCpuMillis != null) {
                    b.append(String.format(Locale.ROOT, ",\"otherCpuCores\":%.2f",
                            (machineCpuMillis - serverCpuMillis - clientCpuMillis) / 1000.0 / seconds));
                }
            }
            return b.append('}').toString();
        }
    }

    private HandshakeLoad() {
    }

    public static Result run(Params p) throws InterruptedException {
        Optional<Long> serverPid = ProcessCpu.findByUdpPort(p.server().getPort());
        AtomicLong sessions = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        try (Clients clients = Clients.bind(p, new SecureRandom())) {
            EndpointDiscriminator epd = EndpointDiscriminator.forServerUri(p.uri());
            if (!p.warmup().isZero()) {
                // Same load, not counted: both JIT compilers (ours and a Java server's) reach
                // steady state before the measurement starts.
                runPhase(clients.endpoints(), epd, p.server(), p.warmup(), new AtomicLong(), new AtomicLong());
            }
            long cpuBefore = clientCpu();
            OptionalLong serverBefore = serverPid.map(ProcessCpu::cpuMillis).orElse(OptionalLong.empty());
            OptionalLong machineBefore = ProcessCpu.machineCpuMillis();
            OptionalLong limitedBefore = rateLimited(p);
            long retransmissionsBefore = clients.startupRetransmissions();
            long start = System.nanoTime();
            runPhase(clients.endpoints(), epd, p.server(), p.duration(), sessions, failures);
            double seconds = (System.nanoTime() - start) / 1e9;
            OptionalLong serverAfter = serverPid.map(ProcessCpu::cpuMillis).orElse(OptionalLong.empty());
            OptionalLong machineAfter = ProcessCpu.machineCpuMillis();
            OptionalLong limitedAfter = rateLimited(p);
            return new Result(p, sessions.get(), failures.get(), seconds, serverPid.orElse(null),
                    difference(serverBefore, serverAfter), clientCpu() - cpuBefore,
                    difference(machineBefore, machineAfter), clients.startupRetransmissions() - retransmissionsBefore,
                    difference(limitedBefore, limitedAfter));
        }
    }

    private static OptionalLong rateLimited(Params p) {
        return p.admin() == null ? OptionalLong.empty() : ServerRateLimit.drops(p.admin());
    }

    private static Long difference(OptionalLong before, OptionalLong after) {
        return before.isPresent() && after.isPresent() ? after.getAsLong() - before.getAsLong() : null;
    }

    /** The client endpoints, one per handshake in flight, on their shared loop threads. */
    private record Clients(EventLoops loops, List<UdpEndpoint> endpoints) implements AutoCloseable {
        long startupRetransmissions() {
            long sum = 0;
            for (UdpEndpoint c : endpoints) {
                sum += c.call(e -> e.stats().get(EndpointStats.Counter.STARTUP_RETRANSMISSIONS)).join();
            }
            return sum;
        }

        static Clients bind(Params p, SecureRandom random) {
            Clients clients = new Clients(EventLoops.create(p.clientThreads()), new ArrayList<>());
            try {
                InetSocketAddress local = new InetSocketAddress(
                        p.server().getAddress() instanceof Inet6Address ? "::" : "0.0.0.0", 0);
                for (int i = 0; i < p.concurrency(); i++) {
                    EndpointConfig config = EndpointConfig.builder(clientIdentity(p, random))
                            .acceptSessions(false)
                            .handshake(new HandshakeSettings(p.requireHmac(), p.requireHmac(),
                                    HandshakeSettings.DEFAULT_HMAC_LENGTH, p.requireSseq(), p.requireSseq()))
                            .openTimeout(Duration.ofSeconds(5))
                            .build();
                    clients.endpoints().add(UdpEndpoint.bind(config, List.of(local), 0, clients.loops()));
                }
                return clients;
            } catch (RuntimeException e) {
                clients.close();
                throw e;
            }
        }

        @Override
        public void close() {
            for (UdpEndpoint c : endpoints) {
                c.close();
            }
            loops.close();
        }
    }

    /** A static identity with one key in the group, its exponent as long as asked. */
    static PeerIdentity clientIdentity(Params p, SecureRandom random) {
        if (p.clientExponentBits() == 0) {
            return PeerIdentity.newStatic(Optional.empty(), List.of(p.group()), random);
        }
        while (true) {
            BigInteger x = new BigInteger(p.clientExponentBits(), random).setBit(p.clientExponentBits() - 1);
            DhKeyPair key = DhKeyPair.fromPrivateKey(p.group(), x.toByteArray());
            try {
                // The far end checks public keys (RFC 7425 §4.6.2); a rare unlucky one is redrawn.
                DhKeyPair.checkPublicKey(p.group(), key.publicKey());
            } catch (WireFormatException e) {
                continue;
            }
            return PeerIdentity.of(Certificate.withStaticKeys(Optional.empty(), List.of(key)), List.of(key));
        }
    }

    /** Every client opens and closes sessions until {@code duration} has passed. */
    private static void runPhase(List<UdpEndpoint> clients, EndpointDiscriminator epd, InetSocketAddress server,
            Duration duration, AtomicLong sessions, AtomicLong failures) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        CountDownLatch done = new CountDownLatch(clients.size());
        for (UdpEndpoint c : clients) {
            new Loop(c, epd, server, end, sessions, failures, done).next();
        }
        // Every loop stops by itself at the deadline; the margin covers one open timeout.
        done.await(duration.toMillis() + 10_000, TimeUnit.MILLISECONDS);
    }

    private static long clientCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
    }

    /** One client's open-close-open cycle; runs on that client's loop thread. */
    private record Loop(UdpEndpoint client, EndpointDiscriminator epd, InetSocketAddress server, long end,
            AtomicLong sessions, AtomicLong failures, CountDownLatch done) implements ConnectListener {

        void next() {
            if (System.nanoTime() >= end) {
                done.countDown();
                return;
            }
            client.execute(e -> e.connect(epd, List.of(server), client.now(), this));
        }

        @Override
        public void onOpen(Session session) {
            sessions.incrementAndGet();
            session.abort(client.now(), CloseReason.LOCAL_CLOSE);
            next();
        }

        @Override
        public void onFailure(CloseReason reason) {
            failures.incrementAndGet();
            next();
        }
    }
}
