package io.rtmfp4j.flash.net;

import static io.rtmfp4j.flash.net.ScriptedServer.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.flash.tc.DataMessage;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Direct streams between two clients of a scripted server, which only introduces them. */
@ExtendWith(SimSeedExtension.class)
class NetStreamTest {
    final SimNetwork net = new SimNetwork(SimNetwork.seedFromEnvironment(System.nanoTime()));
    final ScriptedServer server = new ScriptedServer(net, new InetSocketAddress("10.0.0.1", 1935));
    final NetConnection alice = connected();
    final NetConnection bob = connected();

    static final class Recorder implements NetStreamHandler {
        final List<String> codes = new ArrayList<>();
        final List<TcMessage> messages = new ArrayList<>();

        @Override
        public void onStatus(NetStatus status) {
            codes.add(status.code());
        }

        @Override
        public void onMessage(TcMessage message) {
            messages.add(message);
        }
    }

    void run(BooleanSupplier until) {
        assertThat(net.runUntil(until, 60 * SECOND)).as("seed " + net.seed()).isTrue();
    }

    NetConnection connected() {
        NetConnection nc = NetConnection.on(server.host(), null, null);
        CompletableFuture<NetConnection> f = nc.connect("rtmfp://10.0.0.1/app");
        run(f::isDone);
        assertThat(f).isCompletedWithValue(nc);
        return nc;
    }

    @Test
    void audioAndVideoReachThePlayerWithTheirTimestamps() {
        NetStream out = NetStream.publisher(alice);
        out.publish("live");
        NetStream in = NetStream.player(bob, alice.nearId());
        Recorder r = new Recorder();
        in.setHandler(r);
        in.play("live");
        run(() -> r.codes.contains(Status.PLAY_START));
        out.sendAudio(40, new byte[] {(byte) 0xaf, 1, 2, 3});
        // A key frame: a player joining mid-stream starts at one.
        out.sendVideo(80, new byte[] {0x17, 1, 0, 0, 0, 9});
        run(() -> r.messages.stream().filter(m -> m.type() != TcMessage.DATA_AMF0).count() == 2);
        List<TcMessage> media = r.messages.stream().filter(m -> m.type() != TcMessage.DATA_AMF0).toList();
        assertThat(media).extracting(TcMessage::type).containsExactlyInAnyOrder(TcMessage.AUDIO, TcMessage.VIDEO);
        TcMessage audio = media.stream().filter(m -> m.type() == TcMessage.AUDIO).findFirst().orElseThrow();
        assertThat(audio.timestamp()).isEqualTo(40);
        assertThat(audio.payload()).containsExactly((byte) 0xaf, 1, 2, 3);
        // A handler with its own onMessage gets data messages too, whole: the sample access the publisher sent first.
        assertThat(r.messages).anyMatch(m -> m.type() == TcMessage.DATA_AMF0
                && DataMessage.decode(m).values().get(0).equals(NetStreamHandler.SAMPLE_ACCESS));
    }

    @Test
    void playingANameNobodyPublishesIsNotFound() {
        NetStream.publisher(alice).publish("live");
        NetStream in = NetStream.player(bob, alice.nearId());
        Recorder r = new Recorder();
        in.setHandler(r);
        in.play("other");
        run(() -> r.codes.contains(Status.PLAY_STREAM_NOT_FOUND));
    }

    @Test
    void aPublisherMayRefuseAPeer() {
        NetStream out = NetStream.publisher(alice);
        out.onPeerConnect(peer -> !peer.farId().equals(bob.nearId()));
        out.publish("live");
        NetStream in = NetStream.player(bob, alice.nearId());
        Recorder r = new Recorder();
        in.setHandler(r);
        in.play("live");
        run(() -> r.codes.contains(Status.STREAM_CONNECT_REJECTED));
        assertThat(out.peerStreams()).isEmpty();
    }

    @Test
    void heldMessagesWaitInTheFlowAndThePublisherStopsUntilTheyAreReleased() {
        NetStream out = NetStream.publisher(alice);
        out.publish("live");
        NetStream in = NetStream.player(bob, alice.nearId());
        List<String> codes = new ArrayList<>();
        List<Object> got = new ArrayList<>();
        in.setHandler(new NetStreamHandler() {
            @Override
            public void onStatus(NetStatus status) {
                codes.add(status.code());
            }

            @Override
            public void onData(String handler, List<Object> arguments) {
                got.add(arguments.get(0));
                if (got.size() == 1) {
                    in.holdMessages();
                }
            }
        });
        in.play("live");
        run(() -> codes.contains(Status.PLAY_START));
        // 1 MiB against the player's 64 KiB receive window.
        int count = 64;
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(out.send("n", (double) i, new byte[16 * 1024]));
        }
        long until = net.now() + 20 * SECOND;
        run(() -> net.now() >= until);

        assertThat(got).containsExactly(0.0);
        // What the window let through is acknowledged, held in the flow; the publisher waits with the rest.
        long acknowledged = sent.stream().filter(CompletableFuture::isDone).count();
        assertThat(acknowledged).isBetween(2L, (long) count / 4);
        assertThat(sent.get(count - 1)).isNotDone();

        in.releaseMessages();
        run(() -> got.size() == count && sent.stream().allMatch(CompletableFuture::isDone));
        for (int i = 0; i < count; i++) {
            assertThat(got.get(i)).isEqualTo((double) i);
        }
    }
}
