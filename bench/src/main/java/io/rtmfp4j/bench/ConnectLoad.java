package io.rtmfp4j.bench;

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
import io.rtmfp4j.core.session.SessionState;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.TcMessage;
import io.rtmfp4j.flash.tc.TcMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;

/**
 * Holds many full client sessions against a rendezvous server: each client has its own identity
 * and UDP socket (a server keeps one session per address), opens a session, sends {@code connect}
 * and waits for its result, and then stays connected, answering keepalives. With everyone
 * connected it measures the server's memory per session and the latency of introductions.
 *
 * <p>The clients are sans-IO core endpoints multiplexed on one selector thread; Diffie-Hellman runs
 * inline on that thread. One socket each makes the process's open-file limit the bound on the
 * clients one driver holds; {@link ConnectDrivers} spreads more over several processes.
 */
public final class ConnectLoad implements AutoCloseable {
    /**
     * What to run.
     *
     * @param drivers processes to spread the clients over (1: all in this one); see {@link ConnectDrivers}
     */
    public record Params(List<Target> servers, int clients, int concurrency, int introductions,
            Duration hold, Duration timeout, int drivers) {
        public Params {
            servers = List.copyOf(servers);
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("at least one server");
            }
        }
    }

    /**
     * A server to connect clients to: client {@code i} of the run goes to server {@code i mod n}, so
     * that with several nodes of a cluster the clients spread evenly and every introduction between
     * two consecutive clients crosses nodes.
     */
    public record Target(String uri, InetSocketAddress address) {
    }

    /** How the connect phase of one driver went; the times are wall-clock milliseconds, comparable across processes. */
    public record Connected(int connected, int failed, long startMillis, long endMillis) {
    }

    /** Introduction latencies, sorted, and how many introductions got no answer. */
    public record Introductions(long[] latencyMicros, int failed) {
    }

    /**
     * What was measured. Memory figures are null when the server process could not be inspected.
     *
     * @param connected          clients whose connect succeeded
     * @param held               of those, the ones still connected when the server's memory was read: the
     *                           per-session figures divide by this, since a dropped session holds nothing
     * @param introLatencyMicros sorted latencies from the IHello to the first packet from the target
     * @param serverPid          the (first) server's process, or null
     * @param serverConnectCpuMillis the servers' CPU time (user plus system, every thread) while the clients
     *                           connected, or null when a server could not be inspected: measured from outside
     *                           the same way for any server, and free of the memory readings' collections
     */
    public record Result(Params params, int connected, int held, int failed, double connectSeconds, Long serverPid,
            Long serverConnectCpuMillis, Long rssBeforeBytes, Long rssAfterBytes, Long heapBeforeBytes, Long heapAfterBytes,
            long[] introLatencyMicros, int introductionsFailed) {

        public double connectsPerSecond() {
            return connected / connectSeconds;
        }

        public String toJson() {
            return toJson(0);
        }

        /** As {@link #toJson()}, with the batch's number (from 1) when one run of the driver takes several; 0 for none. */
        public String toJson(int batch) {
            StringBuilder b = new StringBuilder("{");
            b.append("\"bench\":\"connect\",");
            if (batch > 0) {
                b.append("\"batch\":").append(batch).append(',');
            }
            b.append(String.format(Locale.ROOT, "\"server\":\"%s\",\"servers\":%d,"
                            + "\"clients\":%d,\"drivers\":%d,\"concurrency\":%d,\"connected\":%d,\"held\":%d,"
                            + "\"failed\":%d,\"connectSeconds\":%.3f,\"connectsPerSecond\":%.1f",
                    params.servers().get(0).uri(), params.servers().size(), params.clients(), params.drivers(),
                    params.concurrency(), connected, held, failed, connectSeconds, connectsPerSecond()));
            if (serverPid != null) {
                b.append(",\"serverPid\":").append(serverPid);
            }
            if (serverConnectCpuMillis != null && connected > 0) {
                b.append(String.format(Locale.ROOT, ",\"serverConnectCpuSeconds\":%.3f,\"serverCpuMsPerConnect\":%.3f",
                        serverConnectCpuMillis / 1000.0, (double) serverConnectCpuMillis / connected));
            }
            perSession(b, "serverRss", rssBeforeBytes, rssAfterBytes);
            perSession(b, "serverHeap", heapBeforeBytes, heapAfterBytes);
            b.append(String.format(Locale.ROOT, ",\"introductions\":%d,\"introductionsFailed\":%d",
                    introLatencyMicros.length, introductionsFailed));
            if (introLatencyMicros.length > 0) {
                b.append(String.format(Locale.ROOT, ",\"introLatencyMs\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,"
                                + "\"max\":%.3f}", pct(0.50), pct(0.90), pct(0.99),
                        introLatencyMicros[introLatencyMicros.length - 1] / 1000.0));
            }
            return b.append('}').toString();
        }

        private void perSession(StringBuilder b, String name, Long before, Long after) {
            if (before != null && after != null && held > 0) {
                b.append(String.format(Locale.ROOT, ",\"%sBeforeBytes\":%d,\"%sAfterBytes\":%d,\"%sPerSessionBytes\":%.0f",
                        name, before, name, after, name, (after - before) / (double) held));
            }
        }

        private double pct(double q) {
            int i = (int) Math.min(introLatencyMicros.length - 1, Math.floor(q * introLatencyMicros.length));
            return introLatencyMicros[i] / 1000.0;
        }
    }

    private final List<Target> servers;
    private final Selector selector;
    private final long origin = System.nanoTime();
    private final PriorityQueue<long[]> timers = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    private final List<Client> clients = new ArrayList<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(8192);
    private int connected;
    private int failed;

    private ConnectLoad(List<Target> servers) throws IOException {
        this.servers = List.copyOf(servers);
        this.selector = Selector.open();
    }

    /**
     * Clients {@code firstIndex .. firstIndex + count - 1}, each with its identity and socket, not
     * yet connecting. The index picks the client's source address (see {@link #bindAddress}), so
     * drivers in several processes give theirs disjoint ranges.
     */
    public static ConnectLoad open(List<Target> servers, int firstIndex, int count) throws IOException {
        ConnectLoad load = new ConnectLoad(servers);
        try {
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < count; i++) {
                DatagramChannel ch = DatagramChannel.open();
                try {
                    ch.bind(load.bindAddress(firstIndex + i));
                    ch.configureBlocking(false);
                } catch (IOException e) {
                    ch.close();
                    throw e;
                }
                EndpointConfig config = EndpointConfig.builder(PeerIdentity.newFlashClient(random))
                        .acceptSessions(true)
                        .build();
                Client c = load.new Client(i, new Endpoint(config, random, null), ch,
                        servers.get((firstIndex + i) % servers.size()));
                ch.register(load.selector, SelectionKey.OP_READ, c);
                load.clients.add(c);
            }
            return load;
        } catch (IOException | RuntimeException e) {
            load.close();
            throw e;
        }
    }

    /** One simulated Flash client: an endpoint with its own socket. */
    private final class Client implements EndpointListener {
        final int index;
        final Endpoint endpoint;
        final DatagramChannel channel;
        final InetSocketAddress local;
        final Target target;
        Session server;
        SendFlow control;
        boolean done;
        boolean accepted;
        /** While an introduction to this client's target is pending: the target's address and the start. */
        InetSocketAddress awaiting;
        long introStart;
        long introLatency = -1;

        Client(int index, Endpoint endpoint, DatagramChannel channel, Target target) throws IOException {
            this.index = index;
            this.target = target;
            this.endpoint = endpoint;
            this.channel = channel;
            this.local = (InetSocketAddress) channel.getLocalAddress();
            endpoint.setListener(this);
        }

        /** Connected, and still: the server has not dropped the session since. */
        boolean held() {
            return accepted && server.state() == SessionState.OPEN;
        }

        void connect() {
            endpoint.connect(EndpointDiscriminator.forServerUri(target.uri()), List.of(target.address()), now(),
                    new ConnectListener() {
                        @Override
                        public void onOpen(Session s) {
                            server = s;
                            control = s.openFlow(TcMetadata.control().encode(), null, 5);
                            control.write(Command.connect(target.uri(), 0.0).toMessage().encode());
                        }

                        @Override
                        public void onFailure(CloseReason reason) {
                            finish(false);
                        }
                    });
        }

        void finish(boolean ok) {
            if (!done) {
                done = true;
                accepted = ok;
                if (ok) {
                    connected++;
                } else {
                    failed++;
                }
            }
        }

        @Override
        public void onFlow(ReceiveFlow flow) {
            if (flow.session() != server) {
                return;
            }
            flow.accept((f, message) -> {
                try {
                    TcMessage m = TcMessage.decode(message);
                    if (m.type() == TcMessage.COMMAND_AMF0 || m.type() == TcMessage.COMMAND_AMF3) {
                        Command c = Command.decode(m);
                        if (c.transactionId() == 1) {
                            finish(c.name().equals("_result"));
                        }
                    }
                } catch (RuntimeException e) {
                    finish(false);
                }
            });
        }

        @Override
        public void onSessionClosed(Session s, CloseReason reason) {
            if (s == server) {
                finish(false);
            }
        }

        void received(InetSocketAddress from, byte[] data) {
            if (awaiting != null && from.equals(awaiting)) {
                introLatency = now() - introStart;
                awaiting = null;
            }
            endpoint.receive(from, data, 0, data.length, now());
            flush();
        }

        void flush() {
            Datagram d;
            while ((d = endpoint.pollTransmit()) != null) {
                try {
                    channel.send(ByteBuffer.wrap(d.data()), d.destination());
                } catch (IOException e) {
                    // A full socket buffer loses the datagram, as the network may: RTMFP retransmits.
                }
            }
            schedule();
        }

        void schedule() {
            long deadline = endpoint.nextDeadline();
            if (deadline != Long.MAX_VALUE) {
                timers.add(new long[] {deadline, index});
            }
        }
    }

    private long now() {
        return (System.nanoTime() - origin) / 1000;
    }

    /**
     * Runs the whole benchmark: in this process, or spread over {@code p.drivers()} processes by
     * {@link ConnectDrivers}, with the same figures either way.
     */
    public static Result run(Params p) throws IOException {
        if (p.drivers() > 1) {
            return ConnectDrivers.run(p);
        }
        ServerMemory.Servers memory = ServerMemory.Servers.of(p.servers());
        Long rssBefore = memory.rss();
        Long heapBefore = memory.heapUsedAfterGc();
        try (ConnectLoad load = open(p.servers(), 0, p.clients())) {
            Long cpuBefore = memory.cpuMillis();
            Connected c = load.connectAll(p.concurrency(), p.timeout());
            Long cpuAfter = memory.cpuMillis();
            // Everyone connected: hold them (keepalives flow), then look at the servers.
            load.pumpFor(p.hold());
            int held = load.held();
            Long rssAfter = memory.rss();
            Long heapAfter = memory.heapUsedAfterGc();
            Introductions intro = load.introduce(p.introductions());
            return new Result(p, c.connected(), held, c.failed(), (c.endMillis() - c.startMillis()) / 1000.0,
                    memory.firstPid(), difference(cpuBefore, cpuAfter), rssBefore, rssAfter, heapBefore, heapAfter, intro.latencyMicros(), intro.failed());
        }
    }

    static Long difference(Long before, Long after) {
        return before == null || after == null ? null : after - before;
    }

    /** Connects every client, {@code concurrency} at a time, until all have an answer or the timeout passes. */
    public Connected connectAll(int concurrency, Duration timeout) {
        long startMillis = System.currentTimeMillis();
        long limit = System.nanoTime() + timeout.toNanos();
        int next = 0;
        while (connected + failed < clients.size() && System.nanoTime() < limit) {
            while (next < clients.size() && next - connected - failed < concurrency) {
                Client c = clients.get(next++);
                c.connect();
                c.flush();
            }
            pump(5);
        }
        long endMillis = System.currentTimeMillis();
        return new Connected(connected, clients.size() - connected, startMillis, endMillis);
    }

    /** Introductions between pairs of connected clients, one at a time, timed to the target's first packet. */
    public Introductions introduce(int count) {
        int[] failedCount = {0};
        // Only clients still connected: one the server has dropped cannot be introduced and would cost a timeout.
        List<Client> ready = clients.stream().filter(Client::held).toList();
        List<Long> out = new ArrayList<>();
        for (int i = 0; i + 1 < ready.size() && out.size() + failedCount[0] < count; i += 2) {
            Client from = ready.get(i);
            Client to = ready.get(i + 1);
            from.awaiting = to.local;
            from.introStart = now();
            from.introLatency = -1;
            from.endpoint.connect(EndpointDiscriminator.forPeer(Hex.decode(to.endpoint.identity().certificate().peerId())),
                    List.of(from.target.address()), now(), new ConnectListener() {
                        @Override
                        public void onOpen(Session s) {
                        }

                        @Override
                        public void onFailure(CloseReason reason) {
                        }
                    });
            from.flush();
            long until = System.nanoTime() + 5_000_000_000L;
            while (from.introLatency < 0 && System.nanoTime() < until) {
                pump(5);
            }
            if (from.introLatency < 0) {
                failedCount[0]++;
                from.awaiting = null;
            } else {
                out.add(from.introLatency);
            }
        }
        long[] sorted = out.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Introductions(sorted, failedCount[0]);
    }

    /** Clients whose session with the server is open: connected, and not dropped since. */
    public int held() {
        return (int) clients.stream().filter(Client::held).count();
    }

    /** Keeps every client alive (keepalives, acks) for a while. */
    public void pumpFor(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < until) {
            pump(20);
        }
    }

    /** One round: due timers, then whatever arrived within {@code maxWaitMillis}. */
    private void pump(long maxWaitMillis) {
        long t = now();
        while (!timers.isEmpty() && timers.peek()[0] <= t) {
            Client c = clients.get((int) timers.poll()[1]);
            if (c.endpoint.nextDeadline() <= t) {
                c.endpoint.onTimer(t);
                c.flush();
            }
        }
        long wait = timers.isEmpty() ? maxWaitMillis
                : Math.max(1, Math.min(maxWaitMillis, (timers.peek()[0] - now()) / 1000));
        try {
            selector.select(wait);
            for (SelectionKey key : selector.selectedKeys()) {
                Client c = (Client) key.attachment();
                while (true) {
                    buffer.clear();
                    InetSocketAddress from = (InetSocketAddress) c.channel.receive(buffer);
                    if (from == null) {
                        break;
                    }
                    buffer.flip();
                    byte[] data = new byte[buffer.remaining()];
                    buffer.get(data);
                    c.received(from, data);
                }
            }
            selector.selectedKeys().clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where client number {@code i} binds. Against a server on IPv4 loopback, clients spread over
     * 127.1.0.0/16 (all loopback on Linux) so that, like real clients, they come from many
     * addresses rather than all from one, which the server's per-address handshake rate would throttle.
     */
    private InetSocketAddress bindAddress(int i) {
        byte[] target = servers.get(0).address().getAddress().getAddress();
        if (target.length == 4 && target[0] == 127) {
            byte[] a = {127, 1, (byte) (1 + i / 254 % 254), (byte) (1 + i % 254)};
            try {
                return new InetSocketAddress(java.net.InetAddress.getByAddress(a), 0);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException("four bytes are always an address", e);
            }
        }
        return new InetSocketAddress(0);
    }

    /** Closes every client's session (a Close each, not waited for) and socket. */
    @Override
    public void close() throws IOException {
        for (Client c : clients) {
            if (c.server != null) {
                c.server.close(now());
                c.flush();
            }
            c.channel.close();
        }
        selector.close();
    }
}
