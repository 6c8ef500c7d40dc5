package io.rtmfp4j.bench;

import io.rtmfp4j.flash.group.GroupSpecifier;
import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.net.NetStreamMulticastInfo;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The multicast benchmark on real sockets: a publisher and a few viewers, each a NetConnection
 * with its own UDP socket and event loop on 127.0.0.1, in one group of a rendezvous server; the
 * publisher sends the synthetic video of {@link FrameLog} in real time, a third of the viewers
 * start playing only after the first third of the stream. Same figures as the simulation.
 */
public final class MulticastLoopback {
    static final long TIMEOUT_SECONDS = 60;
    /** Up to this many members each is every other's neighbor (docs/groups.md, "Membership and topology"). */
    static final int FULL_MESH = 12;
    /** Frames published in the last two seconds may still be on the way: not counted. */
    static final long TAIL_MICROS = 2_000_000;

    public record Params(String uri, int peers, int rateKbps, long streamSeconds) {
    }

    public record Result(int peers, int rateKbps, double deliveredRatio, double worstViewerRatio, double p99DelayMs,
            double firstFrameP90Ms, double sourceUploadRatio, int viewersMeasured, long streamSeconds) {
        public String toJson() {
            return String.format(Locale.ROOT, "{\"bench\":\"multicast\",\"mode\":\"loopback\",\"peers\":%d,"
                    + "\"rateKbps\":%d,\"deliveredRatio\":%.6f,\"worstViewerRatio\":%.6f,\"p99DelayMs\":%.1f,"
                    + "\"firstFrameP90Ms\":%.1f,\"sourceUploadRatio\":%.2f,\"viewersMeasured\":%d,\"streamSeconds\":%d}",
                    peers, rateKbps, deliveredRatio, worstViewerRatio, p99DelayMs, firstFrameP90Ms, sourceUploadRatio,
                    viewersMeasured, streamSeconds);
        }
    }

    private static long micros() {
        return System.nanoTime() / 1000;
    }

    /** One member: a connection, its group and its stream, and what it played. */
    private static final class Member implements NetStreamHandler, AutoCloseable {
        final NetConnection nc;
        final NetGroup group;
        final NetStream stream;
        final FrameLog log = new FrameLog(MulticastLoopback::micros);
        final CompletableFuture<NetStatus> started = new CompletableFuture<>();

        Member(String uri, String spec) throws Exception {
            nc = NetConnection.builder().bind(new InetSocketAddress("127.0.0.1", 0)).build();
            try {
                nc.connect(uri).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                nc.close();
                throw e;
            }
            group = new NetGroup(nc, spec);
            stream = NetStream.inGroup(nc, group);
            stream.setHandler(this);
        }

        @Override
        public void onStatus(NetStatus s) {
            if (s.code().equals(Status.PUBLISH_START) || s.code().equals(Status.PLAY_START)) {
                started.complete(s);
            }
        }

        @Override
        public void onMessage(TcMessage m) {
            log.onMessage(m);
        }

        @Override
        public void close() {
            stream.close();
            group.close();
            nc.close();
        }
    }

    public static Result run(Params p) throws Exception {
        String spec = new GroupSpecifier("bench-multicast-" + System.nanoTime()).setMulticastEnabled(true)
                .setServerChannelEnabled(true).groupspecWithAuthorizations();
        List<Member> all = new ArrayList<>();
        try {
            Member publisher = new Member(p.uri(), spec);
            all.add(publisher);
            List<Member> viewers = new ArrayList<>();
            for (int i = 0; i < p.peers(); i++) {
                Member m = new Member(p.uri(), spec);
                all.add(m);
                viewers.add(m);
            }
            // A few members make a full mesh: everyone is there before the stream starts.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (all.stream().anyMatch(m -> m.group.neighborCount() < Math.min(p.peers(), FULL_MESH))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the members did not all become neighbors within "
                            + TIMEOUT_SECONDS + " s");
                }
                LockSupport.parkNanos(100_000_000);
            }
            List<Member> late = viewers.subList(0, viewers.size() / 3);
            for (Member m : viewers) {
                m.log.late = late.contains(m);
                if (!m.log.late) {
                    m.log.playing();
                    m.stream.play("live");
                }
            }
            publisher.stream.publish("live");
            publisher.started.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

            int frames = (int) (p.streamSeconds() * FrameLog.FPS);
            int delta = FrameLog.deltaSize(p.rateKbps() * 1000 / 8);
            List<Long> publishedAt = new ArrayList<>();
            long streamBytes = FrameLog.CONFIGURATION.length;
            publisher.stream.write(new TcMessage(TcMessage.VIDEO, 0, FrameLog.CONFIGURATION));
            long start = System.nanoTime();
            for (int f = 0; f < frames; f++) {
                if (f == frames / 3) {
                    for (Member m : late) {
                        m.log.playing();
                        m.stream.play("live");
                    }
                }
                // Real time: each frame when it is due, whatever the time spent sending the last.
                LockSupport.parkNanos(start + f * 1_000_000_000L / FrameLog.FPS - System.nanoTime());
                TcMessage frame = FrameLog.frame(f, delta);
                publishedAt.add(micros());
                publisher.stream.write(frame);
                streamBytes += frame.payload().length;
            }
            LockSupport.parkNanos((TAIL_MICROS + 1_000_000) * 1000);
            NetStreamMulticastInfo sent = publisher.stream.multicastInfo();
            List<FrameLog> logs = viewers.stream().map(m -> m.log).toList();
            FrameLog.Tally t = FrameLog.Tally.of(logs, publishedAt, micros() - TAIL_MICROS - 1_000_000);
            return new Result(p.peers(), p.rateKbps(), t.deliveredRatio(), t.worstViewerRatio(), t.p99DelayMs(),
                    t.firstFrameP90Ms(), (double) (sent.bytesPushedToPeers() + sent.bytesRequestedByPeers()) / streamBytes,
                    t.viewersMeasured(), p.streamSeconds());
        } finally {
            for (Member m : all) {
                m.close();
            }
        }
    }
}
