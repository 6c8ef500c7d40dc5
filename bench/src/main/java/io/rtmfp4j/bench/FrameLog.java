package io.rtmfp4j.bench;

import io.rtmfp4j.flash.tc.TcMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The synthetic video of the multicast benchmarks, and what one viewer played of it: 25 frames
 * a second, a key frame every second {@link #KEY_FRAME_WEIGHT} times the size of the others, each
 * frame carrying its number (bytes 5 to 8, after the AVC packet header). Safe to fill from the
 * thread a viewer's messages arrive on while another reads it at the end.
 */
final class FrameLog {
    static final int FPS = 25;
    static final int KEY_FRAME_WEIGHT = 4;
    /** The AVC decoder configuration the stream starts with (a sequence header: packet type 0). */
    static final byte[] CONFIGURATION = {0x17, 0, 0, 0, 0, 1, 0x42, 0, 0x1e};

    private final LongSupplier clock;
    /** Frame number to when it was played, microseconds. */
    private final Map<Integer, Long> played = new ConcurrentHashMap<>();
    volatile long playAt = -1;
    volatile int firstFrame = -1;
    volatile long firstFrameAt = -1;
    volatile boolean alive = true;
    volatile boolean late;

    FrameLog(LongSupplier clock) {
        this.clock = clock;
    }

    /** The size of a delta frame for a stream of {@code bytesPerSecond}. */
    static int deltaSize(int bytesPerSecond) {
        return Math.max(16, bytesPerSecond / (FPS - 1 + KEY_FRAME_WEIGHT));
    }

    /** Frame {@code f} of the stream, a key frame every second. */
    static TcMessage frame(int f, int delta) {
        boolean key = f % FPS == 0;
        byte[] body = new byte[key ? KEY_FRAME_WEIGHT * delta : delta];
        body[0] = (byte) (key ? 0x17 : 0x27);
        body[1] = 1;
        ByteBuffer.wrap(body, 5, 4).putInt(f);
        return new TcMessage(TcMessage.VIDEO, f * 1000L / FPS, body);
    }

    void playing() {
        playAt = clock.getAsLong();
    }

    /** A message played: a frame of the stream is logged with when it came. */
    void onMessage(TcMessage m) {
        if (m.type() != TcMessage.VIDEO || m.payload().length < 9 || m.payload()[1] != 1) {
            return;
        }
        long now = clock.getAsLong();
        int frame = ByteBuffer.wrap(m.payload(), 5, 4).getInt();
        played.putIfAbsent(frame, now);
        if (firstFrame < 0) {
            firstFrameAt = now;
            firstFrame = frame;
        }
    }

    /**
     * What the viewers that stayed played, against when each frame was published; frames
     * published after {@code lastCounted} may still be on the way and are not counted.
     */
    record Tally(double deliveredRatio, double worstViewerRatio, double p99DelayMs, double firstFrameP90Ms,
            int viewersMeasured) {
        static Tally of(List<FrameLog> viewers, List<Long> publishedAt, long lastCounted) {
            long expected = 0;
            long delivered = 0;
            double worst = 1;
            int measured = 0;
            List<Long> delays = new ArrayList<>();
            List<Long> firstFrames = new ArrayList<>();
            for (FrameLog v : viewers) {
                if (!v.alive) {
                    continue;
                }
                measured++;
                if (v.late) {
                    firstFrames.add(v.firstFrameAt < 0 ? Long.MAX_VALUE : v.firstFrameAt - v.playAt);
                }
                int from = Math.max(0, v.firstFrame);
                long want = 0;
                long got = 0;
                for (int f = from; f < publishedAt.size() && publishedAt.get(f) <= lastCounted; f++) {
                    want++;
                    Long at = v.played.get(f);
                    if (at != null) {
                        got++;
                        delays.add(at - publishedAt.get(f));
                    }
                }
                expected += want;
                delivered += got;
                if (want > 0) {
                    worst = Math.min(worst, (double) got / want);
                }
            }
            Collections.sort(delays);
            Collections.sort(firstFrames);
            return new Tally(expected == 0 ? 0 : (double) delivered / expected, worst,
                    GroupSimulation.percentile(delays, 0.99) / 1000,
                    firstFrames.isEmpty() ? 0 : GroupSimulation.percentile(firstFrames, 0.9) / 1000, measured);
        }
    }
}
