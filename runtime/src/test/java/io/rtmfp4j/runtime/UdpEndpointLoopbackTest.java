package io.rtmfp4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.Session;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The runtime on real loopback sockets: IPv4 and IPv6, DH on the worker pool, timers, shutdown. */
class UdpEndpointLoopbackTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * A bound for a hung test, not a timing: handshakes, loop tasks and transfers may take long on
     * a loaded machine, and only a test of a timeout gives that timeout a short deadline.
     */
    private static final long WAIT_SECONDS = 60;

    private static EndpointConfig serverConfig() {
        return EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2), RANDOM)).build();
    }

    private static EndpointConfig clientConfig() {
        return clientConfig(Duration.ofSeconds(WAIT_SECONDS));
    }

    private static EndpointConfig clientConfig(Duration openTimeout) {
        return EndpointConfig.builder(PeerIdentity.newFlashClient(RANDOM)).acceptSessions(false)
                .openTimeout(openTimeout).build();
    }

    @Test
    void clientOpensSessionPingsAndClosesOverIpv4() throws Exception {
        LinkedBlockingQueue<CloseReason> serverClosed = new LinkedBlockingQueue<>();
        try (UdpEndpoint server = UdpEndpoint.bind(serverConfig(), new InetSocketAddress("127.0.0.1", 0));
             UdpEndpoint client = UdpEndpoint.bind(clientConfig(), new InetSocketAddress("127.0.0.1", 0))) {
            server.setListener(new EndpointListener() {
                @Override
                public void onSessionClosed(Session session, CloseReason reason) {
                    serverClosed.add(reason);
                }
            });
            CompletableFuture<Long> rtt = new CompletableFuture<>();
            client.setListener(new EndpointListener() {
                @Override
                public void onPingReply(Session session, long rttMicros) {
                    rtt.complete(rttMicros);
                }
            });
            InetSocketAddress serverAddress = server.localAddresses().get(0);

            Session session = client.connect(EndpointDiscriminator.forServerUri("rtmfp://127.0.0.1/app"),
                    List.of(serverAddress)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            client.execute(e -> session.ping(client.now()));

            assertThat(rtt.get(WAIT_SECONDS, TimeUnit.SECONDS)).isPositive();
            String serverPeerId = server.call(e -> e.identity().certificate().peerId()).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(session.farPeerId()).contains(serverPeerId);
            client.call(e -> {
                session.close(client.now());
                return null;
            }).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(serverClosed.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(CloseReason.REMOTE_CLOSE);
        }
    }

    @Test
    void anOversizedDatagramIsDroppedAsTooLargeNotTruncated() throws Exception {
        try (UdpEndpoint server = UdpEndpoint.bind(serverConfig(), new InetSocketAddress("127.0.0.1", 0));
             java.net.DatagramSocket sender = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            byte[] big = new byte[9000];
            sender.send(new java.net.DatagramPacket(big, big.length, server.localAddresses().get(0)));

            org.awaitility.Awaitility.await().atMost(WAIT_SECONDS, TimeUnit.SECONDS).until(() ->
                    server.call(e -> e.stats().drops(io.rtmfp4j.core.session.DropReason.BAD_SIZE)).join() == 1);
            assertThat(server.call(e -> e.stats().totalDrops()).join()).isEqualTo(1);
        }
    }

    @Test
    void endpointsSharingOneLoopThreadTalkToEachOtherAndCloseOneByOne() throws Exception {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        try (EventLoops loops = EventLoops.create(1)) {
            UdpEndpoint server = UdpEndpoint.bind(serverConfig(), List.of(any), 0, loops);
            UdpEndpoint first = UdpEndpoint.bind(clientConfig(), List.of(any), 0, loops);
            UdpEndpoint second = UdpEndpoint.bind(clientConfig(), List.of(any), 0, loops);
            try {
                Thread serverThread = server.call(e -> Thread.currentThread()).get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(first.call(e -> Thread.currentThread()).get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(serverThread);
                EndpointDiscriminator epd = EndpointDiscriminator.forServerUri("rtmfp://127.0.0.1/app");

                Session a = first.connect(epd, server.localAddresses()).get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(a.security()).isPresent();
                first.close();
                // The shared thread outlives the endpoint closed on it: the others go on.
                Session b = second.connect(epd, server.localAddresses()).get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(b.farPeerId()).isEqualTo(a.farPeerId());
                assertThat(server.call(e -> e.sessions().size()).get(WAIT_SECONDS, TimeUnit.SECONDS)).isPositive();
            } finally {
                first.close();
                second.close();
                server.close();
            }
        }
        assertThatThrownBy(() -> EventLoops.create(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void worksOverIpv6Loopback() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (UdpEndpoint server = UdpEndpoint.bind(serverConfig(), new InetSocketAddress(v6, 0));
             UdpEndpoint client = UdpEndpoint.bind(clientConfig(), new InetSocketAddress(v6, 0))) {
            Session session = client.connect(EndpointDiscriminator.forServerUri("rtmfp://[::1]/app"),
                    server.localAddresses()).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(session.destination().getAddress()).isEqualTo(v6);
        }
    }

    @Test
    void withoutCryptoThreadsTheLoopDoesTheDiffieHellmanWork() throws Exception {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        try (UdpEndpoint server = UdpEndpoint.bind(serverConfig(), List.of(any), 0);
             UdpEndpoint client = UdpEndpoint.bind(clientConfig(), List.of(any), 0)) {
            for (int i = 0; i < 3; i++) {
                Session session = client.connect(EndpointDiscriminator.forServerUri("rtmfp://127.0.0.1/app"),
                        server.localAddresses()).get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(session.security()).isPresent();
                client.call(e -> {
                    session.close(client.now());
                    return null;
                }).get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        }
        assertThatThrownBy(() -> UdpEndpoint.bind(clientConfig(), List.of(any), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectToSilentPortFailsWithOpenTimeout() throws Exception {
        try (UdpEndpoint silent = UdpEndpoint.bind(clientConfig(), new InetSocketAddress("127.0.0.1", 0));
             UdpEndpoint client = UdpEndpoint.bind(clientConfig(Duration.ofSeconds(1)),
                     new InetSocketAddress("127.0.0.1", 0))) {
            // A pure client (acceptSessions false) never answers IHellos.
            CompletableFuture<Session> f = client.connect(EndpointDiscriminator.forServerUri("rtmfp://127.0.0.1/app"),
                    silent.localAddresses());
            assertThatThrownBy(() -> f.get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SessionFailedException.class)
                    .extracting(c -> ((SessionFailedException) c).reason()).isEqualTo(CloseReason.OPEN_TIMEOUT);
        }
    }

    @Test
    void aFlowCarriesFourMegabytesIntactOverRealSockets() throws Exception {
        byte[] data = new byte[4 << 20];
        RANDOM.nextBytes(data);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        CompletableFuture<byte[]> complete = new CompletableFuture<>();
        try (UdpEndpoint server = UdpEndpoint.bind(serverConfig(), new InetSocketAddress("127.0.0.1", 0));
             UdpEndpoint client = UdpEndpoint.bind(clientConfig(), new InetSocketAddress("127.0.0.1", 0))) {
            server.setListener(new EndpointListener() {
                @Override
                public void onFlow(ReceiveFlow flow) {
                    flow.accept(new ReceiveFlowHandler() {
                        @Override
                        public void onMessage(ReceiveFlow f, byte[] message) {
                            got.writeBytes(message);
                        }

                        @Override
                        public void onComplete(ReceiveFlow f) {
                            complete.complete(got.toByteArray());
                        }
                    });
                }
            });
            Session session = client.connect(EndpointDiscriminator.forServerUri("rtmfp://127.0.0.1/app"),
                    server.localAddresses()).get(WAIT_SECONDS, TimeUnit.SECONDS);
            client.execute(e -> {
                SendFlow flow = session.openFlow("bulk".getBytes());
                for (int off = 0; off < data.length; off += 100_000) {
                    flow.write(data, off, Math.min(100_000, data.length - off),
                            io.rtmfp4j.core.session.WriteOptions.RELIABLE);
                }
                flow.close();
            });
            assertThat(complete.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(data);
        }
    }

    @Test
    void closingTheEndpointLingersUntilAnOrderlyCloseLostOnTheWayIsHeard() throws Exception {
        LinkedBlockingQueue<CloseReason> serverClosed = new LinkedBlockingQueue<>();
        try (UdpEndpoint server = UdpEndpoint.bind(serverConfig(), new InetSocketAddress("127.0.0.1", 0));
             UdpEndpoint client = UdpEndpoint.bind(clientConfig(), new InetSocketAddress("127.0.0.1", 0));
             LossyForwarder path = new LossyForwarder(server.localAddresses().get(0))) {
            server.setListener(new EndpointListener() {
                @Override
                public void onSessionClosed(Session session, CloseReason reason) {
                    serverClosed.add(reason);
                }
            });
            Session session = client.connect(EndpointDiscriminator.forServerUri("rtmfp://127.0.0.1/app"),
                    List.of(path.address())).get(WAIT_SECONDS, TimeUnit.SECONDS);
            // A session in use has measured its round trip: its retransmission timeout is short (RFC 7016 §3.5.2.2).
            CompletableFuture<Long> rtt = new CompletableFuture<>();
            client.setListener(new EndpointListener() {
                @Override
                public void onPingReply(Session s, long rttMicros) {
                    rtt.complete(rttMicros);
                }
            });
            client.execute(e -> session.ping(client.now()));
            rtt.get(WAIT_SECONDS, TimeUnit.SECONDS);

            path.dropFromClient(2);
            client.call(e -> {
                session.close(client.now());
                return null;
            }).get(WAIT_SECONDS, TimeUnit.SECONDS);
            client.close();

            // The Close and, without the linger, the abrupt close's Close Ack are lost: the server would
            // hear of it only at its keepalive and retransmit limit (135 s). The linger repeats the Close.
            assertThat(path.dropped()).isEqualTo(2);
            assertThat(serverClosed.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(CloseReason.REMOTE_CLOSE);
        }
    }

    /** A UDP path to one server that can lose the next datagrams of its client: a full receive buffer, say. */
    private static final class LossyForwarder implements AutoCloseable {
        private final java.net.DatagramSocket socket = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        private final InetSocketAddress server;
        private final java.util.concurrent.atomic.AtomicInteger toDrop = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger dropped = new java.util.concurrent.atomic.AtomicInteger();
        private final Thread thread;
        private volatile InetSocketAddress client;

        LossyForwarder(InetSocketAddress server) throws java.net.SocketException {
            this.server = server;
            thread = new Thread(this::run, "lossy-forwarder");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        void dropFromClient(int datagrams) {
            toDrop.set(datagrams);
        }

        int dropped() {
            return dropped.get();
        }

        private void run() {
            byte[] buffer = new byte[2048];
            try {
                while (true) {
                    java.net.DatagramPacket p = new java.net.DatagramPacket(buffer, buffer.length);
                    socket.receive(p);
                    InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
                    if (from.equals(server)) {
                        if (client != null) {
                            socket.send(new java.net.DatagramPacket(p.getData(), p.getLength(), client));
                        }
                    } else {
                        client = from;
                        if (toDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                            dropped.incrementAndGet();
                        } else {
                            socket.send(new java.net.DatagramPacket(p.getData(), p.getLength(), server));
                        }
                    }
                }
            } catch (java.io.IOException closed) {
                // The test is over.
            }
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
    }
}
