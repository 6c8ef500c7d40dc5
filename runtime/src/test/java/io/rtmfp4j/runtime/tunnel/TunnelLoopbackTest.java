package io.rtmfp4j.runtime.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.runtime.RawUdpSocket;
import io.rtmfp4j.runtime.UdpEndpoint;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The TCP tunnel on loopback: a session opens through it, and the server sees a tunnel address. */
class TunnelLoopbackTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void aSessionOpensThroughTheTunnelAndTheServerSeesATunnelAddress() throws Exception {
        EndpointConfig serverConfig = EndpointConfig.builder(
                PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2), RANDOM)).build();
        EndpointConfig clientConfig = EndpointConfig.builder(PeerIdentity.newFlashClient(RANDOM))
                .acceptSessions(false).openTimeout(Duration.ofSeconds(60)).build();
        try (UdpEndpoint server = UdpEndpoint.bind(serverConfig, List.of(LOOPBACK), 1);
             UdpEndpoint client = UdpEndpoint.bind(clientConfig, List.of(LOOPBACK), 1)) {
            int udpPort = server.localAddresses().get(0).getPort();
            LinkedBlockingQueue<Integer> ports = new LinkedBlockingQueue<>();
            TunnelServer tunnels = TunnelServer.start(server, LOOPBACK, (port, from, data, off, len) -> {
                ports.add(port);
                server.deliver(from, data, off, len);
            });
            server.setTunnel(tunnels);
            LinkedBlockingQueue<InetSocketAddress> opened = new LinkedBlockingQueue<>();
            server.setListener(new EndpointListener() {
                @Override
                public void onSessionOpen(Session session) {
                    opened.add(session.destination());
                }
            });
            try (tunnels) {
                URI uri = URI.create("ws://127.0.0.1:" + tunnels.address().getPort() + "/rtmfp");
                TunnelClient tunnel = TunnelClient.open(client, uri, InetAddress.getByName("127.0.0.1"))
                        .get(20, TimeUnit.SECONDS);

                Session session = client.connect(EndpointDiscriminator.forServerUri("rtmfp://127.0.0.1/app"),
                        server.localAddresses()).get(60, TimeUnit.SECONDS);

                InetSocketAddress seen = opened.poll(20, TimeUnit.SECONDS);
                assertThat(TunnelAddresses.isTunnel(seen)).as("server saw %s", seen).isTrue();
                assertThat(session.destination()).isEqualTo(server.localAddresses().get(0));
                assertThat(ports).contains(udpPort);
                assertThat(tunnel.datagramsOut()).isPositive();
                assertThat(tunnel.datagramsIn()).isPositive();
                assertThat(tunnels.open()).isEqualTo(1);

                tunnel.close();
                tunnel.closed().get(20, TimeUnit.SECONDS);
                org.awaitility.Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> tunnels.open() == 0);
            }
        }
    }

    @Test
    void aNewTunnelDoesNotTakeTheAddressOfOneJustClosed() throws Exception {
        EndpointConfig serverConfig = EndpointConfig.builder(
                PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2), RANDOM)).build();
        EndpointConfig clientConfig = EndpointConfig.builder(PeerIdentity.newFlashClient(RANDOM))
                .acceptSessions(false).openTimeout(Duration.ofSeconds(60)).build();
        LinkedBlockingQueue<InetSocketAddress> from = new LinkedBlockingQueue<>();
        try (UdpEndpoint server = UdpEndpoint.bind(serverConfig, List.of(LOOPBACK), 1);
             TunnelServer tunnels = TunnelServer.start(server, LOOPBACK, (port, f, data, off, len) -> from.add(f))) {
            URI uri = URI.create("ws://127.0.0.1:" + tunnels.address().getPort() + "/rtmfp");
            InetSocketAddress first;
            try (UdpEndpoint client = UdpEndpoint.bind(clientConfig, List.of(LOOPBACK), 1)) {
                TunnelClient tunnel = TunnelClient.open(client, uri, InetAddress.getByName("127.0.0.1"))
                        .get(20, TimeUnit.SECONDS);
                // An IHello that nobody answers: it only shows the address the server gives the tunnel.
                client.connect(EndpointDiscriminator.forServerUri("rtmfp://127.0.0.1/app"), server.localAddresses());
                first = from.poll(20, TimeUnit.SECONDS);
                tunnel.close();
                tunnel.closed().get(20, TimeUnit.SECONDS);
            }
            org.awaitility.Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> tunnels.open() == 0);
            from.clear();
            try (UdpEndpoint client = UdpEndpoint.bind(clientConfig, List.of(LOOPBACK), 1)) {
                TunnelClient.open(client, uri, InetAddress.getByName("127.0.0.1")).get(20, TimeUnit.SECONDS);
                client.connect(EndpointDiscriminator.forServerUri("rtmfp://127.0.0.1/app"), server.localAddresses());
                InetSocketAddress second = from.poll(20, TimeUnit.SECONDS);

                assertThat(TunnelAddresses.isTunnel(first)).as("first: %s", first).isTrue();
                assertThat(TunnelAddresses.isTunnel(second)).as("second: %s", second).isTrue();
                assertThat(second).isNotEqualTo(first);
            }
        }
    }

    @Test
    void aStrayWebSocketClientIsTurnedAway() throws Exception {
        EndpointConfig config = EndpointConfig.builder(
                PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2), RANDOM)).build();
        try (UdpEndpoint server = UdpEndpoint.bind(config, List.of(LOOPBACK), 1);
             TunnelServer tunnels = TunnelServer.start(server, LOOPBACK, (port, from, data, off, len) -> { });
             java.net.Socket http = new java.net.Socket("127.0.0.1", tunnels.address().getPort())) {
            http.getOutputStream().write(("GET /rtmfp HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: chat\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            http.setSoTimeout(20_000);
            java.io.InputStream in = http.getInputStream();
            // No common subprotocol: the server closes the connection, and no tunnel ever opened.
            while (in.read() >= 0) {
                continue;
            }
            assertThat(tunnels.opened()).isZero();
            assertThat(tunnels.open()).isZero();
        }
    }

    @Test
    void aRawSocketOnTheEndpointsLoopReceivesAndSends() throws Exception {
        EndpointConfig config = EndpointConfig.builder(PeerIdentity.newFlashClient(RANDOM)).build();
        try (UdpEndpoint endpoint = UdpEndpoint.bind(config, List.of(LOOPBACK), 0);
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            CompletableFuture<Thread> receivedOn = new CompletableFuture<>();
            RawUdpSocket raw = endpoint.bindRaw(LOOPBACK, (socket, from, data, off, len) -> {
                receivedOn.complete(Thread.currentThread());
                byte[] reply = new byte[len];
                for (int i = 0; i < len; i++) {
                    reply[i] = (byte) (data[off + i] + 1);
                }
                socket.write(from, reply, 0, len);
                socket.flush();
            }).get(20, TimeUnit.SECONDS);
            peer.setSoTimeout(20_000);

            peer.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, raw.localAddress()));
            DatagramPacket back = new DatagramPacket(new byte[10], 10);
            peer.receive(back);

            assertThat(back.getLength()).isEqualTo(3);
            assertThat(new byte[] {back.getData()[0], back.getData()[1], back.getData()[2]}).containsExactly(2, 3, 4);
            Thread loop = endpoint.call(e -> Thread.currentThread()).get(20, TimeUnit.SECONDS);
            assertThat(receivedOn.get(20, TimeUnit.SECONDS)).isSameAs(loop);
            raw.close();
        }
    }
}
