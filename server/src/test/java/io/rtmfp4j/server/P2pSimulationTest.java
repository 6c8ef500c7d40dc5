package io.rtmfp4j.server;

import io.rtmfp4j.runtime.sim.SimHost;
import static io.rtmfp4j.server.SimRendezvous.SECOND;
import static io.rtmfp4j.server.SimRendezvous.URL;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.sim.LinkConditions;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStatusException;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.net.PeerInfo;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import io.rtmfp4j.server.auth.AuthDecision;
import io.rtmfp4j.server.auth.Authenticator;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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

    /** The status a future failed with. */
    static NetStatus failure(CompletableFuture<?> f) {
        Throwable t = f.handle((ok, e) -> e).join();
        assertThat(t).isNotNull();
        return ((NetStatusException) (t instanceof java.util.concurrent.CompletionException ? t.getCause() : t)).status();
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
        run(() -> inEvents.data.size() == 50);

        assertThat(inEvents.codes).containsSubsequence(Status.STREAM_CONNECT_SUCCESS, Status.PLAY_RESET,
                Status.PLAY_START);
        assertThat(outEvents.codes).containsSubsequence(Status.PUBLISH_START, Status.STREAM_CONNECT_SUCCESS);
        assertThat(out.peerStreams().get(0).farId()).isEqualTo(bob.nearId());
        List<List<Object>> lines = inEvents.data;
        for (int i = 0; i < 50; i++) {
            assertThat(lines.get(i)).containsExactly("onLine", "line " + i, (double) i);
        }
    }

    @Test
    void aSubscriberGetsTheBytesAsTheyWereWhenSentToItAlone() {
        Pair p = playing("bulk");
        // Several fragments long, and overwritten at once: send() has encoded it already.
        byte[] chunk = new byte[5000];
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Arrays.fill(chunk, (byte) i);
            sent.add(chunk.clone());
            p.out().peerStreams().get(0).send("chunk", (double) i, chunk);
        }
        Arrays.fill(chunk, (byte) 9);
        run(() -> p.inEvents().data.size() == 3);

        for (int i = 0; i < 3; i++) {
            assertThat(p.inEvents().data.get(i).get(0)).isEqualTo("chunk");
            assertThat(p.inEvents().data.get(i).get(1)).isEqualTo((double) i);
            assertThat((byte[]) p.inEvents().data.get(i).get(2)).isEqualTo(sent.get(i));
        }
    }

    /** Alice publishes "chat", Bob plays it; returns once Bob hears Play.Start. */
    record Pair(NetConnection alice, NetConnection bob, NetStream out, NetStream in, Recorder outEvents,
            Recorder inEvents) {
    }

    Pair playing(String name) {
        NetConnection alice = connected(null);
        NetConnection bob = connected(null);
        NetStream out = NetStream.publisher(alice);
        Recorder outEvents = new Recorder();
        out.setHandler(outEvents);
        out.publish(name);
        NetStream in = NetStream.player(bob, alice.nearId());
        Recorder inEvents = new Recorder();
        in.setHandler(inEvents);
        in.play(name);
        run(() -> inEvents.codes.contains(Status.PLAY_START) && out.peerStreams().size() == 1);
        return new Pair(alice, bob, out, in, outEvents, inEvents);
    }

    @Test
    void aRefusedPeerIsToldSo() {
        NetConnection alice = connected(null);
        NetConnection bob = connected(null);
        NetStream out = NetStream.publisher(alice);
        List<String> asked = new ArrayList<>();
        out.onPeerConnect(peer -> {
            asked.add(peer.farId());
            return false;
        });
        out.publish("private");
        NetStream in = NetStream.player(bob, alice.nearId());
        Recorder inEvents = new Recorder();
        in.setHandler(inEvents);
        in.play("private");
        run(() -> inEvents.codes.contains(Status.STREAM_CONNECT_REJECTED));

        assertThat(asked).containsExactly(bob.nearId());
        assertThat(out.peerStreams()).isEmpty();
        assertThat(inEvents.codes).doesNotContain(Status.PLAY_START);
    }

    @Test
    void playingAStreamThatIsNotPublishedFailsWithStreamNotFound() {
        NetConnection alice = connected(null);
        NetConnection bob = connected(null);
        NetStream in = NetStream.player(bob, alice.nearId());
        Recorder inEvents = new Recorder();
        in.setHandler(inEvents);
        in.play("nothing");
        run(() -> inEvents.codes.contains(Status.PLAY_STREAM_NOT_FOUND));
    }

    @Test
    void closingTheServerConnectionClosesPeerStreamsOnBothSides() {
        Pair p = playing("chat");
        List<String> bobCodes = new ArrayList<>();
        p.bob().addStatusListener(s -> bobCodes.add(s.code()));

        p.bob().close();
        run(() -> p.outEvents().codes.contains(Status.STREAM_CONNECT_CLOSED));

        assertThat(bobCodes).containsExactly(Status.CONNECT_CLOSED);
        assertThat(p.inEvents().codes).endsWith(Status.STREAM_CONNECT_CLOSED);
        assertThat(p.outEvents().statuses.get(p.outEvents().statuses.size() - 1).info())
                .containsEntry("peerId", p.bob().nearId());
        assertThat(p.out().peerStreams()).isEmpty();
    }

    @Test
    void whenThePublisherStopsThePlayerSeesTheStreamClose() {
        Pair p = playing("chat");
        p.out().close();
        run(() -> p.inEvents().codes.contains(Status.STREAM_CONNECT_CLOSED));
        assertThat(p.outEvents().codes).contains(Status.UNPUBLISH_SUCCESS);
    }

    @Test
    void losingTheServerClosesTheConnectionAndItsPeerStreams() {
        Pair p = playing("chat");
        List<String> bobCodes = new ArrayList<>();
        p.bob().addStatusListener(s -> bobCodes.add(s.code()));
        InetSocketAddress bob = ((SimHost) p.bob().host()).address();
        net.setConditions(bob, SimRendezvous.SERVER, LinkConditions.PERFECT.withLoss(1.0));
        net.setConditions(SimRendezvous.SERVER, bob, LinkConditions.PERFECT.withLoss(1.0));

        assertThat(net.runUntil(() -> bobCodes.contains(Status.CONNECT_CLOSED), 600 * SECOND)).as("seed " + seed)
                .isTrue();
        run(() -> p.outEvents().codes.contains(Status.STREAM_CONNECT_CLOSED));
        assertThat(p.inEvents().codes).endsWith(Status.STREAM_CONNECT_CLOSED);
    }

    @Test
    void mediaOnACleanLinkArrivesMessageForMessage() {
        Pair p = playing("live");
        List<TcMessage> received = new ArrayList<>();
        p.in().setHandler(new NetStreamHandler() {
            @Override
            public void onMessage(TcMessage message) {
                received.add(message);
            }
        });
        List<TcMessage> sent = new ArrayList<>();
        Random random = new Random(seed);
        for (int i = 0; i < 200; i++) {
            boolean video = i % 2 == 0;
            byte[] body = new byte[video ? 1 + random.nextInt(3000) : 1 + random.nextInt(300)];
            random.nextBytes(body);
            body[0] = (byte) (video ? (i % 20 == 0 ? 0x17 : 0x27) : 0xaf);
            if (body.length > 1) {
                body[1] = 1;
            }
            TcMessage m = new TcMessage(video ? TcMessage.VIDEO : TcMessage.AUDIO, i * 20L, body);
            sent.add(m);
            p.out().write(m);
        }
        run(() -> received.size() == sent.size());

        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(received.stream().filter(m -> m.type() == TcMessage.VIDEO).toList())
                .isEqualTo(sent.stream().filter(m -> m.type() == TcMessage.VIDEO).toList());
    }

    @Test
    void liveVideoOverACongestedLinkDropsLateFramesInsteadOfFallingBehind() {
        Pair p = playing("live");
        InetSocketAddress alice = ((SimHost) p.alice().host()).address();
        InetSocketAddress bob = ((SimHost) p.bob().host()).address();
        // 300 kB/s of video into a 100 kB/s link.
        net.setConditions(alice, bob, LinkConditions.PERFECT.withBandwidth(100_000).withQueueLimit(64_000));
        long start = net.now();
        List<Long> lateness = new ArrayList<>();
        p.in().setHandler(new NetStreamHandler() {
            @Override
            public void onMessage(TcMessage message) {
                lateness.add(net.now() - (start + message.timestamp() * 1000));
            }
        });
        int frames = 300;
        for (int i = 0; i < frames; i++) {
            byte[] body = new byte[10_000];
            body[0] = (byte) (i % 30 == 0 ? 0x17 : 0x27);
            body[1] = 1;
            long ts = i * 33L;
            net.schedule(start + ts * 1000, () -> p.out().sendVideo(ts, body));
        }
        net.runFor(frames * 33_000L + 5 * SECOND);

        assertThat(lateness).as("frames received").isNotEmpty().hasSizeLessThan(frames);
        List<Long> lastSecond = lateness.subList(Math.max(0, lateness.size() - 30), lateness.size());
        assertThat(lastSecond).allSatisfy(late -> assertThat(late).isLessThan(2 * SECOND));
    }

    @Test
    void aRejectedConnectFailsWithTheServersReason() {
        SimNetwork net2 = new SimNetwork(seed);
        SimRendezvous strict = new SimRendezvous(net2, request -> AuthDecision.reject("members only"));
        NetConnection nc = strict.connection(null);
        List<NetStatus> heard = new ArrayList<>();
        nc.addStatusListener(heard::add);
        CompletableFuture<NetConnection> f = nc.connect(URL);
        assertThat(net2.runUntil(f::isDone, 30 * SECOND)).isTrue();

        assertThat(f).isCompletedExceptionally();
        NetStatus status = failure(f);
        assertThat(status.code()).isEqualTo(Status.CONNECT_REJECTED);
        assertThat(status.description()).isEqualTo("members only");
        assertThat(heard).extracting(NetStatus::code).containsExactly(Status.CONNECT_REJECTED);
        assertThat(nc.isConnected()).isFalse();
    }

    @Test
    void connectingToNothingFailsWithConnectFailed() {
        NetConnection nc = world.connection(null);
        CompletableFuture<NetConnection> f = nc.connect("rtmfp://10.9.9.9/live");
        assertThat(net.runUntil(f::isDone, 200 * SECOND)).as("seed " + seed).isTrue();

        NetStatus status = failure(f);
        assertThat(status.code()).isEqualTo(Status.CONNECT_FAILED);
    }

    @Test
    void callsBeforeConnectingFailAtOnce() {
        NetConnection nc = world.connection(null);
        CompletableFuture<Object> f = nc.call("anything");
        run(f::isDone);
        assertThat(f).isCompletedExceptionally();
    }

    @Test
    void peersFindEachOtherByNickname() {
        NetConnection alice = connected("Alice");
        NetConnection bob = connected("bob");

        CompletableFuture<PeerInfo> byName = bob.lookup("alice");
        CompletableFuture<PeerInfo> byId = alice.lookup(bob.nearId().toUpperCase(java.util.Locale.ROOT));
        CompletableFuture<PeerInfo> nobody = bob.lookup("carol");
        run(() -> byName.isDone() && byId.isDone() && nobody.isDone());

        assertThat(byName.join()).isEqualTo(new PeerInfo(alice.nearId(), java.util.Optional.of("Alice")));
        assertThat(byId.join()).isEqualTo(new PeerInfo(bob.nearId(), java.util.Optional.of("bob")));
        assertThat(failure(nobody).code()).isEqualTo(Status.LOOKUP_NOT_FOUND);
    }

    @Test
    void aTakenNicknameIsRejected() {
        connected("alice");
        NetConnection other = world.connection("ALICE");
        CompletableFuture<NetConnection> f = other.connect(URL);
        run(f::isDone);

        NetStatus status = failure(f);
        assertThat(status.code()).isEqualTo(Status.CONNECT_REJECTED);
        assertThat(status.description()).contains("taken");
    }
}
