package io.rtmfp4j.bench;

import io.rtmfp4j.core.sim.LinkConditions;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.flash.group.GroupSpecifier;
import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.net.NetStreamMulticastInfo;
import io.rtmfp4j.flash.tc.TcMessage;
import io.rtmfp4j.runtime.sim.SimHost;
import io.rtmfp4j.server.SimRendezvous;
import io.rtmfp4j.server.auth.Authenticator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * One publisher multicasting a live stream to many viewers of one group (netgroup spec §8), in
 * simulation: the publisher's NetStream in the group sends a synthetic video stream (25 frames a
 * second, a key frame every second four times the size of the others) at a given rate; most
 * viewers play from the start, the rest join while it runs; some may leave abruptly half-way.
 * Measured: the share of frames each remaining viewer got from where it started, the delay from
 * publishing to playing, the time from {@code play} to the first frame of a viewer joining under
 * way, and the publisher's upload over the stream's rate. Used by {@code rtmfp bench multicast}
 * and the scale tests.
 */
public final class MulticastSimulation {
    static final long SECOND = SimRendezvous.SECOND;
    static final long MILLI = 1_000;
    /** Frames published in the last two seconds may still be on the way when the run ends: not counted. */
    static final long TAIL_MICROS = 2 * SECOND;
    static final int JOINS_PER_SECOND = 100;

    /**
     * @param peers          viewers (the publisher comes on top)
     * @param rateKbps       the stream's rate
     * @param rttMillis      round trip between any two hosts
     * @param loss           packet loss on every link
     * @param uplinkFactor   each viewer's upload over the stream's rate; 0 for unlimited
     * @param streamSeconds  how long the stream runs
     * @param lateFraction   viewers that start playing only half-way through the first third
     * @param churn          viewers that leave abruptly half-way through
     */
    public record Params(int peers, int rateKbps, long rttMillis, double loss, double uplinkFactor, long streamSeconds,
            double lateFraction, double churn, long seed) {
        public Params {
            if (peers < 1 || rateKbps < 8 || streamSeconds < 4 || loss < 0 || loss >= 1 || uplinkFactor < 0
                    || lateFraction < 0 || lateFraction > 1 || churn < 0 || churn >= 1) {
                throw new IllegalArgumentException("bad multicast simulation parameters: " + this);
            }
        }
    }

    /**
     * @param deliveredRatio   frames played over frames published from each remaining viewer's first frame on
     * @param p99DelayMs       99th percentile of publish-to-play delay over every frame played
     * @param firstFrameP90Ms  90th percentile, over viewers that joined under way, of play to first frame
     * @param sourceUploadRatio the publisher's upload of fragments over the stream's bytes
     * @param pulledRatio      fragments that reached the remaining viewers answering their pulls, over every
     *                         fragment that reached them: the push trees carry the stream, pulls only repair
     * @param relayPullAnswerMaxRatio the most any remaining viewer uploaded answering pulls, over the stream's
     *                         bytes: a relay answers with what its pushes leave of three copies of the stream
     */
    public record Result(int peers, int rateKbps, long rttMillis, double loss, double uplinkFactor, double churn,
            long seed, double deliveredRatio, double worstViewerRatio, double p99DelayMs, double firstFrameP90Ms,
            double sourceUploadRatio, double pulledRatio, double relayPullAnswerMaxRatio, int viewersMeasured,
            double simulatedSeconds) {
        public String toJson() {
            return String.format(Locale.ROOT, "{\"bench\":\"multicast\",\"mode\":\"simulated\",\"peers\":%d,"
                    + "\"rateKbps\":%d,\"rttMs\":%d,\"loss\":%s,\"uplinkFactor\":%s,\"churn\":%s,\"seed\":%d,"
                    + "\"deliveredRatio\":%.6f,\"worstViewerRatio\":%.6f,\"p99DelayMs\":%.1f,\"firstFrameP90Ms\":%.1f,"
                    + "\"sourceUploadRatio\":%.2f,\"pulledRatio\":%.3f,\"relayPullAnswerMaxRatio\":%.3f,"
                    + "\"viewersMeasured\":%d,\"simulatedSeconds\":%.1f}",
                    peers, rateKbps, rttMillis, loss, uplinkFactor, churn, seed, deliveredRatio, worstViewerRatio,
                    p99DelayMs, firstFrameP90Ms, sourceUploadRatio, pulledRatio, relayPullAnswerMaxRatio,
                    viewersMeasured, simulatedSeconds);
        }
    }

    /** A member with a NetStream in the group, and the frames it played. */
    final class Member implements NetStreamHandler {
        final SimHost host;
        final NetConnection nc;
        final FrameLog log = new FrameLog(() -> net.now());
        NetStream stream;

        Member(boolean viewer) {
            host = world.host();
            // The publisher's upload is what is measured, not limited.
            if (viewer && uplink > 0) {
                net.setUplink(host.address(), uplink, (int) Math.max(64_000, uplink));
            }
            nc = NetConnection.on(host, null, null);
            nc.connect(SimRendezvous.URL).thenRun(() -> {
                NetGroup group = new NetGroup(nc, spec);
                stream = NetStream.inGroup(nc, group);
                stream.setHandler(this);
            });
        }

        void play() {
            log.playing();
            stream.play("live");
        }

        @Override
        public void onMessage(TcMessage m) {
            log.onMessage(m);
        }
    }

    private final SimNetwork net;
    private final SimRendezvous world;
    private final String spec;
    private final Random random;
    private final long uplink;
    private final List<Member> viewers = new ArrayList<>();
    /** Frame number to when it was published. */
    private final List<Long> publishedAt = new ArrayList<>();

    MulticastSimulation(Params p) {
        net = new SimNetwork(p.seed());
        net.keepDelivered(false);
        net.setDefaultConditions(LinkConditions.PERFECT.withDelay(p.rttMillis() * MILLI / 2).withLoss(p.loss()));
        world = new SimRendezvous(net, Authenticator.open());
        spec = new GroupSpecifier("bench-multicast").setMulticastEnabled(true).setServerChannelEnabled(true)
                .groupspecWithAuthorizations();
        random = new Random(p.seed());
        uplink = (long) (p.uplinkFactor() * p.rateKbps() * 1000 / 8);
    }

    /** The whole run: join, play, publish, churn, measure. */
    public static Result run(Params p) {
        return new MulticastSimulation(p).measure(p);
    }

    private Result measure(Params p) {
        Member publisher = new Member(false);
        for (int i = 0; i < p.peers(); i++) {
            viewers.add(new Member(true));
            if ((i + 1) % (JOINS_PER_SECOND / 10) == 0) {
                net.runFor(100 * MILLI);
            }
        }
        if (!net.runUntil(() -> publisher.stream != null && viewers.stream().allMatch(m -> m.stream != null),
                120 * SECOND)) {
            throw new IllegalStateException("some members could not connect to the simulated server");
        }
        // The overlay forms before the stream starts, as in a group that lives.
        net.runFor(10 * SECOND);
        List<Member> late = new ArrayList<>(viewers.subList(0, (int) Math.round(viewers.size() * p.lateFraction())));
        for (Member m : viewers) {
            if (!late.contains(m)) {
                m.play();
            }
        }
        publisher.stream.publish("live");
        net.runFor(SECOND);

        int frames = (int) (p.streamSeconds() * FrameLog.FPS);
        int delta = FrameLog.deltaSize(p.rateKbps() * 1000 / 8);
        long streamBytes = 0;
        publisher.stream.write(new TcMessage(TcMessage.VIDEO, 0, FrameLog.CONFIGURATION));
        for (int f = 0; f < frames; f++) {
            if (f == frames / 6) {
                for (Member m : late) {
                    m.play();
                }
            }
            if (f == frames / 2 && p.churn() > 0) {
                crash(p.churn(), late);
            }
            TcMessage frame = FrameLog.frame(f, delta);
            publishedAt.add(net.now());
            publisher.stream.write(frame);
            streamBytes += frame.payload().length;
            net.runFor(SECOND / FrameLog.FPS);
        }
        net.runFor(TAIL_MICROS + SECOND);
        NetStreamMulticastInfo sent = publisher.stream.multicastInfo();
        double upload = (double) (sent.bytesPushedToPeers() + sent.bytesRequestedByPeers()) / streamBytes;
        return summarize(p, late, upload, streamBytes);
    }

    /** Takes {@code fraction} of the viewers (not those joining late) off the network at once, without a word. */
    private void crash(double fraction, List<Member> late) {
        List<Member> candidates = new ArrayList<>(viewers);
        candidates.removeAll(late);
        Collections.shuffle(candidates, random);
        for (Member m : candidates.subList(0, (int) Math.round(viewers.size() * fraction))) {
            m.log.alive = false;
            m.host.close();
        }
    }

    private Result summarize(Params p, List<Member> late, double upload, long streamBytes) {
        List<FrameLog> logs = new ArrayList<>();
        long pulled = 0;
        long arrived = 0;
        long mostAnswered = 0;
        for (Member m : viewers) {
            m.log.late = late.contains(m);
            logs.add(m.log);
            if (m.log.alive) {
                NetStreamMulticastInfo got = m.stream.multicastInfo();
                pulled += got.fragmentsRequestedFromPeers();
                arrived += got.fragmentsRequestedFromPeers() + got.fragmentsPushedFromPeers();
                mostAnswered = Math.max(mostAnswered, got.bytesRequestedByPeers());
            }
        }
        FrameLog.Tally t = FrameLog.Tally.of(logs, publishedAt, net.now() - TAIL_MICROS - SECOND);
        return new Result(p.peers(), p.rateKbps(), p.rttMillis(), p.loss(), p.uplinkFactor(), p.churn(), p.seed(),
                t.deliveredRatio(), t.worstViewerRatio(), t.p99DelayMs(), t.firstFrameP90Ms(), upload,
                arrived == 0 ? 0 : (double) pulled / arrived, (double) mostAnswered / streamBytes,
                t.viewersMeasured(), net.now() / 1e6);
    }
}
