package io.rtmfp4j.server;

import static io.rtmfp4j.server.SimRendezvous.SECOND;
import static io.rtmfp4j.server.SimRendezvous.URL;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.server.auth.Authenticator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Flash client API (NetConnection, direct NetStreams) against the rendezvous server, in simulation. */
@ExtendWith(SimSeedExtension.class)
class P2pSimulationTest {
    final long seed = SimNetwork.seedFromEnvironment(System.nanoTime());
    final SimNetwork net = new SimNetwork(seed);
    final SimRendezvous world = new SimRendezvous(net, Authenticator.open());

    /** Records what a stream reports. */
    static final class Recorder implements NetStreamHandler {
        final List<String> codes = new ArrayList<>();
        final List<NetStatus> statuses = new ArrayList<>();
        final List<List<Object>> data = new ArrayList<>();

        @Override
        public void onStatus(NetStatus status) {
            codes.add(status.code());
            statuses.add(status);
        }

        @Override
        public void onData(String handler, List<Object> arguments) {
            List<Object> entry = new ArrayList<>();
            entry.add(handler);
            entry.addAll(arguments);
            data.add(entry);
        }
    }

    void run(BooleanSupplier until) {
        assertThat(net.runUntil(until, 30 * SECOND)).as("seed " + seed).isTrue();
    }

    NetConnection connected(String nickname) {
        NetConnection nc = world.connection(nickname);
        CompletableFuture<NetConnection> f = nc.connect(URL);
        run(f::isDone);
        assertThat(f).isCompletedWithValue(nc);
        return nc;
    }

    @Test
    void connectReportsSuccessAndTheServersId() {
        NetConnection nc = world.connection(null);
        List<String> codes = new ArrayList<>();
        nc.addStatusListener(s -> codes.add(s.code()));
        CompletableFuture<NetConnection> f = nc.connect(URL);
        run(f::isDone);

        assertThat(f).isCompleted();
        assertThat(codes).containsExactly(Status.CONNECT_SUCCESS);
        assertThat(nc.farId()).isPresent();
        assertThat(nc.nearId()).hasSize(64);
    }

    @Test
    void aPlayerReceivesThePublishersDataInOrder() {
        NetConnection alice = connected(null);
        NetConnection bob = connected(null);
        NetStream out = NetStream.publisher(alice);
        Recorder outEvents = new Recorder();
        out.setHandler(outEvents);
        out.publish("chat");
        NetStream in = NetStream.player(bob, alice.nearId());
        Recorder inEvents = new Recorder();
        in.setHandler(inEvents);
        in.play("chat");
        run(() -> inEvents.codes.contains(Status.PLAY_START) && out.peerStreams().size() == 1);

        for (int i = 0; i < 50; i++) {
            out.send("onLine", "line " + i, (double) i);
        }
        run(() -> inEvents.data.size() == 51);

        assertThat(inEvents.codes).containsSubsequence(Status.STREAM_CONNECT_SUCCESS, Status.PLAY_RESET,
                Status.PLAY_START);
        assertThat(outEvents.codes).containsSubsequence(Status.PUBLISH_START, Status.STREAM_CONNECT_SUCCESS);
        assertThat(out.peerStreams().get(0).farId()).isEqualTo(bob.nearId());
        List<List<Object>> lines = inEvents.data.subList(1, 51);
        for (int i = 0; i < 50; i++) {
            assertThat(lines.get(i)).containsExactly("onLine", "line " + i, (double) i);
        }
    }
}
