package io.rtmfp4j.server;

import static io.rtmfp4j.server.SimRendezvous.SECOND;
import static io.rtmfp4j.server.SimRendezvous.URL;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.sim.LinkConditions;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.flash.flv.FlvReader;
import io.rtmfp4j.flash.flv.FlvTag;
import io.rtmfp4j.flash.group.GroupSpecifier;
import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.media.FlvPublisher;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.net.NetStreamMulticastInfo;
import io.rtmfp4j.flash.tc.DataMessage;
import io.rtmfp4j.flash.tc.MediaFrames;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import io.rtmfp4j.server.auth.Authenticator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Multicast streams in a group of a few members through the rendezvous server, in simulation:
 * flash's {@code testsrc.flv} (two seconds of H.264 and AAC, 112 tags) published into the group
 * with {@link FlvPublisher} reaches every player tag for tag over lossy links, a player joining
 * mid-stream starts at a key frame behind the metadata and configurations, and the stream's end
 * and the group's events come through.
 */
@ExtendWith(SimSeedExtension.class)
class MulticastSimulationTest {
    static final String SPEC = new GroupSpecifier("multicast").setMulticastEnabled(true)
            .setServerChannelEnabled(true).groupspecWithAuthorizations();

    final SimNetwork net = new SimNetwork(SimNetwork.seedFromEnvironment(System.nanoTime()));
    final SimRendezvous world = new SimRendezvous(net, Authenticator.open());
    List<FlvTag> fileTags;
    byte[] file;

    @BeforeEach
    void setUp() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/io/rtmfp4j/flash/flv/testsrc.flv")) {
            file = in.readAllBytes();
        }
        fileTags = new ArrayList<>();
        try (FlvReader r = new FlvReader(new ByteArrayInputStream(file))) {
            for (var t = r.next(); t.isPresent(); t = r.next()) {
                fileTags.add(t.get());
            }
        }
        net.setDefaultConditions(LinkConditions.PERFECT.withDelay(25_000).withLoss(0.01));
    }

    /** A member with a NetStream in the group, and what it received. */
    final class Member implements NetStreamHandler {
        final NetConnection nc;
        final NetGroup group;
        final NetStream stream;
        final List<NetStatus> statuses = new ArrayList<>();
        final List<NetStatus> groupEvents = new ArrayList<>();
        final List<TcMessage> messages = new ArrayList<>();
        final List<Long> arrivals = new ArrayList<>();
        long playAt = -1;

        Member() {
            this(SPEC);
        }

        Member(String groupspec) {
            nc = world.connection(null);
            CompletableFuture<NetConnection> f = nc.connect(URL);
            run(f::isDone, 30 * SECOND);
            group = new NetGroup(nc, groupspec);
            group.addStatusListener(groupEvents::add);
            stream = NetStream.inGroup(nc, group);
            stream.setHandler(this);
        }

        void play() {
            playAt = net.now();
            stream.play("live");
        }

        @Override
        public void onStatus(NetStatus s) {
            statuses.add(s);
        }

        @Override
        public void onMessage(TcMessage m) {
            messages.add(m);
            arrivals.add(net.now());
        }

        boolean saw(String code) {
            return statuses.stream().anyMatch(s -> s.code().equals(code));
        }

        boolean groupSaw(String code) {
            return groupEvents.stream().anyMatch(s -> s.code().equals(code));
        }

        List<FlvTag> tags() {
            return messages.stream().map(m -> FlvTag.fromMessage(m).orElseThrow()).toList();
        }
    }

    void run(BooleanSupplier until, long limit) {
        assertThat(net.runUntil(until, limit)).as("seed " + net.seed()).isTrue();
    }

    List<Member> members(int n) {
        List<Member> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Member());
        }
        run(() -> out.stream().allMatch(m -> m.group.neighborCount() == n - 1), 60 * SECOND);
        return out;
    }

    FlvPublisher publish(Member publisher, boolean loop) {
        publisher.stream.publish("live");
        run(() -> publisher.saw(Status.PUBLISH_START), 5 * SECOND);
        FlvPublisher p = new FlvPublisher(publisher.nc, publisher.stream,
                () -> new FlvReader(new ByteArrayInputStream(file)), loop);
        p.start();
        return p;
    }

    @Test
    void everyPlayerGetsTheWholeStreamInOrderOverLossyLinks() {
        List<Member> all = members(5);
        Member publisher = all.get(0);
        List<Member> players = all.subList(1, 5);
        players.forEach(Member::play);
        FlvPublisher p = publish(publisher, false);
        run(() -> p.done().isDone(), 30 * SECOND);
        publisher.stream.close();
        run(() -> players.stream().allMatch(m -> m.saw(Status.PLAY_UNPUBLISH_NOTIFY)
                && m.groupSaw(Status.GROUP_MULTICAST_UNPUBLISH_NOTIFY)), 30 * SECOND);

        for (Member m : players) {
            assertThat(withoutRepeatedPreambles(m.tags())).as("tags at a player").containsExactlyElementsOf(fileTags);
            assertThat(m.saw(Status.PLAY_START)).isTrue();
            assertThat(m.saw(Status.PLAY_PUBLISH_NOTIFY)).isTrue();
            assertThat(m.groupSaw(Status.GROUP_MULTICAST_PUBLISH_NOTIFY)).isTrue();
            assertThat(m.groupSaw(Status.GROUP_MULTICAST_UNPUBLISH_NOTIFY)).isTrue();
            NetStreamMulticastInfo info = m.stream.multicastInfo();
            assertThat(info.fragmentsPushedFromPeers() + info.fragmentsRequestedFromPeers()).isPositive();
            assertThat(info.messagesDelivered()).isEqualTo(m.messages.size());
        }
        NetStreamMulticastInfo sent = publisher.stream.multicastInfo();
        assertThat(sent.fragmentsPushedToPeers()).isPositive();
        assertThat(publisher.groupSaw(Status.GROUP_MULTICAST_PUBLISH_NOTIFY)).as("not for its own stream").isFalse();
    }

    @Test
    void withAPublishPasswordMembersHoldingItRefuseAStreamPublishedWithout() {
        GroupSpecifier guarded = new GroupSpecifier("guarded").setMulticastEnabled(true).setServerChannelEnabled(true)
                .setPublishPassword("secret", "salt");
        Member publisher = new Member(guarded.groupspecWithAuthorizations());
        Member player = new Member(guarded.groupspecWithAuthorizations());
        Member forger = new Member(guarded.groupspecWithoutAuthorizations());
        List<Member> all = List.of(publisher, player, forger);
        run(() -> all.stream().allMatch(m -> m.group.neighborCount() == 2), 60 * SECOND);
        player.play();

        forger.stream.publish("live");
        run(() -> forger.saw(Status.PUBLISH_START), 5 * SECOND);
        assertThat(forger.statuses.stream().filter(s -> s.code().equals(Status.PUBLISH_START)).findFirst().orElseThrow()
                .description()).contains("without the group's publish password");
        for (int i = 0; i < 5; i++) {
            forger.stream.send("forged", i);
        }
        run(() -> player.group.info().unauthorizedStreams() > 0 && publisher.group.info().unauthorizedStreams() > 0,
                10 * SECOND);
        net.runFor(2 * SECOND);
        assertThat(player.messages).as("nothing of the forged stream").isEmpty();
        assertThat(player.saw(Status.PLAY_PUBLISH_NOTIFY)).isFalse();
        assertThat(player.groupSaw(Status.GROUP_MULTICAST_PUBLISH_NOTIFY)).isFalse();

        FlvPublisher p = publish(publisher, false);
        run(() -> p.done().isDone(), 30 * SECOND);
        publisher.stream.close();
        run(() -> player.saw(Status.PLAY_UNPUBLISH_NOTIFY), 30 * SECOND);
        assertThat(player.saw(Status.PLAY_PUBLISH_NOTIFY)).isTrue();
        assertThat(withoutRepeatedPreambles(player.tags())).as("the authorized stream, all of it and only it")
                .containsExactlyElementsOf(fileTags);
    }

    @Test
    void aPlayerJoiningMidStreamStartsAtARecentKeyFrameBehindItsConfiguration() {
        List<Member> all = members(4);
        Member publisher = all.get(0);
        all.get(1).play();
        all.get(2).play();
        FlvPublisher p = publish(publisher, true);
        net.runFor(7 * SECOND);
        Member late = all.get(3);
        late.play();
        run(() -> late.messages.stream().anyMatch(m -> m.type() == TcMessage.VIDEO), 10 * SECOND);
        net.runFor(3 * SECOND);
        p.stop();

        List<TcMessage> got = late.messages;
        TcMessage firstPicture = got.stream().filter(m -> m.type() == TcMessage.VIDEO
                && !MediaFrames.isSequenceHeader(m.type(), m.payload())).findFirst().orElseThrow();
        int at = got.indexOf(firstPicture);
        // The metadata and both configurations came before the first picture, which is a key frame.
        assertThat(MediaFrames.isKeyFrame(firstPicture.type(), firstPicture.payload())).isTrue();
        assertThat(got.subList(0, at)).anyMatch(DataMessage::isMetadata)
                .anyMatch(m -> m.type() == TcMessage.VIDEO && MediaFrames.isSequenceHeader(m.type(), m.payload()))
                .anyMatch(m -> m.type() == TcMessage.AUDIO && MediaFrames.isSequenceHeader(m.type(), m.payload()));
        // The first picture within two seconds of play.
        assertThat(late.arrivals.get(at) - late.playAt).as("first frame, µs").isLessThan(2 * SECOND);
        // From its start on, it got what an early player got, in the same order.
        List<TcMessage> early = all.get(1).messages;
        int from = early.indexOf(firstPicture);
        assertThat(from).isNotNegative();
        int count = got.size() - at;
        assertThat(early.subList(from, Math.min(early.size(), from + count)))
                .containsExactlyElementsOf(got.subList(at, at + Math.min(count, early.size() - from)));
    }

    @Test
    void dataSentOnTheStreamReachesPlayersAndAPlayerBeforeThePublisherWaitsForIt() {
        List<Member> all = members(3);
        all.get(1).play();
        all.get(2).play();
        net.runFor(2 * SECOND);
        Member publisher = all.get(0);
        publisher.stream.publish("live");
        run(() -> publisher.saw(Status.PUBLISH_START), 5 * SECOND);
        for (int i = 0; i < 20; i++) {
            publisher.stream.send("onChat", "line " + i);
            net.runFor(50_000);
        }
        net.runFor(5 * SECOND);
        run(() -> all.get(1).messages.size() == 20 && all.get(2).messages.size() == 20, 10 * SECOND);
        for (Member m : all.subList(1, 3)) {
            for (int i = 0; i < 20; i++) {
                assertThat(DataMessage.decode(m.messages.get(i)).values()).containsExactly("onChat", "line " + i);
            }
        }
    }

    /**
     * The tags without the metadata and decoder configurations a publisher repeats before key
     * frames for players that join later (the same bodies again).
     */
    static List<FlvTag> withoutRepeatedPreambles(List<FlvTag> tags) {
        List<FlvTag> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (FlvTag t : tags) {
            boolean preamble = t.type() == FlvTag.SCRIPT_DATA || MediaFrames.isSequenceHeader(t.type(), t.body());
            String body = t.type() + java.util.HexFormat.of().formatHex(t.body());
            if (preamble && seen.contains(body)) {
                continue;
            }
            if (preamble) {
                seen.add(body);
            }
            out.add(t);
        }
        return out;
    }
}
