package io.rtmfp4j.flash.group;

import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.group.wire.GroupMessage;
import io.rtmfp4j.flash.group.wire.StreamAnnouncement;
import io.rtmfp4j.flash.tc.Status;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group's multicast streams (netgroup spec §8) on this member: the streams its neighbors
 * announced and those published or played here ({@link GroupMedia}, by stream key), the
 * {@code GR 11} flows neighbors open to announce them, and the NetStreams of this connection that
 * publish or play in the group ({@link MulticastStream}). Raises
 * {@code NetGroup.MulticastStream.PublishNotify} the first time a stream key is announced and
 * {@code UnpublishNotify} when one ends, on the group's listeners. Loop thread only.
 */
final class Multicast {
    /** How often the streams' timers run: maps, pulls and parents want tens of milliseconds. */
    static final long TICK_MICROS = 50_000;
    /** A stream only heard of is forgotten after this long without news (librtmfp: 5 min, spec §15). */
    static final long KNOWN_STREAM_MICROS = 300_000_000;
    /** Streams remembered at once: a hostile neighbor announcing without end cannot grow this. */
    static final int MAX_STREAMS = 64;
    /**
     * How long a player waits for a missing fragment once later ones are there (see {@link Playout});
     * the pulls are timed against it too ({@link Puller}: the last 1.4 s after the id became known).
     * Deep in a thousand viewers' trees a fragment arrives up to a second after its id is known,
     * which leaves a hole whose parent left little time for its pulls: at 1.5 s, a pull asked of a
     * holder that had left too timed out with no time for another (docs/benchmarks.md, "A fifth
     * leaving at once"). It adds to a frame's delay only when the frame waits on a hole.
     */
    static final long PLAYOUT_HOLD_MICROS = 1_800_000;

    final GroupEngine group;
    /** Who may publish: streams announced under a key that does not prove the publish password are refused. */
    private final PasswordAuthority publishing;
    private final Map<String, GroupMedia> streams = new LinkedHashMap<>();
    private final List<MulticastStream> locals = new ArrayList<>();
    private boolean ticking;
    private boolean closed;

    Multicast(GroupEngine group) {
        this.group = group;
        this.publishing = PasswordAuthority.publishing(group.spec());
    }

    long playoutHoldMicros() {
        return PLAYOUT_HOLD_MICROS;
    }

    // ---------------------------------------------------------------- neighbors

    /** A neighbor's {@code GR 11} flow (associated with our {@code GR 1C}): its first message names the stream. */
    void onControlFlow(Neighbor n, ReceiveFlow flow) {
        if (closed) {
            flow.reject(0);
            return;
        }
        flow.accept(new ReceiveFlowHandler() {
            private PeerMedia bound;

            @Override
            public void onMessage(ReceiveFlow f, byte[] message) {
                if (bound != null) {
                    bound.media.onControl(bound, message);
                } else {
                    bound = bind(n, f, message);
                }
            }
        });
    }

    /** The first message of a {@code GR 11} flow: an announcement binds the flow to its stream. */
    private PeerMedia bind(Neighbor n, ReceiveFlow flow, byte[] message) {
        StreamAnnouncement a;
        try {
            if (!(GroupMessage.decode(message) instanceof StreamAnnouncement announced)) {
                throw new WireFormatException("a GR 11 flow must start with a stream announcement");
            }
            a = announced;
        } catch (WireFormatException e) {
            group.drop(Traffic.Drop.MALFORMED);
            flow.reject(0);
            return null;
        }
        if (!StreamKeys.accepts(publishing, a.name(), a.streamKey())) {
            // Published without the publish password: not played, not relayed, its fragments never asked for.
            group.drop(Traffic.Drop.UNAUTHORIZED_STREAM);
            flow.reject(0);
            return null;
        }
        GroupMedia media = streams.get(Hex.encode(a.streamKey()));
        if (media == null) {
            if (streams.size() >= MAX_STREAMS && !evictOne()) {
                flow.reject(0);
                return null;
            }
            media = new GroupMedia(this, a, group.now());
            streams.put(media.keyHex, media);
            group.emit(Status.GROUP_MULTICAST_PUBLISH_NOTIFY, Map.of("name", a.name()));
            startTicking();
        }
        if (!media.onAnnouncement(n, flow, a)) {
            flow.reject(0);
            return null;
        }
        media.counters.control(false, message.length, group.now());
        if (media.role() == GroupMedia.Role.KNOWN && !media.ended()) {
            for (MulticastStream s : locals) {
                s.announced(media);
            }
        }
        return media.peers.get(n);
    }

    /** Makes room for a new stream: the oldest one only known, if there is one. */
    private boolean evictOne() {
        for (Iterator<GroupMedia> it = streams.values().iterator(); it.hasNext();) {
            GroupMedia m = it.next();
            if (m.role() == GroupMedia.Role.KNOWN) {
                m.close();
                it.remove();
                return true;
            }
        }
        return false;
    }

    void neighborEstablished(Neighbor n) {
        for (GroupMedia m : streams.values()) {
            m.neighborEstablished(n);
        }
    }

    void neighborLost(Neighbor n) {
        for (GroupMedia m : streams.values()) {
            m.peerLost(n);
        }
    }

    /** A stream ended; {@code UnpublishNotify} unless it was ours. */
    void ended(GroupMedia m) {
        if (m.role() != GroupMedia.Role.PUBLISHING) {
            group.emit(Status.GROUP_MULTICAST_UNPUBLISH_NOTIFY, Map.of("name", m.name));
        }
    }

    // ---------------------------------------------------------------- local streams

    void attach(MulticastStream s) {
        if (!locals.contains(s)) {
            locals.add(s);
        }
    }

    void detach(MulticastStream s) {
        locals.remove(s);
    }

    boolean hasLocals() {
        return !locals.isEmpty();
    }

    /** Whether this member may publish: the group has no publish password, or this member holds it. */
    boolean mayPublish() {
        return publishing.permits();
    }

    /**
     * A new stream published here, under a fresh key (spec §8.1: librtmfp's keys are random), which
     * proves the publish password if there is one and this member holds it ({@link StreamKeys}).
     */
    GroupMedia publish(String name, MulticastSettings settings, boolean audioReliable, boolean videoReliable) {
        byte[] key = StreamKeys.make(publishing, name, group.random());
        StreamAnnouncement a = new StreamAnnouncement(name, key, settings.availabilitySendToAll(),
                settings.windowDuration().toMillis(), settings.availabilityUpdatePeriod().toMillis(),
                settings.fetchPeriod().toMillis());
        GroupMedia media = new GroupMedia(this, a, group.now());
        streams.put(media.keyHex, media);
        media.publish(settings, audioReliable, videoReliable);
        startTicking();
        return media;
    }

    /**
     * The stream a player of {@code name} should play: the most recently announced one of that
     * name that has not ended, or null.
     */
    GroupMedia playable(String name) {
        GroupMedia best = null;
        for (GroupMedia m : streams.values()) {
            if (m.name.equals(name) && !m.ended() && m.role() != GroupMedia.Role.PUBLISHING
                    && (best == null || m.announcedAt >= best.announcedAt)) {
                best = m;
            }
        }
        return best;
    }

    boolean isClosed() {
        return closed;
    }

    /** The group ends: every stream and every local NetStream with it. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (MulticastStream s : new ArrayList<>(locals)) {
            s.groupClosed();
        }
        locals.clear();
        for (GroupMedia m : streams.values()) {
            m.close();
        }
        streams.clear();
    }

    // ---------------------------------------------------------------- time

    private void startTicking() {
        if (!ticking && !closed) {
            ticking = true;
            group.host().schedule(TICK_MICROS, e -> tick());
        }
    }

    private void tick() {
        ticking = false;
        if (closed) {
            return;
        }
        long now = group.now();
        for (Iterator<GroupMedia> it = streams.values().iterator(); it.hasNext();) {
            GroupMedia m = it.next();
            if (!m.tick(now)) {
                m.close();
                it.remove();
            }
        }
        if (!streams.isEmpty()) {
            startTicking();
        }
    }
}
