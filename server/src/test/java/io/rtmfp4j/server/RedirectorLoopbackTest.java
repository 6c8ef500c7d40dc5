package io.rtmfp4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.server.redirect.RedirectorRegistration;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Load balancing on loopback: servers register with a redirector over rtmfp-cpp's protocol (with a
 * password), report their load, and clients connecting to the redirector's address end up on the
 * least-loaded server. A server with the wrong password is never redirected to.
 */
class RedirectorLoopbackTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final byte[] KEY = "node".getBytes(StandardCharsets.UTF_8);
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    RendezvousServer server(RedirectorServer redirector, String password) {
        EndpointConfig config = EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2),
                new SecureRandom())).build();
        RendezvousServer s = RendezvousServer.start(ServerConfig.of(config, List.of(new InetSocketAddress("127.0.0.1", 0)))
                .withCryptoThreads(1).withRedirectors(List.of(new RedirectorRegistration.Target("redirector",
                        redirector.localAddresses(), List.of(), KEY, password.getBytes(StandardCharsets.UTF_8)))));
        open.add(s);
        return s;
    }

    NetConnection connect(String url) throws Exception {
        NetConnection nc = NetConnection.builder().bind(new InetSocketAddress("127.0.0.1", 0)).build();
        open.add(nc);
        nc.connect(url).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return nc;
    }

    static String url(List<InetSocketAddress> addresses) {
        return "rtmfp://127.0.0.1:" + addresses.get(0).getPort() + "/live";
    }

    @Test
    void clientsGoToTheLeastLoadedRegisteredServer() throws Exception {
        RedirectorServer redirector = RedirectorServer.start("redirector", List.of(new InetSocketAddress("127.0.0.1", 0)),
                new Redirector.Settings(1, Map.of("node", "right".getBytes(StandardCharsets.UTF_8))), null);
        open.add(redirector);
        RendezvousServer busy = server(redirector, "right");
        RendezvousServer idle = server(redirector, "right");
        RendezvousServer impostor = server(redirector, "wrong");
        for (int i = 0; i < 3; i++) {
            connect(url(busy.localAddresses()));
        }
        // The redirector has heard both loads: 3 sessions on one, none on the other.
        await().atMost(WAIT).until(() -> redirector.registered().join().stream()
                .filter(r -> r.active() && r.load() == (r.peerId().equals(busy.peerId()) ? 3 : 0)).count() == 2);
        assertThat(redirector.registered().join()).extracting(Redirector.Registered::peerId)
                .containsExactlyInAnyOrder(busy.peerId(), idle.peerId())
                .doesNotContain(impostor.peerId());
        assertThat(redirector.registered().join()).allSatisfy(r -> assertThat(r.addresses())
                .containsAnyElementsOf(List.of(busy.localAddresses().get(0), idle.localAddresses().get(0))));

        NetConnection balanced = connect(url(redirector.localAddresses()));

        assertThat(balanced.farId()).contains(idle.peerId());
        assertThat(idle.stats().connectedClients()).isEqualTo(1);
        assertThat(redirector.stats().redirects()).isPositive();
        assertThat(impostor.stats().connectedClients()).isZero();
    }
}
