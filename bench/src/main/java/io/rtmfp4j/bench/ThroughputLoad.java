package io.rtmfp4j.bench;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.EndpointStats;
import io.rtmfp4j.core.session.EndpointStats.Counter;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.SendFlowListener;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.session.WriteReceipt;
import io.rtmfp4j.runtime.UdpEndpoint;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bulk transfer on one flow, for a bounded time: the sender keeps the flow's send buffer full
 * and counts the application bytes whose messages the far end acknowledged (goodput).
 *
 * <p>By default the receiver is a discard sink with its own {@link UdpEndpoint} (its own loop
 * thread and socket) in this process, on 127.0.0.1. CPU is then reported three ways: the whole
 * process (both ends plus JIT and GC), and each end's loop thread alone (ThreadMXBean), which is
 * where the protocol work happens. With a server URI the receiver is that server, for example
 * {@code rtmfp server --echo} or rtmfp-cpp's echoserver: the sender rejects the return flow an
 * echo server opens, which turns it into a discard sink, and the server's CPU is read from /proc
 * (found through its UDP port) when it runs on this machine.
 *
 * <p>A warm-up period runs first and is not measured.
 */
public final class ThroughputLoad {
    /** Metadata of the bulk flow. */
    static final byte[] METADATA = "rtmfp4j throughput".getBytes(StandardCharsets.US_ASCII);
    private static final long SEND_BUFFER = 1L << 20;
    private static final long SINK_RECEIVE_BUFFER = 16L << 20;

    /** What to run; {@code server} null means an in-process sink. */
    public record Params(String uri, InetSocketAddress server, Duration duration, Duration warmup, int messageSize) {
    }

    /** Counters at one instant. */
    private record Snapshot(long nanos, long delivered, long datagramsSent, long bytesSent, long retransmissions,
            long bytesLost, long processCpuNanos, long senderLoopCpuNanos, long sinkLoopCpuNanos, long serverCpuMillis) {
    }

    /** What was measured between the end of the warm-up and the end of the run. */
    public record Result(Params params, double seconds, long bytesDelivered, long datagramsSent, long bytesSent,
            long retransmissions, long bytesLost, double processCpuSeconds, double senderLoopCpuSeconds,
            Double sinkLoopCpuSeconds, Long serverPid, Double serverCpuSeconds, long cwnd, long srttMicros,
            String error) {

        public double goodputMegabytesPerSecond() {
            return bytesDelivered / seconds / 1e6;
        }

        private double perGigabyte(double cpuSeconds) {
            return bytesDelivered == 0 ? 0 : cpuSeconds / (bytesDelivered / 1e9);
        }

        public String toJson() {
            StringBuilder b = new StringBuilder("{");
            b.append(String.format(Locale.ROOT, "\"bench\":\"throughput\",\"server\":\"%s\",\"messageSize\":%d,"
                            + "\"seconds\":%.3f,\"bytesDelivered\":%d,\"goodputMBps\":%.3f,\"datagramsSent\":%d,"
                            + "\"datagramsPerSecond\":%.1f,\"wireBytesSent\":%d,\"retransmissions\":%d,\"bytesLost\":%d,"
                            + "\"cwnd\":%d,\"srttMs\":%.3f,\"processCpuSeconds\":%.3f,\"processCpuSecondsPerGB\":%.3f,"
                            + "\"senderLoopCpuSeconds\":%.3f,\"senderCpuSecondsPerGB\":%.3f",
                    params.server() == null ? "in-process" : params.uri(), params.messageSize(), seconds,
                    bytesDelivered, goodputMegabytesPerSecond(), datagramsSent, datagramsSent / seconds, bytesSent,
                    retransmissions, bytesLost, cwnd, srttMicros / 1000.0, processCpuSeconds,
                    perGigabyte(processCpuSeconds), senderLoopCpuSeconds, perGigabyte(senderLoopCpuSeconds)));
            if (sinkLoopCpuSeconds != null) {
                b.append(String.format(Locale.ROOT, ",\"sinkLoopCpuSeconds\":%.3f,\"sinkCpuSecondsPerGB\":%.3f",
                        sinkLoopCpuSeconds, perGigabyte(sinkLoopCpuSeconds)));
            }
            if (serverPid != null && serverCpuSeconds != null) {
                b.append(String.format(Locale.ROOT, ",\"serverPid\":%d,\"serverCpuSeconds\":%.3f,"
                        + "\"serverCpuSecondsPerGB\":%.3f", serverPid, serverCpuSeconds, perGigabyte(serverCpuSeconds)));
            }
            if (error != null) {
                b.append(",\"error\":\"").append(error.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            return b.append('}').toString();
        }
    }

    private ThroughputLoad() {
    }

    public static Result run(Params p) throws Exception {
        SecureRandom random = new SecureRandom();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        UdpEndpoint sink = null;
        UdpEndpoint sender = null;
        try {
            InetSocketAddress target = p.server();
            String uri = p.uri();
            if (target == null) {
                EndpointConfig sinkConfig = EndpointConfig.builder(
                                PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2), random))
                        .receiveBufferCapacity(SINK_RECEIVE_BUFFER)
                        .build();
                sink = UdpEndpoint.bind(sinkConfig, List.of(new InetSocketAddress("127.0.0.1", 0)), 1);
                sink.setListener(new EndpointListener() {
                    @Override
                    public void onFlow(ReceiveFlow flow) {
                        flow.accept(DISCARD);
                    }
                });
                target = sink.localAddresses().get(0);
                uri = "rtmfp://127.0.0.1:" + target.getPort() + "/";
            }
            Optional<Long> serverPid = p.server() == null ? Optional.empty() : ProcessCpu.findByUdpPort(target.getPort());
            EndpointConfig config = EndpointConfig.builder(
                            PeerIdentity.newStatic(Optional.empty(), List.of(DhGroup.GROUP_2), random))
                    .acceptSessions(false)
                    .openTimeout(Duration.ofSeconds(10))
                    .build();
            InetSocketAddress local = new InetSocketAddress(target.getAddress() instanceof java.net.Inet6Address
                    ? "::" : "0.0.0.0", 0);
            sender = UdpEndpoint.bind(config, List.of(local), 1);
            // Flows an echo server opens back to us are left unaccepted, hence rejected: it then only discards.
            sender.setListener(new EndpointListener() { });
            Session session = sender.connect(EndpointDiscriminator.forServerUri(uri), List.of(target))
                    .get(15, TimeUnit.SECONDS);
            long senderThread = sender.call(e -> Thread.currentThread().getId()).get(5, TimeUnit.SECONDS);
            EndpointStats stats = sender.call(e -> e.stats()).get(5, TimeUnit.SECONDS);
            Long sinkThread = sink == null ? null : sink.call(e -> Thread.currentThread().getId()).get(5, TimeUnit.SECONDS);

            Pump pump = new Pump(p.messageSize());
            UdpEndpoint s = sender;
            s.call(e -> {
                pump.start(session);
                return null;
            }).get(5, TimeUnit.SECONDS);
            TimeUnit.NANOSECONDS.sleep(p.warmup().toNanos());
            Snapshot before = snapshot(stats, pump, threads, senderThread, sinkThread, serverPid);
            TimeUnit.NANOSECONDS.sleep(p.duration().toNanos());
            Snapshot after = snapshot(stats, pump, threads, senderThread, sinkThread, serverPid);
            String error = pump.error;
            long[] cwndAndRtt = new long[] {-1, -1};
            try {
                s.call(e -> {
                    cwndAndRtt[0] = session.congestionWindow();
                    cwndAndRtt[1] = session.rtt().srtt();
                    pump.stop();
                    return null;
                }).get(5, TimeUnit.SECONDS);
            } catch (TimeoutException stuck) {
                error = "the sender's event loop did not answer within 5 s";
            }
            double seconds = (after.nanos - before.nanos) / 1e9;
            Long pid = serverPid.orElse(null);
            Double serverCpu = before.serverCpuMillis >= 0 && after.serverCpuMillis >= 0
                    ? (after.serverCpuMillis - before.serverCpuMillis) / 1000.0 : null;
            return new Result(p, seconds, after.delivered - before.delivered, after.datagramsSent - before.datagramsSent,
                    after.bytesSent - before.bytesSent, after.retransmissions - before.retransmissions,
                    after.bytesLost - before.bytesLost, (after.processCpuNanos - before.processCpuNanos) / 1e9,
                    (after.senderLoopCpuNanos - before.senderLoopCpuNanos) / 1e9,
                    sinkThread == null ? null : (after.sinkLoopCpuNanos - before.sinkLoopCpuNanos) / 1e9,
                    pid, serverCpu, cwndAndRtt[0], cwndAndRtt[1], error);
        } finally {
            if (sender != null) {
                sender.close();
            }
            if (sink != null) {
                sink.close();
            }
        }
    }

    private static Snapshot snapshot(EndpointStats stats, Pump pump, ThreadMXBean threads, long senderThread,
            Long sinkThread, Optional<Long> serverPid) {
        // Counters are atomics written by the loop: readable from here without stopping it.
        long datagrams = stats.get(Counter.DATAGRAMS_SENT);
        long bytes = stats.get(Counter.BYTES_SENT);
        long retransmissions = stats.get(Counter.DATA_RETRANSMISSIONS);
        long lost = stats.get(Counter.DATA_BYTES_LOST);
        OptionalLong server = serverPid.map(ProcessCpu::cpuMillis).orElse(OptionalLong.empty());
        return new Snapshot(System.nanoTime(), pump.delivered.get(), datagrams, bytes, retransmissions, lost,
                ProcessCpu.ownNanos(), threads.getThreadCpuTime(senderThread),
                sinkThread == null ? 0 : threads.getThreadCpuTime(sinkThread), server.orElse(-1));
    }

    private static final ReceiveFlowHandler DISCARD = (flow, message) -> { };

    /** Keeps the send buffer full; runs on the sender's loop. */
    private static final class Pump implements SendFlowListener {
        final AtomicLong delivered = new AtomicLong();
        final byte[] message;
        SendFlow flow;
        volatile String error;
        boolean stopped;

        Pump(int size) {
            message = new byte[size];
            new SecureRandom().nextBytes(message);
        }

        void start(Session session) {
            flow = session.openFlow(METADATA);
            flow.setSendBufferCapacity(SEND_BUFFER);
            flow.setListener(this);
            fill();
        }

        void stop() {
            stopped = true;
        }

        private void fill() {
            while (!stopped && flow.isWritable()) {
                WriteReceipt r = flow.write(message);
                r.onSettle(x -> {
                    if (x.status() == WriteReceipt.Status.DELIVERED) {
                        delivered.addAndGet(message.length);
                    }
                });
            }
        }

        @Override
        public void onWritable(SendFlow f) {
            fill();
        }

        @Override
        public void onException(SendFlow f, long code) {
            error = "the receiver rejected the flow (code " + code + ")";
        }
    }
}
