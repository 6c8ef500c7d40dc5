package io.rtmfp4j.core.session;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Flows reach the consumer registered for their metadata; what no route takes is refused. */
@ExtendWith(SimSeedExtension.class)
class FlowRouterTest {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 1935);
    static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 50000);
    static final long SECOND = 1_000_000;

    final SimNetwork net = new SimNetwork(SimNetwork.seedFromEnvironment(System.nanoTime()));
    final FlowRouter router = new FlowRouter();
    final List<String> seen = new ArrayList<>();
    final List<String> refused = new ArrayList<>();
    final Endpoint server;
    final Endpoint client;
    Session session;

    FlowRouterTest() {
        server = new Endpoint(EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(),
                List.of(DhGroup.GROUP_2), net.newSecureRandom())).build(), net.newSecureRandom(), null);
        server.setListener(router);
        client = new Endpoint(EndpointConfig.builder(PeerIdentity.newStatic(Optional.empty(),
                List.of(DhGroup.GROUP_2), net.newSecureRandom())).build(), net.newSecureRandom(), null);
        net.attach(SERVER, server);
        net.attach(CLIENT, client);
        SessionCatcher catcher = new SessionCatcher();
        client.connect(EndpointDiscriminator.forServerUri("rtmfp://10.0.0.1/app"), List.of(SERVER), net.now(), catcher);
        assertThat(net.runUntil(() -> catcher.session != null, 30 * SECOND)).isTrue();
        session = catcher.session;
    }

    private SendFlow open(String metadata) {
        SendFlow f = session.openFlow(metadata.getBytes(US_ASCII));
        f.setListener(new SendFlowListener() {
            @Override
            public void onException(SendFlow flow, long code) {
                refused.add(metadata);
            }
        });
        f.write(new byte[] {1});
        return f;
    }

    private FlowRouter.FlowConsumer recorder(String name) {
        return flow -> {
            seen.add(name + ":" + new String(flow.metadata(), US_ASCII));
            flow.accept((f, m) -> { });
        };
    }

    @Test
    void theLongestMatchingPrefixTakesTheFlowAndUnroutedFlowsAreRefused() {
        router.route("GR".getBytes(US_ASCII), recorder("group"));
        router.route("GR\u001c".getBytes(US_ASCII), recorder("report"));
        router.route("TC".getBytes(US_ASCII), recorder("tc"));
        open("GR\u001cx");
        open("GR\u0011");
        open("TC\u0004");
        open("XY");
        net.runFor(5 * SECOND);
        assertThat(seen).containsExactly("report:GR\u001cx", "group:GR\u0011", "tc:TC\u0004");
        assertThat(refused).containsExactly("XY");
    }

    @Test
    void aRouteCanBeLimitedToSomeSessionsAndRemoved() {
        FlowRouter.Registration none = router.route("TC".getBytes(US_ASCII), s -> false, recorder("nobody"));
        FlowRouter.Registration tc = router.route("TC".getBytes(US_ASCII), recorder("tc"));
        open("TC1");
        net.runFor(2 * SECOND);
        tc.remove();
        none.remove();
        open("TC2");
        net.runFor(5 * SECOND);
        assertThat(seen).containsExactly("tc:TC1");
        assertThat(refused).containsExactly("TC2");
    }

    @Test
    void answersToOneOfOurFlowsGoToWhoeverRegisteredForThemWhateverTheirMetadata() {
        router.route("TC".getBytes(US_ASCII), recorder("tc"));
        Session serverSide = server.sessions().iterator().next();
        SendFlow ours = serverSide.openFlow("ask".getBytes(US_ASCII));
        ours.write(new byte[] {1});
        FlowRouter.Registration r = router.routeReturns(ours, recorder("answer"));
        List<ReceiveFlow> atClient = new ArrayList<>();
        client.setListener(new EndpointListener() {
            @Override
            public void onFlow(ReceiveFlow flow) {
                atClient.add(flow);
                flow.accept((f, m) -> { });
            }
        });
        assertThat(net.runUntil(() -> !atClient.isEmpty(), 30 * SECOND)).isTrue();
        session.openFlow("TC answer".getBytes(US_ASCII), atClient.get(0), 3).write(new byte[] {2});
        net.runFor(2 * SECOND);
        r.remove();
        session.openFlow("TC later".getBytes(US_ASCII), atClient.get(0), 3).write(new byte[] {3});
        net.runFor(2 * SECOND);
        assertThat(seen).containsExactly("answer:TC answer", "tc:TC later");
    }

    @Test
    void watchersHearSessionEventsUntilRemoved() {
        List<String> events = new ArrayList<>();
        FlowRouter.Registration w = router.watch(new EndpointListener() {
            @Override
            public void onSessionClosed(Session s, CloseReason reason) {
                events.add("closed");
            }

            @Override
            public void onFlow(ReceiveFlow flow) {
                events.add("flow");
            }
        });
        open("nothing routes this");
        net.runFor(2 * SECOND);
        session.close(net.now());
        assertThat(net.runUntil(() -> !events.isEmpty(), 30 * SECOND)).isTrue();
        assertThat(events).containsExactly("closed");
        w.remove();
    }
}
