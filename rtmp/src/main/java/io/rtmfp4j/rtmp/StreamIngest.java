package io.rtmfp4j.rtmp;

import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.tc.TcMessage;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Feeds a publishing {@link NetStream} (a group's multicast stream, or a direct one) from RTMP:
 * it takes a publish of one name, from one client at a time, whatever the app; a client that
 * comes while another publishes, or publishes another name, is refused and leaves the stream as it
 * was. When a publisher ends and another comes, the second one's timestamps are moved to follow
 * the first one's, so that players see one stream whose time keeps going forward.
 */
public final class StreamIngest implements PublishTarget {
    private final NetStream stream;
    private final String name;
    private final AtomicReference<Publication> active = new AtomicReference<>();
    /** The last timestamp written, of whichever publisher; -1 before the first. */
    private final AtomicLong last = new AtomicLong(-1);
    private final AtomicLong publications = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();

    /**
     * @param stream a stream told to {@link NetStream#publish publish}
     * @param name   the only stream name RTMP clients may publish
     */
    public StreamIngest(NetStream stream, String name) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.name = Objects.requireNonNull(name, "name");
        if (!stream.isPublisher()) {
            throw new IllegalArgumentException("RTMP is ingested into a publishing stream");
        }
    }

    @Override
    public Publication publish(String app, String published) throws PublishRefusedException {
        if (!name.equals(published)) {
            throw new PublishRefusedException(RtmpSession.shown(published) + " is not published here, only "
                    + RtmpSession.shown(name));
        }
        Publication p = new Ingested();
        if (!active.compareAndSet(null, p)) {
            throw new PublishRefusedException(RtmpSession.shown(name) + " is being published by another client");
        }
        publications.incrementAndGet();
        return p;
    }

    /** Publications taken so far. */
    public long publications() {
        return publications.get();
    }

    /** Messages written on the stream so far. */
    public long messages() {
        return messages.get();
    }

    /** Whether a client publishes now. */
    public boolean publishing() {
        return active.get() != null;
    }

    /** One client's publish; its messages arrive on its connection's thread, one at a time. */
    private final class Ingested implements Publication {
        /** Added to this publisher's timestamps, modulo 2^32; known at its first message. */
        private long offset = -1;

        @Override
        public void message(TcMessage m) {
            if (active.get() != this) {
                return;
            }
            if (offset < 0) {
                long previous = last.get();
                // The first publisher keeps its timestamps; a later one starts a millisecond after the last.
                offset = previous < 0 ? 0 : (previous + 1 - m.timestamp()) & 0xffff_ffffL;
            }
            long t = (m.timestamp() + offset) & 0xffff_ffffL;
            last.set(t);
            messages.incrementAndGet();
            stream.write(new TcMessage(m.type(), t, m.payload()));
        }

        @Override
        public void end() {
            active.compareAndSet(this, null);
        }
    }
}
