package io.rtmfp4j.server;

import io.rtmfp4j.runtime.sim.SimHost;
import static io.rtmfp4j.server.SimRendezvous.SECOND;
import static io.rtmfp4j.server.SimRendezvous.URL;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.sim.LinkConditions;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.flash.flv.FlvHeader;
import io.rtmfp4j.flash.flv.FlvReader;
import io.rtmfp4j.flash.flv.FlvTag;
import io.rtmfp4j.flash.media.FlvPublisher;
import io.rtmfp4j.flash.media.FlvRecorder;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import io.rtmfp4j.server.auth.Authenticator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An FLV file streamed from one peer to another with {@link FlvPublisher} and
 * {@link FlvRecorder}, the classes behind {@code rtmfp stream publish} and {@code play}, on the
 * simulated network: paced on the virtual clock, compared tag for tag on a clean link, and kept
 * live on a congested one. The file is flash's test resource {@code testsrc.flv}: two seconds of
 * H.264 and AAC, 112 tags (see its README).
 */
@ExtendWith(SimSeedExtension.class)
class FlvStreamingSimulationTest {
    final long seed = SimNetwork.seedFromEnvironment(System.nanoTime());
    final SimNetwork net = new SimNetwork(seed);
    final SimRendezvous world = new SimRendezvous(net, Authenticator.open());
    byte[] file;
    List<FlvTag> fileTags;

    @BeforeEach
    void readTheFile() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/io/rtmfp4j/flash/flv/testsrc.flv")) {
            assertThat(in).as("flash test resource testsrc.flv").isNotNull();
            file = in.readAllBytes();
        }
        fileTags = tags(file);
        assertThat(fileTags).hasSize(112);
    }

    static List<FlvTag> tags(byte[] flv) throws IOException {
        List<FlvTag> tags = new ArrayList<>();
        try (FlvReader reader = new FlvReader(new ByteArrayInputStream(flv))) {
            for (var tag = reader.next(); tag.isPresent(); tag = reader.next()) {
                tags.add(tag.get());
            }
            assertThat(reader.truncated()).isFalse();
        }
        return tags;
    }

    /** A tag as it arrived: the message and the virtual time it arrived at. */
    record Arrival(TcMessage message, long at) {
    }

    /** Records to memory, and notes when each message arrived. */
    final class Player implements NetStreamHandler {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final FlvRecorder recorder;
        final List<Arrival> arrivals = new ArrayList<>();

        Player() throws IOException {
            recorder = FlvRecorder.to(bytes);
        }

        @Override
        public void onStatus(NetStatus status) {
            recorder.onStatus(status);
        }

        @Override
        public void onMessage(TcMessage message) {
            arrivals.add(new Arrival(message, net.now()));
            recorder.onMessage(message);
        }

        List<FlvTag> recorded() throws IOException {
            recorder.close();
            return tags(bytes.toByteArray());
        }
    }

    void run(BooleanSupplier until, long limit) {
        assertThat(net.runUntil(until, limit)).as("seed " + seed).isTrue();
    }

    NetConnection connected() {
        NetConnection nc = world.connection(null);
        CompletableFuture<NetConnection> f = nc.connect(URL);
        run(f::isDone, 30 * SECOND);
        assertThat(f).isCompletedWithValue(nc);
        return nc;
    }

    /** Alice publishes "live", Bob plays it into a {@link Player}; returns once Bob hears Play.Start. */
    record Live(NetConnection alice, NetConnection bob, NetStream out, Player player) {
    }

    Live playing() throws IOException {
        NetConnection alice = connected();
        NetConnection bob = connected();
        NetStream out = NetStream.publisher(alice);
        out.publish("live");
        NetStream in = NetStream.player(bob, alice.nearId());
        Player player = new Player();
        in.setHandler(player);
        in.play("live");
        run(() -> player.recorder.started().isDone() && out.peerStreams().size() == 1, 30 * SECOND);
        assertThat(player.recorder.started()).isCompletedWithValueMatching(s -> s.code().equals(Status.PLAY_START));
        return new Live(alice, bob, out, player);
    }

    @Test
    void aFileArrivesTagForTagAtTheSpeedItWasRecorded() throws IOException {
        Live s = playing();
        FlvPublisher publisher = new FlvPublisher(s.alice(), s.out(), () -> new FlvReader(new ByteArrayInputStream(file)),
                false);
        long start = net.now();
        CompletableFuture<FlvPublisher.Summary> done = publisher.start();
        run(done::isDone, 30 * SECOND);
        s.out().close();
        run(() -> s.player().recorder.ended().isDone(), 30 * SECOND);

        assertThat(done).isCompleted();
        FlvPublisher.Summary summary = done.join();
        assertThat(summary.tags()).isEqualTo(112);
        assertThat(summary.abandoned()).isZero();
        assertThat(summary.discontinuities()).isZero();
        assertThat(s.player().recorder.ended()).isCompletedWithValueMatching(
                st -> st.code().equals(Status.STREAM_CONNECT_CLOSED));

        List<FlvTag> recorded = s.player().recorded();
        assertThat(recorded).containsExactlyInAnyOrderElementsOf(fileTags);
        for (int type : new int[] {FlvTag.AUDIO, FlvTag.VIDEO, FlvTag.SCRIPT_DATA}) {
            assertThat(recorded.stream().filter(t -> t.type() == type).toList()).as("type " + type)
                    .isEqualTo(fileTags.stream().filter(t -> t.type() == type).toList());
        }
        // Paced: no tag arrives before it is due, none long after. A tag is due when the file's
        // timeline reaches it: tags a little behind it (the end-of-sequence tag) go at once.
        Map<Integer, Iterator<Long>> due = new HashMap<>();
        long head = fileTags.get(0).timestamp();
        Map<Integer, List<Long>> dueByType = new HashMap<>();
        for (FlvTag t : fileTags) {
            head = Math.max(head, t.timestamp());
            dueByType.computeIfAbsent(t.type(), k -> new ArrayList<>()).add((head - fileTags.get(0).timestamp()) * 1000);
        }
        dueByType.forEach((type, list) -> due.put(type, list.iterator()));
        // Only media is timed: |RtmpSampleAccess comes with Play.Start, before the file.
        assertThat(s.player().arrivals.stream().filter(a -> a.message().type() != TcMessage.DATA_AMF0))
                .allSatisfy(a -> assertThat(a.at() - start - due.get(a.message().type()).next())
                        .isBetween(0L, SECOND / 5));
        assertThat(net.now() - start).isGreaterThan(19 * SECOND / 10);
    }

    @Test
    void aFileWithoutTagsEndsAtOnceEvenWhenLooping() throws IOException {
        NetConnection alice = connected();
        NetStream out = NetStream.publisher(alice);
        out.publish("live");
        byte[] headerOnly = Arrays.copyOf(file, FlvHeader.ENCODED_SIZE);
        int[] opened = {0};
        CompletableFuture<FlvPublisher.Summary> done = new FlvPublisher(alice, out, () -> {
            opened[0]++;
            return new FlvReader(new ByteArrayInputStream(headerOnly));
        }, true).start();
        run(done::isDone, SECOND);

        assertThat(done.join()).isEqualTo(new FlvPublisher.Summary(0, 0, 0, 0, 0, 1, 0, 0, false));
        assertThat(opened[0]).isEqualTo(1);
    }

    /** Media arrivals and the publisher's summary after looping the file for {@code seconds} over a 10 kB/s link. */
    record Congested(List<Arrival> media, FlvPublisher.Summary summary, long start) {
        /** How late each message of {@code type} arriving after {@code from} was, against its stream timestamp. */
        List<Long> lags(int type, long from, long firstTimestamp) {
            return media.stream().filter(a -> a.message().type() == type && a.at() >= from)
                    .map(a -> a.at() - start - (a.message().timestamp() - firstTimestamp) * 1000).toList();
        }
    }

    Congested loopOverACongestedLink(boolean reliable, long seconds) throws IOException {
        Live s = playing();
        s.out().setAudioReliable(reliable);
        s.out().setVideoReliable(reliable);
        InetSocketAddress alice = ((SimHost) s.alice().host()).address();
        InetSocketAddress bob = ((SimHost) s.bob().host()).address();
        // The file needs about 14 kB/s (audio 9.5, video 4.5); the link carries 10, and queues 0.4 s.
        net.setConditions(alice, bob, LinkConditions.PERFECT.withBandwidth(10_000).withQueueLimit(4_000));
        FlvPublisher publisher = new FlvPublisher(s.alice(), s.out(), () -> new FlvReader(new ByteArrayInputStream(file)),
                true);
        long start = net.now();
        CompletableFuture<FlvPublisher.Summary> done = publisher.start();
        net.runFor(seconds * SECOND);
        List<Arrival> media = s.player().arrivals.stream()
                .filter(a -> a.message().type() == TcMessage.AUDIO || a.message().type() == TcMessage.VIDEO).toList();
        publisher.stop();
        run(done::isDone, 60 * SECOND);
        return new Congested(media, done.join(), start);
    }

    @Test
    void onACongestedLinkTheStreamStaysLiveInsteadOfFallingBehind() throws IOException {
        long seconds = 30;
        Congested live = loopOverACongestedLink(false, seconds);

        FlvPublisher.Summary summary = live.summary();
        assertThat(summary.stopped()).isTrue();
        assertThat(summary.passes()).as("the 2.2 s file looped").isGreaterThanOrEqualTo(seconds / 3);
        assertThat(summary.abandoned()).as("late frames abandoned").isPositive();
        assertThat(live.media().size()).isLessThan((int) (summary.audio() + summary.video()));
        // Stream timestamps keep growing across loops, so lag is arrival against due time throughout.
        long first = fileTags.get(0).timestamp();
        long lastSeconds = live.start() + (seconds - 3) * SECOND;
        // Audio, sent first, is never later than its deadline (1 s) and the link's queue (0.4 s).
        assertThat(live.lags(TcMessage.AUDIO, live.start(), first)).allSatisfy(lag -> assertThat(lag).isBetween(0L,
                3 * SECOND / 2));
        assertThat(live.lags(TcMessage.AUDIO, lastSeconds, first)).as("audio in the last 3 s").hasSizeGreaterThan(100);
        // Video gets what is left: a frame received after the key frame it depends on was abandoned
        // waits until the receiver learns of it, but no frame falls further behind than that.
        assertThat(live.lags(TcMessage.VIDEO, live.start(), first)).isNotEmpty()
                .allSatisfy(lag -> assertThat(lag).isLessThan(4 * SECOND));

        // The same stream made reliable falls further and further behind on the same link: audio
        // still fits, but video, which gets what audio leaves, ends up many seconds late.
        Congested reliable = loopOverACongestedLink(true, seconds);
        assertThat(reliable.summary().abandoned()).isZero();
        List<Long> reliableVideo = reliable.lags(TcMessage.VIDEO, reliable.start(), first);
        assertThat(reliableVideo).isNotEmpty();
        assertThat(reliableVideo.get(reliableVideo.size() - 1)).isGreaterThan(8 * SECOND);
    }
}
