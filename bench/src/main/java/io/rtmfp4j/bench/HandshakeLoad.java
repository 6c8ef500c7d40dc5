package io.rtmfp4j.bench;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.HandshakeSettings;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.ConnectListener;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.runtime.UdpEndpoint;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
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
 * the server does not get; so it is kept cheap: each client computes its agreement on its own
 * loop thread (no crypto worker, no thread hand-offs). It does the same work whichever server it
 * loads.
 */
public final class HandshakeLoad {
    /** What to run. */
    public record Params(String uri, InetSocketAddress server, Duration duration, int concurrency, DhGroup group,
            boolean requireHmac, boolean requireSseq, Duration warmup) {

        /** Without a warm-up phase. */
        public Params(String uri, InetSocketAddress server, Duration duration, int concurrency, DhGroup group,
                boolean requireHmac, boolean requireSseq) {
            this(uri, server, duration, concurrency, group, requireHmac, requireSseq, Duration.ZERO);
        }
    }

    /** What was measured. */
    public record Result(Params params, long sessions, long failures, double seconds, Long serverPid,
            Long serverCpuMillis, long clientCpuMillis) {

        public double sessionsPerSecond() {
            return sessions / seconds;
        }

        public String toJson() {
            StringBuilder b = new StringBuilder("{");
            b.append(String.format(Locale.ROOT, "\"bench\":\"handshake\",\"server\":\"%s\",\"dhGroup\":%d,"
                            + "\"concurrency\":%d,\"seconds\":%.3f,\"sessions\":%d,\"failures\":%d,"
                            + "\"sessionsPerSecond\":%.1f,\"clientCpuSeconds\":%.3f",
                    params.uri(), params.group().id(), params.concurrency(), seconds, sessions, failures,
                    sessionsPerSecond(), clientCpuMillis / 1000.0));
            if (serverPid != null && serverCpuMillis != null) {
                b.append(String.format(Locale.ROOT, ",\"serverPid\":%d,\"serverCpuSeconds\":%.3f,"
                                + "\"serverCpuPercent\":%.1f,\"serverCpuMsPerSession\":%.3f",
                        serverPid, serverCpuMillis / 1000.0, serverCpuMillis / 10.0 / seconds,
                        sessions == 0 ? 0.0 : (double) serverCpuMillis / sessions));
            }
            return b.append('}').toString();
        }
    }

    private HandshakeLoad() {
    }

    public static Result run(Params p) throws InterruptedException {
        SecureRandom random = new SecureRandom();
        Optional<Long> serverPid = ProcessCpu.findByUdpPort(p.server().getPort());
        List<UdpEndpoint> clients = new ArrayList<>();
        AtomicLong sessions = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        try {
            for (int i = 0; i < p.concurrency(); i++) {
                PeerIdentity identity = PeerIdentity.newStatic(Optional.empty(), List.of(p.group()), random);
                EndpointConfig config = EndpointConfig.builder(identity)
                        .acceptSessions(false)
                        .handshake(new HandshakeSettings(p.requireHmac(), p.requireHmac(),
                                HandshakeSettings.DEFAULT_HMAC_LENGTH, p.requireSseq(), p.requireSseq()))
                        .openTimeout(Duration.ofSeconds(5))
                        .build();
                InetSocketAddress local = new InetSocketAddress(p.server().getAddress() instanceof java.net.Inet6Address
                        ? "::" : "0.0.0.0", 0);
                clients.add(UdpEndpoint.bind(config, List.of(local), 0));
            }
            EndpointDiscriminator epd = EndpointDiscriminator.forServerUri(p.uri());
            if (!p.warmup().isZero()) {
                // Same load, not counted: both JIT compilers (ours and a Java server's) reach
                // steady state before the measurement starts.
                runPhase(clients, epd, p.server(), p.warmup(), new AtomicLong(), new AtomicLong());
            }
            long cpuBefore = clientCpu();
            OptionalLong serverBefore = serverPid.map(ProcessCpu::cpuMillis).orElse(OptionalLong.empty());
            long start = System.nanoTime();
            runPhase(clients, epd, p.server(), p.duration(), sessions, failures);
            double seconds = (System.nanoTime() - start) / 1e9;
            OptionalLong serverAfter = serverPid.map(ProcessCpu::cpuMillis).orElse(OptionalLong.empty());
            Long serverCpu = serverBefore.isPresent() && serverAfter.isPresent()
                    ? serverAfter.getAsLong() - serverBefore.getAsLong() : null;
            return new Result(p, sessions.get(), failures.get(), seconds, serverPid.orElse(null), serverCpu,
                    clientCpu() - cpuBefore);
        } finally {
            for (UdpEndpoint c : clients) {
                c.close();
            }
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
