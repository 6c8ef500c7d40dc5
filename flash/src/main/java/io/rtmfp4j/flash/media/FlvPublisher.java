package io.rtmfp4j.flash.media;

import io.rtmfp4j.flash.flv.FlvPacer;
import io.rtmfp4j.flash.flv.FlvReader;
import io.rtmfp4j.flash.flv.FlvTag;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.runtime.EndpointHost;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends an FLV file on a publishing {@link NetStream} as a live stream: each tag goes out when
 * its timestamp is due, as paced by {@link FlvPacer} on the connection's own clock, so the same
 * code runs on sockets and on a simulated network. Audio and video tags become audio and video
 * messages (live: abandoned when late, see {@link NetStream}); script data tags become data
 * messages, which are reliable and whose metadata the stream keeps for players that join later.
 *
 * <p>With {@code loop}, the file starts again at its end; the pacer closes the jump back to the
 * first timestamp, so players see one stream whose timestamps keep growing.
 *
 * <p>The file is read on the connection's loop thread, a tag at a time when it is due: give it
 * a local file or memory, not a source that may block. Each run of the loop sends at most
 * {@value #BURST} tags before letting the loop do other work.
 */
public final class FlvPublisher {
    private static final int BURST = 64;
    private static final long NANOS_PER_MICRO = 1_000;

    /**
     * What was sent.
     *
     * @param tags            tags written on the stream (audio + video + data)
     * @param abandoned       audio or video messages at least one player did not receive in time
     * @param passes          times the file was read to its end
     * @param discontinuities timestamp jumps the pacer closed up (file loops included)
     * @param resyncs         times the schedule moved later because sending had stalled
     * @param stopped         whether {@link #stop()} ended it before the end of the file
     */
    public record Summary(long tags, long audio, long video, long data, long abandoned, long passes,
            long discontinuities, long resyncs, boolean stopped) {
    }

    private final EndpointHost host;
    private final NetStream stream;
    private final Callable<FlvReader> source;
    private final boolean loop;
    private final CompletableFuture<Summary> done = new CompletableFuture<>();
    private final Set<CompletableFuture<Void>> unsettled = ConcurrentHashMap.newKeySet();
    private final AtomicLong abandoned = new AtomicLong();

    // Loop-thread state.
    private FlvPacer pacer;
    private FlvReader reader;
    private FlvTag due;
    private boolean started;
    private boolean finished;
    private long audio;
    private long video;
    private long data;
    private long passes;
    private long tagsThisPass;

    /**
     * @param connection the stream's connection, whose loop and clock pace the file
     * @param stream     a publisher that has been told to {@link NetStream#publish publish}
     * @param source     opens the file; called once, and again at each end with {@code loop}
     * @param loop       start again at the end of the file instead of finishing
     */
    public FlvPublisher(NetConnection connection, NetStream stream, Callable<FlvReader> source, boolean loop) {
        this.host = connection.host();
        this.stream = Objects.requireNonNull(stream, "stream");
        this.source = Objects.requireNonNull(source, "source");
        this.loop = loop;
        if (!stream.isPublisher()) {
            throw new IllegalArgumentException("an FLV file is sent on a publishing stream (NetStream.publisher)");
        }
    }

    /**
     * Starts sending from the first tag, due now; later calls do nothing. Returns {@link #done()}.
     */
    public CompletableFuture<Summary> start() {
        host.execute(e -> {
            if (started || finished) {
                return;
            }
            started = true;
            pacer = new FlvPacer(host.now() * NANOS_PER_MICRO);
            step();
        });
        return done;
    }

    /**
     * Completes once the file has been sent and every message has been delivered to, or
     * abandoned by, the players of the time; or after {@link #stop()}. Fails with the
     * exception that ended it early: an {@link java.io.IOException} reading the file (an
     * {@link io.rtmfp4j.flash.flv.FlvException} for one that is not FLV) or whatever the source
     * threw opening it. Audio and video written after the stream was closed count as abandoned.
     */
    public CompletableFuture<Summary> done() {
        return done;
    }

    /** Stops sending; {@link #done()} completes once what was sent has settled. */
    public void stop() {
        host.execute(e -> finish(true, null));
    }

    /** Sends what is due, then schedules itself for the next tag. */
    private void step() {
        for (int sent = 0; !finished && sent < BURST; sent++) {
            if (due == null) {
                Optional<FlvTag> next;
                try {
                    next = nextTag();
                } catch (Exception e) {
                    finish(false, e);
                    return;
                }
                if (next.isEmpty()) {
                    finish(false, null);
                    return;
                }
                due = next.get();
                long waitNanos = pacer.schedule(due.timestamp(), host.now() * NANOS_PER_MICRO);
                if (waitNanos > 0) {
                    host.schedule((waitNanos + NANOS_PER_MICRO - 1) / NANOS_PER_MICRO, e -> step());
                    return;
                }
            }
            send(new FlvTag(due.type(), pacer.streamTimestamp(), due.body()));
            due = null;
        }
        if (!finished) {
            host.execute(e -> step());
        }
    }

    /** The next tag of the file, opening it (again) as needed; empty at its (last) end. */
    private Optional<FlvTag> nextTag() throws Exception {
        while (true) {
            if (reader == null) {
                reader = source.call();
                tagsThisPass = 0;
            }
            Optional<FlvTag> tag = reader.next();
            if (tag.isPresent()) {
                tagsThisPass++;
                return tag;
            }
            reader.close();
            reader = null;
            passes++;
            // A file without a single tag would loop forever without sending anything.
            if (!loop || tagsThisPass == 0) {
                return Optional.empty();
            }
        }
    }

    private void send(FlvTag tag) {
        CompletableFuture<Void> written;
        try {
            written = stream.write(tag.toMessage());
        } catch (RuntimeException e) {
            finish(false, e);
            return;
        }
        switch (tag.type()) {
            case FlvTag.AUDIO -> audio++;
            case FlvTag.VIDEO -> video++;
            default -> data++;
        }
        boolean media = tag.type() != FlvTag.SCRIPT_DATA;
        // Counted before it counts as settled, so the summary sees every abandoned message.
        CompletableFuture<Void> settled = written.handle((ok, error) -> {
            if (error != null && media) {
                abandoned.incrementAndGet();
            }
            return null;
        });
        unsettled.add(settled);
        settled.whenComplete((ok, error) -> unsettled.remove(settled));
    }

    /** Ends once: closes the file and completes when every message written has settled. */
    private void finish(boolean stopped, Exception failure) {
        if (finished) {
            return;
        }
        finished = true;
        due = null;
        if (reader != null) {
            try {
                reader.close();
            } catch (Exception ignored) {
                // Nothing more is read from it; a failure to close changes nothing that was sent.
            }
            reader = null;
        }
        if (failure != null) {
            done.completeExceptionally(failure);
            return;
        }
        long a = audio;
        long v = video;
        long d = data;
        long p = passes;
        long discontinuities = pacer == null ? 0 : pacer.discontinuities();
        long resyncs = pacer == null ? 0 : pacer.resyncs();
        CompletableFuture.allOf(unsettled.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> done.complete(
                new Summary(a + v + d, a, v, d, abandoned.get(), p, discontinuities, resyncs, stopped)));
    }
}
