package io.rtmfp4j.cli;

import io.rtmfp4j.bench.ConnectLoad;
import io.rtmfp4j.server.RendezvousServer;
import io.rtmfp4j.server.ServerConfig;
import io.rtmfp4j.server.auth.Authenticator;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Runs the connect path before a server takes its first client (docs/warmup.md). A fresh JVM
 * interprets the handshake and connect code and compiles it as it first runs it, which more than
 * doubles the CPU of its first few thousand connects. Here a server configured like the real one
 * (identity, DH groups, key reuse, settings) takes connects from clients in this process over
 * loopback UDP, through the same sockets, event loops and crypto threads, before the real sockets
 * are bound; real clients then meet compiled code. It costs startup time instead.
 *
 * <p>The warm-up goes on past the connects asked for while the JIT compilers are still busy with
 * what they run, up to {@value #MAX_FACTOR} times as many. Stopping while they are busy leaves
 * their work to the first real clients twice over: HotSpot drops a queued compilation whose method
 * has not run for a few tens of milliseconds (its tiered policy's stale tasks,
 * {@code TieredCompileTaskTimeout}), so an idle server loses the queue, and the methods still
 * profiling reach the optimizing compiler only as real traffic calls them.
 */
final class ServerWarmup {
    /** Clients with a socket each at once: few enough for any file-descriptor limit. */
    private static final int BATCH = 500;
    private static final int CONCURRENCY = 8;
    /**
     * Batches each warm-up server takes before a fresh one replaces it. The real server is a fresh
     * instance too (its sockets, event-loop threads and crypto threads new), and its first packets
     * take branches that a long-running instance no longer does (a thread's first use of its
     * locals, a pool starting a thread); code compiled without ever having seen them is compiled
     * again when they are taken, whole packet loops with it.
     */
    private static final int BATCHES_PER_SERVER = 4;
    /** The warm-up stops at most at this many times the connects asked for. */
    static final int MAX_FACTOR = 4;
    /** Batches over which the compilers must have been quiet, so that one long compilation in progress does not pass for quiet. */
    private static final int QUIET_BATCHES = 4;
    /** Quiet: the compilers' time over those batches under this share of their wall time. */
    private static final double QUIET_SHARE = 0.05;

    private ServerWarmup() {
    }

    /**
     * How many connects the warm-up took, and whether it stopped at its limit with the compilers
     * still busy (never when the JVM does not report their time: it then takes the connects asked for).
     */
    record Outcome(int connected, boolean compilersBusy) {
    }

    /** One batch of connects: its wall time and the compilers' time meanwhile. */
    private record Batch(long wallMillis, long compilingMillis) {
    }

    /**
     * At least {@code connects} connects, and up to {@value #MAX_FACTOR} times as many while the
     * compilers are busy, to a loopback server configured like {@code real}, with open access, on
     * its own (its directory in memory, in no cluster, registered with no redirector) and no admin
     * listener.
     */
    static Outcome run(ServerConfig real, int connects) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        ServerConfig cfg = new ServerConfig(real.endpoint(), List.of(loopback), real.cryptoThreads(), real.rendezvous(),
                Authenticator.open(), null, List.of(), List.of(), null, real.receiveBuffer());
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean measurable = jit != null && jit.isCompilationTimeMonitoringSupported();
        long limit = measurable ? (long) connects * MAX_FACTOR : connects;
        // Small enough that the connects asked for make the batches the quiet test needs.
        int batch = Math.max(1, Math.min(BATCH, connects / QUIET_BATCHES));
        Deque<Batch> recent = new ArrayDeque<>();
        int connected = 0;
        boolean busy = measurable;
        RendezvousServer server = null;
        try {
            for (long done = 0; done < limit; done += batch) {
                if (done / batch % BATCHES_PER_SERVER == 0) {
                    if (server != null) {
                        server.close();
                        server = null;
                    }
                    server = RendezvousServer.start(cfg);
                }
                InetSocketAddress at = server.localAddresses().get(0);
                String uri = "rtmfp://127.0.0.1:" + at.getPort() + "/warmup";
                int count = (int) Math.min(batch, limit - done);
                long start = System.nanoTime();
                long compiling = measurable ? jit.getTotalCompilationTime() : 0;
                try (ConnectLoad load = ConnectLoad.open(List.of(new ConnectLoad.Target(uri, at)), (int) done, count)) {
                    connected += load.connectAll(CONCURRENCY, Duration.ofMinutes(1)).connected();
                }
                if (measurable) {
                    recent.addLast(new Batch((System.nanoTime() - start) / 1_000_000,
                            jit.getTotalCompilationTime() - compiling));
                    if (recent.size() > QUIET_BATCHES) {
                        recent.removeFirst();
                    }
                    busy = recent.size() < QUIET_BATCHES || compilingShare(recent) >= QUIET_SHARE;
                    if (done + count >= connects && !busy) {
                        break;
                    }
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
        return new Outcome(connected, busy);
    }

    private static double compilingShare(Deque<Batch> batches) {
        long wall = 0;
        long compiling = 0;
        for (Batch b : batches) {
            wall += b.wallMillis();
            compiling += b.compilingMillis();
        }
        return wall == 0 ? 1 : (double) compiling / wall;
    }
}
