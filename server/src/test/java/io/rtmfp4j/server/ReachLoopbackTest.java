package io.rtmfp4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.net.PeerPath;
import io.rtmfp4j.flash.net.RelayPolicy;
import io.rtmfp4j.flash.net.Transport;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.server.conncheck.ConnectivityCheckConfig;
import io.rtmfp4j.server.relay.RelaySettings;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay, the TCP tunnel and the connectivity check on real loopback sockets: a client that
 * can only use TCP reaches a UDP peer through the tunnel and the relay; a client whose UDP gets no
 * answer falls back to the tunnel on its own; the check reports what loopback lets through.
 */
class ReachLoopbackTest {
    static final long WAIT = 30;
    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    final List<AutoCloseable> open = new ArrayList<>();
    RendezvousServer server;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    String startServer(ReachConfig reach) {
        EndpointConfig config = EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(),
                List.of(DhGroup.GROUP_2), new SecureRandom())).build();
        server = RendezvousServer.start(ServerConfig.of(config, List.of(LOOPBACK)).withCryptoThreads(1), reach);
        return "rtmfp://127.0.0.1:" + server.localAddresses().get(0).getPort() + "/live";
    }

    NetConnection connect(String url, NetConnection.Builder builder) throws Exception {
        NetConnection nc = builder.build();
        open.add(nc);
        nc.connect(url).get(WAIT, TimeUnit.SECONDS);
        return nc;
    }

    /** Bob plays Alice's stream; returns the lines he got once he has all {@code n}. */
    List<Object> stream(NetConnection alice, NetConnection bob, int n) throws Exception {
        NetStream out = NetStream.publisher(alice);
        out.publish("s");
        List<Object> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        NetStream in = NetStream.player(bob, alice.nearId());
        in.setHandler(new NetStreamHandler() {
            @Override
            public void onStatus(NetStatus status) {
                if (status.code().equals(Status.PLAY_START)) {
                    started.complete(null);
                }
            }

            @Override
            public void onData(String handler, List<Object> arguments) {
                lines.add(arguments.get(0));
            }
        });
        in.play("s");
        started.get(WAIT, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(WAIT)).until(() -> out.peerStreams().size() == 1);
        for (int i = 0; i < n; i++) {
            out.send("line", (double) i);
        }
        await().atMost(Duration.ofSeconds(WAIT)).until(() -> lines.size() == n);
        return lines;
    }

    static PeerPath path(NetConnection from, NetConnection to) throws Exception {
        return from.peerPath(to.nearId()).get(WAIT, TimeUnit.SECONDS).orElseThrow();
    }

    @Test
    void aTcpClientReachesAUdpPeerThroughTheTunnelAndTheRelay() throws Exception {
        String url = startServer(ReachConfig.DEFAULTS.withTunnel(LOOPBACK));
        URI tunnel = URI.create("ws://127.0.0.1:" + server.tunnel().orElseThrow().address().getPort() + "/rtmfp");
        NetConnection alice = connect(url, NetConnection.builder().bind(LOOPBACK).transport(Transport.TCP)
                .tunnel(tunnel));
        NetConnection bob = connect(url, NetConnection.builder().bind(new InetSocketAddress("127.0.0.2", 0)));

        assertThat(stream(alice, bob, 30)).hasSize(30);

        assertThat(alice.transport().get(WAIT, TimeUnit.SECONDS)).isEqualTo(Transport.TCP);
        assertThat(bob.transport().get(WAIT, TimeUnit.SECONDS)).isEqualTo(Transport.UDP);
        assertThat(path(alice, bob).relayed()).isTrue();
        assertThat(path(bob, alice).relayed()).isTrue();
        assertThat(server.relayStats().made()).isEqualTo(1);
        assertThat(server.tunnel().orElseThrow().open()).isEqualTo(1);
        assertThat(server.tunnel().orElseThrow().datagramsIn()).isPositive();
    }

    @Test
    void aClientWhoseUdpGetsNoAnswerFallsBackToTheTunnel() throws Exception {
        startServer(ReachConfig.DEFAULTS.withTunnel(LOOPBACK));
        URI tunnel = URI.create("ws://127.0.0.1:" + server.tunnel().orElseThrow().address().getPort() + "/rtmfp");
        // A UDP port where nothing answers: the server is reachable only through its tunnel.
        int deadPort;
        try (DatagramSocket dead = new DatagramSocket(LOOPBACK)) {
            deadPort = dead.getLocalPort();
        }
        List<NetStatus> statuses = new CopyOnWriteArrayList<>();
        NetConnection alice = NetConnection.builder().bind(LOOPBACK).tunnel(tunnel).tcpAfter(Duration.ofSeconds(1))
                .build();
        open.add(alice);
        alice.addStatusListener(statuses::add);

        alice.connect("rtmfp://127.0.0.1:" + deadPort + "/live").get(WAIT, TimeUnit.SECONDS);

        assertThat(statuses).extracting(NetStatus::code)
                .containsSubsequence(Status.CONNECT_TCP_FALLBACK, Status.CONNECT_SUCCESS);
        assertThat(statuses.get(0).description()).contains("within 1.0 s").contains(tunnel.toString());
        assertThat(alice.transport().get(WAIT, TimeUnit.SECONDS)).isEqualTo(Transport.TCP);
    }

    @Test
    void aUdpOnlyClientDoesNotFallBack() throws Exception {
        startServer(ReachConfig.DEFAULTS.withTunnel(LOOPBACK));
        int deadPort;
        try (DatagramSocket dead = new DatagramSocket(LOOPBACK)) {
            deadPort = dead.getLocalPort();
        }
        NetConnection alice = NetConnection.builder().bind(LOOPBACK).transport(Transport.UDP)
                .openTimeout(Duration.ofSeconds(3)).build();
        open.add(alice);

        CompletableFuture<NetConnection> f = alice.connect("rtmfp://127.0.0.1:" + deadPort + "/live");

        assertThat(f).failsWithin(Duration.ofSeconds(WAIT));
        assertThat(server.tunnel().orElseThrow().opened()).isZero();
    }

    @Test
    void peersUnderRelayNeverStayApartWhenTheServerRelaysNothing() throws Exception {
        String url = startServer(ReachConfig.DEFAULTS.withRelay(RelaySettings.OFF));
        NetConnection alice = connect(url, NetConnection.builder().bind(LOOPBACK));
        NetConnection bob = connect(url, NetConnection.builder().bind(LOOPBACK).relay(RelayPolicy.ALWAYS)
                .openTimeout(Duration.ofSeconds(4)));
        NetStream.publisher(alice).publish("s");
        CompletableFuture<NetStatus> failed = new CompletableFuture<>();
        NetStream in = NetStream.player(bob, alice.nearId());
        in.setHandler(new NetStreamHandler() {
            @Override
            public void onStatus(NetStatus status) {
                if (status.code().equals(Status.STREAM_CONNECT_FAILED)) {
                    failed.complete(status);
                }
            }
        });
        in.play("s");

        assertThat(failed.get(WAIT, TimeUnit.SECONDS).code()).isEqualTo(Status.STREAM_CONNECT_FAILED);
        assertThat(server.relayStats().refusals(io.rtmfp4j.server.relay.RelayStats.Refusal.DISABLED)).isEqualTo(1);
    }

    @Test
    void theConnectivityCheckReportsWhatLoopbackLetsThrough() throws Exception {
        String url = startServer(ReachConfig.DEFAULTS.withConnectivityCheck(ConnectivityCheckConfig.of(0,
                new InetSocketAddress("127.0.0.2", 0), new InetSocketAddress("127.0.0.3", 0), null)));
        CompletableFuture<NetStatus> results = new CompletableFuture<>();
        NetConnection nc = NetConnection.builder().bind(LOOPBACK).build();
        open.add(nc);
        nc.addStatusListener(s -> {
            if (s.code().equals(Status.CONNECTIVITY_CHECK_RESULTS)) {
                results.complete(s);
            }
        });
        nc.connect(url).get(WAIT, TimeUnit.SECONDS);

        Map<String, Object> info = results.get(WAIT, TimeUnit.SECONDS).info();
        int port = nc.host().localAddresses().get(0).getPort();
        assertThat(info).containsEntry("publicAddress", "127.0.0.1:" + port)
                .containsEntry("publicAddressIsLocal", true)
                .containsEntry("publicPortMatchesLocalPort", true)
                .containsEntry("receiveSameAddressDifferentPortAllowed", true)
                .containsEntry("receiveDifferentAddressDifferentPortAllowed", true)
                .containsEntry("sendAfterIntroductionAllowed", true)
                .containsEntry("sendAfterIntroductionPreservesSourceAddress", true)
                .containsEntry("sendAfterIntroductionPreservesSourcePort", true);
        assertThat(nc.isConnected()).isTrue();
    }
}
