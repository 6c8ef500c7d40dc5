package io.rtmfp4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtmfp4j.core.chunk.IHello;
import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PacketProtection;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.packet.Packet;
import io.rtmfp4j.core.packet.PacketMode;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.DropReason;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.runtime.UdpEndpoint;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The rendezvous server on real UDP sockets on loopback, with its admin listener. */
class RendezvousServerTest {
    /** A bound for a hung test on a loaded machine, not a timing. */
    static final Duration WAIT = Duration.ofSeconds(60);
    /** One client for every test: the JDK's HttpClient keeps a selector thread while it lives. */
    static final HttpClient HTTP = HttpClient.newHttpClient();

    RendezvousServer server;
    UdpEndpoint client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    void start(EndpointConfig.Builder endpoint) {
        server = RendezvousServer.start(ServerConfig.of(endpoint.build(), List.of(new InetSocketAddress("127.0.0.1", 0)))
                .withCryptoThreads(2)
                .withAdmin(new InetSocketAddress("127.0.0.1", 0)));
    }

    static EndpointConfig.Builder serverEndpoint() {
        return EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2),
                new SecureRandom()));
    }

    String url() {
        return "rtmfp://127.0.0.1:" + server.localAddresses().get(0).getPort() + "/live";
    }

    /** A client on 127.0.0.1 that connects and reports when connect succeeded. */
    FlashTestClient connectClient() {
        client = UdpEndpoint.bind(FlashTestClient.config(new SecureRandom()), new InetSocketAddress("127.0.0.1", 0));
        InetSocketAddress local = client.localAddresses().get(0);
        FlashTestClient c = client.call(ep -> new FlashTestClient(ep, local)).join();
        client.execute(ep -> c.connect(url(), server.localAddresses().get(0)));
        await().atMost(WAIT).until(() -> client.call(ep -> c.connected()).join());
        return c;
    }

    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.adminAddress().getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void statusAndMetricsDescribeAConnectedClient() throws Exception {
        start(serverEndpoint());
        FlashTestClient c = connectClient();

        JsonNode status = new ObjectMapper().readTree(get("/status"));
        assertThat(status.at("/server/peerId").asText()).isEqualTo(server.peerId());
        assertThat(status.at("/sessions").asInt()).isEqualTo(1);
        assertThat(status.at("/peers").asInt()).isEqualTo(1);
        assertThat(status.at("/connects/accepted").asLong()).isEqualTo(1);
        assertThat(status.at("/drops/malformed").isNumber()).isTrue();
        assertThat(c.peerId()).hasSize(64);

        String metrics = get("/metrics");
        assertThat(metrics).contains("rtmfp_clients_connected 1.0").contains("rtmfp_connects_accepted_total 1.0")
                .contains("rtmfp_drops_total{reason=\"rate_limited\"}").contains("jvm_memory_used_bytes");
    }

    @Test
    void statusAndMetricsCountClosingSessionsApartFromOpenOnes() throws Exception {
        start(serverEndpoint());
        connectClient();

        // The client closes: the server acknowledges and lingers, answering a lost Close Ack (RFC 7016 §3.5.5.1).
        client.execute(ep -> ep.sessions().forEach(s -> s.close(ep.now())));

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode status = new ObjectMapper().readTree(get("/status"));
            assertThat(status.at("/sessions").asInt()).isZero();
            assertThat(status.at("/closingSessions").asInt()).isEqualTo(1);
        });
        assertThat(get("/metrics")).contains("rtmfp_sessions_closing 1.0").contains("rtmfp_sessions 0.0");
    }

    @Test
    void statusAndMetricsShowTheReceiveBufferAndWhatTheKernelDropped() throws Exception {
        server = RendezvousServer.start(ServerConfig.of(serverEndpoint().build(),
                        List.of(new InetSocketAddress("127.0.0.1", 0)))
                .withAdmin(new InetSocketAddress("127.0.0.1", 0))
                .withReceiveBuffer(128 * 1024));

        JsonNode socket = new ObjectMapper().readTree(get("/status")).at("/socket");
        String metrics = get("/metrics");

        assertThat(socket.at("/receiveBufferBytes").asInt()).isEqualTo(server.receiveBufferBytes()).isPositive();
        assertThat(metrics).contains("rtmfp_socket_receive_buffer_bytes " + server.receiveBufferBytes() + ".0");
        boolean linux = java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/net/udp"))
                && server.transport().equals("epoll");
        assertThat(server.kernelDrops().isPresent()).isEqualTo(linux);
        if (linux) {
            // Linux: the kernel's count for this socket, nothing dropped on an idle server.
            assertThat(socket.at("/kernelDrops").asLong()).isZero();
            assertThat(metrics).contains("rtmfp_socket_kernel_drops_total 0.0");
        } else {
            assertThat(socket.has("kernelDrops")).isFalse();
            assertThat(metrics).doesNotContain("rtmfp_socket_kernel_drops");
        }
    }

    @Test
    void shutdownTellsConnectedClientsBeforeClosingTheirSessions() {
        start(serverEndpoint());
        FlashTestClient c = connectClient();

        server.close();

        // close() waited for the client to acknowledge the notice, so it has arrived by now.
        Command notice = client.call(ep -> c.last(Command.ON_STATUS)).join();
        assertThat(notice).isNotNull();
        assertThat(notice.arguments().get(0)).isEqualTo(
                Status.info("status", Status.CONNECT_CLOSED, "server shutting down"));
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(client.call(ep -> List.copyOf(c.closed)).join()).containsExactly(CloseReason.REMOTE_CLOSE));
    }

    @Test
    void aHandshakeFloodFromOneAddressIsHeldToItsRateWhileAnotherClientConnects() throws Exception {
        start(serverEndpoint().handshakeRate(50).handshakeBurst(100));
        InetSocketAddress target = server.localAddresses().get(0);
        byte[] hello = iHello(url());
        int sent = 20_000;
        long started = System.nanoTime();
        // 127.0.0.2 is loopback too (127/8), but a different source address from the legitimate client's.
        try (DatagramSocket flooder = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            for (int i = 0; i < sent; i++) {
                flooder.send(new DatagramPacket(hello, hello.length, target));
            }
            connectClient();
        }

        await().atMost(WAIT).untilAsserted(() ->
                assertThat(server.endpointStats().drops(DropReason.RATE_LIMITED)).isPositive());
        long answered = server.endpointStats().get(io.rtmfp4j.core.session.EndpointStats.Counter.DATAGRAMS_SENT);
        double seconds = (System.nanoTime() - started) / 1e9;
        // Each answered IHello costs one RHello; the flood got at most its burst plus its rate for the time it
        // lasted, however slow the machine; the legitimate client's session took a few more datagrams.
        assertThat(answered).isLessThanOrEqualTo(100 + (long) Math.ceil(50 * seconds) + 50);
        assertThat(server.stats().connectsAccepted()).isEqualTo(1);
    }

    static byte[] iHello(String url) {
        byte[] tag = new byte[16];
        ByteWriter w = new ByteWriter(256);
        new Packet(false, false, PacketMode.STARTUP, 0, Packet.NO_TIMESTAMP,
                List.of(new IHello(EndpointDiscriminator.forServerUri(url).encode(), tag))).encode(w);
        return PacketProtection.startup().seal(0, w.array(), 0, w.size());
    }
}
