package io.rtmfp4j.flash.group;

import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.session.WriteOptions;
import io.rtmfp4j.core.session.WriteReceipt;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.group.wire.FragmentsMap;
import io.rtmfp4j.flash.group.wire.GroupFlow;
import io.rtmfp4j.flash.group.wire.GroupMessage;
import io.rtmfp4j.flash.group.wire.MediaFragment;
import io.rtmfp4j.flash.group.wire.PullRequest;
import io.rtmfp4j.flash.group.wire.PushRequest;
import io.rtmfp4j.flash.group.wire.StreamAnnouncement;
import io.rtmfp4j.flash.group.wire.StreamEnd;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.DataMessage;
import io.rtmfp4j.flash.tc.MediaFrames;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One multicast stream of a group, by its stream key (netgroup spec §8), as this member takes
 * part in it: known only (announced by neighbors), published here, or played here (and then
 * relayed: every player serves its neighbors). Holds the fragments ({@link FragmentStore}), the
 * neighbors that take part ({@link PeerMedia}, in the order they came, which is the order pushes
 * go in), and for a player the push parents, the pulls and the playout.
 *
 * <p>Sending rules: each new fragment is pushed to the neighbors whose push mask asks for its
 * slice, in order, to at most the push neighbor limit of them (Flash's meaning of
 * {@code multicastPushNeighborLimit}; librtmfp pushes to one more), leaving out the neighbor it
 * came from and any whose fragment flow already holds more than half a second of the stream (a
 * neighbor its uplink cannot keep up with; it will find another parent), and at a publisher any
 * whose session stopped acknowledging ({@link #findStalls}). A relay pushes at most
 * two copies of the stream in all ({@link #admit}), and answers pulls with what its pushes leave
 * of three copies ({@link PullAnswerBudget}). A publisher answers a
 * pull only while the fragment has gone out fewer times than the limit, so its upload is bounded
 * by the limit, not by the audience; a pull of what it lacks or would not send is answered with
 * our map. A fragments map goes to one neighbor in turn every availability update period, or to
 * all with send-to-all or while the stream is young here ({@link #YOUNG_MICROS}), and only when
 * ours moved (spec §8.3).
 *
 * <p>A publisher of this project repeats the stream's metadata and decoder configurations just
 * before a key frame, at most once a second, so that a player joining mid-stream can start at a
 * recent key frame ({@link StartPoint}) with what it needs to decode it. Loop thread only.
 */
final class GroupMedia {
    enum Role {
        /** Announced by neighbors; not played here. */
        KNOWN,
        /** Published by this member. */
        PUBLISHING,
        /** Played by this member, and so relayed. */
        PLAYING
    }

    /** Audio and video fragments still undelivered this long after they were written are given up. */
    static final Duration FRAGMENT_DEADLINE = Duration.ofSeconds(2);
    /** {@link #FRAGMENT_DEADLINE} in microseconds, the clock of the protocol core. */
    static final long FRAGMENT_DEADLINE_MICROS = FRAGMENT_DEADLINE.toNanos() / 1000;
    /** The repeat period of metadata and decoder configurations before key frames. */
    static final long PREAMBLE_PERIOD_MICROS = 1_000_000;
    /** How much of the stream a neighbor's fragment flow may hold before pushes to it pause. */
    static final long BACKLOG_MICROS = 500_000;
    /**
     * The slices a relay pushes in all, over its neighbors: two copies of the stream. A member's
     * uplink is expected to carry a few times the stream's rate; two copies leave room for the
     * pulls it answers and for control, and the trees still offer twice what the players need
     * (each asks for eight slices).
     */
    static final int RELAY_PUSH_SLICES = 2 * PushParents.SLICES;
    /**
     * What a relay uploads at most, pushes and pull answers together: three copies of the stream.
     * Pushes take up to {@link #RELAY_PUSH_SLICES}; pull answers what they leave, at least one copy
     * ({@link PullAnswerBudget}).
     */
    static final int RELAY_UPLOAD_SLICES = 3 * PushParents.SLICES;
    /**
     * For this long after it first holds a fragment, a member sends its map to every neighbor each
     * availability update period, as with send-to-all: the push trees are still forming, and
     * a player missing a fragment knows whom to pull it from only by maps.
     */
    static final long YOUNG_MICROS = 1_500_000;
    /**
     * A publisher's neighbor whose session leaves its data unacknowledged this long, or twice its
     * MRTO if longer, is taken for gone by pushes ({@link #findStalls}). A neighbor that is there
     * may take an ERTO and a round trip to acknowledge a lost packet with nothing sent after it,
     * about 0.6 s at 50 ms RTT; at 0.3 s healthy children were taken for gone once or twice a run.
     */
    static final long STALL_MICROS = 800_000;
    /** The backlog allowed whatever the stream's rate. */
    static final long MIN_BACKLOG_BYTES = 16_384;

    final Multicast multicast;
    final GroupEngine group;
    final String name;
    final byte[] key;
    final String keyHex;
    final FragmentStore store = new FragmentStore();
    final MulticastCounters counters = new MulticastCounters();
    /** The neighbors in this stream, in the order they came. */
    final Map<Neighbor, PeerMedia> peers = new LinkedHashMap<>();
    private final RateWindow rate = new RateWindow(1);
    /** The parameters as announced by whoever told us of the stream, or as published here. */
    private StreamAnnouncement announcement;
    MulticastSettings settings;
    private Role role = Role.KNOWN;
    /** The end id of the stream (spec §8.2); -1 while it goes on. */
    long endId = -1;
    /** The highest fragment id known to exist: held, pushed, or in a neighbor's map. */
    long frontier;
    private final FrontierHistory history = new FrontierHistory();
    long lastFragmentAt;
    /** When this member first held a fragment of the stream; 0 before. */
    private long firstFragmentAt;
    long announcedAt;
    private long nextMapAt;
    private int mapTurn;
    private final PullAnswerBudget pullAnswers = new PullAnswerBudget();

    // Publishing.
    private long nextId = 1;
    private boolean audioReliable;
    private boolean videoReliable;
    /** Metadata, video and audio configuration, as last published, and when each last went out. */
    private final TcMessage[] preamble = new TcMessage[3];
    private final long[] preambleAt = new long[3];
    private boolean videoSeen;
    /** The timestamp of the last message published: the end's commands take it. */
    private long lastTime;

    // Playing.
    MulticastStream player;
    Playout playout;
    PushParents parents;
    Puller puller;

    GroupMedia(Multicast multicast, StreamAnnouncement a, long now) {
        this.multicast = multicast;
        this.group = multicast.group;
        this.name = a.name();
        this.key = a.streamKey();
        this.keyHex = Hex.encode(key);
        this.announcement = a;
        this.settings = settingsOf(a, MulticastSettings.DEFAULTS);
        this.announcedAt = now;
    }

    /** Our settings with the announced parameters in place of our own (spec §8.2: viewers adopt them). */
    static MulticastSettings settingsOf(StreamAnnouncement a, MulticastSettings own) {
        return own.withWindowDuration(Duration.ofMillis(Math.max(1, Math.min(a.windowDurationMs(),
                        MulticastSettings.MAX_DURATION.toMillis()))))
                .withAvailabilityUpdatePeriod(Duration.ofMillis(Math.max(1, Math.min(a.availabilityUpdatePeriodMs(),
                        MulticastSettings.MAX_DURATION.toMillis()))))
                .withFetchPeriod(Duration.ofMillis(Math.max(1, Math.min(a.fetchPeriodMs(),
                        MulticastSettings.MAX_DURATION.toMillis()))))
                .withAvailabilitySendToAll(a.availabilitySendToAll());
    }

    Role role() {
        return role;
    }

    boolean ended() {
        return endId >= 0;
    }

    long now() {
        return group.now();
    }

    // ---------------------------------------------------------------- roles

    /** This member publishes the stream: every established neighbor is told of it. */
    void publish(MulticastSettings own, boolean audioReliable, boolean videoReliable) {
        role = Role.PUBLISHING;
        settings = own;
        for (PeerMedia p : peers.values()) {
            admit(p);
        }
        this.audioReliable = audioReliable;
        this.videoReliable = videoReliable;
        announcement = new StreamAnnouncement(name, key, own.availabilitySendToAll(),
                own.windowDuration().toMillis(), own.availabilityUpdatePeriod().toMillis(),
                own.fetchPeriod().toMillis());
        announceToAll();
    }

    /** This member plays the stream and relays it: every neighbor is told, those in it are asked. */
    void play(MulticastStream player, MulticastSettings own) {
        this.player = player;
        role = Role.PLAYING;
        settings = settingsOf(announcement, own);
        playout = new Playout(store);
        parents = new PushParents(this);
        puller = new Puller(this);
        announceToAll();
        parents.tick(now());
    }

    /** The player went away: the stream is known only, relaying stops. */
    void stopPlaying() {
        if (role != Role.PLAYING) {
            return;
        }
        player = null;
        role = Role.KNOWN;
        for (PeerMedia p : new ArrayList<>(peers.values())) {
            p.close();
        }
        peers.clear();
        playout = null;
        parents = null;
        puller = null;
    }

    private void announceToAll() {
        for (Neighbor n : group.establishedNeighbors()) {
            announceTo(peer(n));
        }
    }

    /** A neighbor became established: told of the stream if we publish or relay it. */
    void neighborEstablished(Neighbor n) {
        if (role != Role.KNOWN && !ended()) {
            announceTo(peer(n));
        }
    }

    PeerMedia peer(Neighbor n) {
        return peers.computeIfAbsent(n, k -> new PeerMedia(k, this));
    }

    /** Sends our announcement (once) and our map (spec §8.2: the answer to an announcement is both). */
    private void announceTo(PeerMedia p) {
        if (p.out != null || p.isClosed()) {
            return;
        }
        StreamAnnouncement mine = role == Role.PUBLISHING ? announcement : announcementOf(settings);
        if (p.writeControl(mine.encode())) {
            sendMap(p, ourMap());
        }
    }

    /** A relay's announcement: the stream's parameters as it adopted them. */
    private StreamAnnouncement announcementOf(MulticastSettings s) {
        return new StreamAnnouncement(name, key, s.availabilitySendToAll(), s.windowDuration().toMillis(),
                s.availabilityUpdatePeriod().toMillis(), s.fetchPeriod().toMillis());
    }

    // ---------------------------------------------------------------- from neighbors

    /**
     * A neighbor's {@code GR 11} flow, whose first message announced this stream (spec §8.2).
     *
     * @return false if it already has one for this stream: the new one is refused
     */
    boolean onAnnouncement(Neighbor n, ReceiveFlow flow, StreamAnnouncement a) {
        PeerMedia p = peer(n);
        if (p.in != null) {
            return false;
        }
        p.in = flow;
        if (role == Role.KNOWN && peers.size() == 1) {
            announcement = a;
            settings = settingsOf(a, MulticastSettings.DEFAULTS);
        }
        if (role != Role.KNOWN) {
            announceTo(p);
            // Already announced to it: our map answers its announcement all the same.
            sendMap(p, ourMap());
            if (parents != null) {
                parents.tick(now());
            }
        }
        return true;
    }

    /** A message on a neighbor's {@code GR 11} flow after its announcement. */
    void onControl(PeerMedia p, byte[] bytes) {
        counters.control(false, bytes.length, now());
        GroupMessage m;
        try {
            m = GroupMessage.decode(bytes);
        } catch (WireFormatException e) {
            group.drop(Traffic.Drop.MALFORMED);
            return;
        }
        if (m instanceof FragmentsMap map) {
            if (role != Role.PUBLISHING) {
                p.onMap(map);
                learn(ended() ? Math.min(map.latestId(), endId - 1) : map.latestId());
                if (puller != null) {
                    puller.mapped(p, now());
                }
            }
        } else if (m instanceof PushRequest push) {
            p.pushOut = push.mask();
            admit(p);
        } else if (m instanceof PullRequest pull) {
            answerPull(p, pull.fragmentId());
        } else if (m instanceof StreamEnd end) {
            onEnd(end.lastFragmentId());
        }
        // A repeated announcement, or a type that belongs to other flows: nothing to do.
    }

    /** A neighbor's {@code GR 12} flow, answering our {@code GR 11}: its fragments. */
    void onFragmentFlow(PeerMedia p, ReceiveFlow flow) {
        if (p.isClosed() || !GroupFlow.MEDIA.matches(flow.metadata())) {
            flow.reject(0);
            return;
        }
        // Fragments carry their ids: each is used as soon as it is whole, whatever came before.
        flow.setDeliveryOrder(ReceiveFlow.DeliveryOrder.NETWORK);
        flow.accept(new ReceiveFlowHandler() {
            @Override
            public void onMessage(ReceiveFlow f, byte[] message) {
                onFragment(p, message);
            }
        });
    }

    private void onFragment(PeerMedia p, byte[] bytes) {
        if (p.isClosed() || role == Role.KNOWN) {
            return;
        }
        MediaFragment f;
        try {
            f = MediaFragment.decode(bytes);
        } catch (WireFormatException e) {
            group.drop(Traffic.Drop.MALFORMED);
            return;
        }
        long now = now();
        PeerMedia asked = puller == null ? null : puller.arrived(f.id(), p);
        boolean pulled = asked != null;
        counters.received(pulled, bytes.length, now);
        p.sent(f.id());
        if (role != Role.PLAYING || ended() && f.id() >= endId) {
            return;
        }
        // A push from the slice's parent that overtook our pull of the same fragment from another
        // neighbor is still its push: not crediting it would make a parent that serves its slice
        // look partial whenever a pull raced its pushes, and replace it.
        if (parents != null && asked != p) {
            parents.pushed(p, f.id(), now);
        }
        if (store.add(f, now)) {
            rate.add(0, f.payloadLength(), now);
            held(now);
            learn(f.id());
            push(f, p);
            play(now);
        }
    }

    private void held(long now) {
        if (firstFragmentAt == 0) {
            firstFragmentAt = now;
        }
        lastFragmentAt = now;
    }

    private void answerPull(PeerMedia p, long id) {
        MediaFragment f = store.get(id);
        if (f == null || role == Role.PUBLISHING && store.copies(id) >= settings.pushNeighborLimit()) {
            // Our map, if it moved since it last went to this neighbor, tells it we lack the
            // fragment (or would not send it): it asks elsewhere at once instead of waiting out
            // its pull's timeout (Puller#mapped). Checked before the map is built: a pull costs
            // a neighbor a few bytes, a map is built over the whole window.
            if (p.mapSent != store.mapLatest(endId)) {
                sendMap(p, ourMap());
            }
            return;
        }
        if (p.backlog() > backlogLimit()) {
            return;
        }
        long now = now();
        if (role == Role.PLAYING) {
            // What its pushes leave of a relay's upload, and at least one copy of the stream.
            int answerSlices = Math.max(PushParents.SLICES, RELAY_UPLOAD_SLICES - pushedSlices());
            if (!pullAnswers.take(f.payloadLength(), rate.rate(0, now) * answerSlices / PushParents.SLICES, now)) {
                return;
            }
        }
        WriteReceipt r = p.writeFragment(f, optionsFor(f));
        if (r != null) {
            recordSent(p, f, r, false, now + FRAGMENT_DEADLINE_MICROS, now);
        }
    }

    /** The stream ended at {@code id} (spec §8.2): neighbors we told of the stream are told too. */
    void onEnd(long id) {
        if (ended() || id < 0) {
            return;
        }
        endId = id;
        byte[] end = new StreamEnd(id).encode();
        for (PeerMedia p : peers.values()) {
            if (p.out != null) {
                p.writeControl(end);
            }
        }
        multicast.ended(this);
    }

    void peerLost(Neighbor n) {
        PeerMedia p = peers.remove(n);
        if (p != null) {
            p.close();
            if (parents != null) {
                parents.lost(p);
            }
            if (puller != null) {
                puller.lost(p);
            }
        }
    }

    // ---------------------------------------------------------------- publishing

    /** A message published here: cut into fragments, kept, pushed. */
    void publish(TcMessage m) {
        if (role != Role.PUBLISHING || ended()) {
            return;
        }
        long now = now();
        if (m.type() == TcMessage.VIDEO) {
            videoSeen = true;
        }
        int kind = preambleKind(m);
        if (kind >= 0) {
            preamble[kind] = m;
            preambleAt[kind] = now;
        } else if (startsPicture(m)) {
            for (int i = 0; i < preamble.length; i++) {
                if (preamble[i] != null && now - preambleAt[i] >= PREAMBLE_PERIOD_MICROS) {
                    preambleAt[i] = now;
                    append(new TcMessage(preamble[i].type(), m.timestamp(), preamble[i].payload()), now);
                }
            }
        }
        append(m, now);
    }

    /** 0 for metadata, 1 for a video configuration, 2 for an audio one; -1 for anything else. */
    private static int preambleKind(TcMessage m) {
        if (DataMessage.isMetadata(m)) {
            return 0;
        }
        if (MediaFrames.isSequenceHeader(m.type(), m.payload())) {
            return m.type() == TcMessage.VIDEO ? 1 : 2;
        }
        return -1;
    }

    /** A message a player could start at: a key frame, or any audio frame of a stream without video. */
    private boolean startsPicture(TcMessage m) {
        if (m.type() == TcMessage.VIDEO) {
            return MediaFrames.isKeyFrame(m.type(), m.payload());
        }
        return m.type() == TcMessage.AUDIO && !videoSeen;
    }

    private void append(TcMessage m, long now) {
        lastTime = m.timestamp();
        for (MediaFragment f : Fragmenter.split(nextId, m)) {
            nextId = f.id() + 1;
            store.add(f, now);
            rate.add(0, f.payloadLength(), now);
            held(now);
            frontier = f.id();
            push(f, null);
        }
    }

    /**
     * Stops publishing (spec §8.2): {@code NetStream.Play.UnpublishNotify} and {@code closeStream}
     * go out as the last fragments, then the end of stream with the next id.
     */
    void unpublish() {
        if (role != Role.PUBLISHING || ended()) {
            return;
        }
        long time = lastTime;
        append(new TcMessage(TcMessage.COMMAND_AMF0, time, Command.onStatus(Status.info(Status.LEVEL_STATUS,
                Status.PLAY_UNPUBLISH_NOTIFY, name + " is now unpublished")).toMessage().payload()), now());
        append(new TcMessage(TcMessage.COMMAND_AMF0, time, Command.call(Command.CLOSE_STREAM, 0).toMessage().payload()),
                now());
        onEnd(nextId);
    }

    // ---------------------------------------------------------------- sending

    /** Pushes a new fragment to the neighbors that asked for its slice (see the class comment). */
    private void push(MediaFragment f, PeerMedia from) {
        push(f, from, settings.pushNeighborLimit(), null);
    }

    /**
     * Pushes {@code f} to at most {@code left} of the neighbors that asked for its slice, in the
     * order they came, passing by {@code from}, stalled neighbors and those it would queue too
     * long for. With {@code again} (what a stalled neighbor was sent and did not acknowledge,
     * pushed anew), passing by also those it was sent to already and those a round trip away from
     * it in the time it has left, and giving it up when it would have been given up the first time.
     */
    private void push(MediaFragment f, PeerMedia from, int left, PeerMedia.Sent again) {
        int bit = 1 << (int) (f.id() & 7);
        long limit = backlogLimit();
        long now = now();
        WriteOptions options = null;
        for (PeerMedia p : peers.values()) {
            if (left <= 0) {
                break;
            }
            if (p == from || (p.served & bit) == 0 || !p.subscribed() || p.stalled || p.backlog() > limit
                    || again != null && (p.wasSent(f.id())
                            || again.expires() - now < p.neighbor.session.rtt().srtt())) {
                continue;
            }
            if (options == null) {
                options = optionsFor(f);
                if (again != null && options.finishWithin() != null) {
                    options = WriteOptions.finishWithin(Duration.ofNanos((again.expires() - now) * 1000));
                }
            }
            WriteReceipt r = p.writeFragment(f, options);
            if (r != null) {
                left--;
                recordSent(p, f, r, true, again == null ? now + FRAGMENT_DEADLINE_MICROS : again.expires(), now);
            }
        }
    }

    /**
     * {@code f} went to {@code p}: counted, and remembered by a publisher until {@code expires}
     * ({@link #findStalls}).
     */
    private void recordSent(PeerMedia p, MediaFragment f, WriteReceipt r, boolean pushed, long expires, long now) {
        store.copied(f.id());
        counters.sent(pushed, f.payloadLength(), now);
        if (role == Role.PUBLISHING) {
            p.remember(f.id(), r, expires, now);
        }
    }

    /**
     * A publisher finds the neighbors whose sessions stopped acknowledging ({@link #STALL_MICROS}):
     * pushes pass them by until they acknowledge again, and what was sent to them and not
     * acknowledged is given up on their flows and pushed to the first others that asked for its
     * slice and were not sent it, as if the stalled had not been there; they no longer count as
     * copies. A neighbor that left without a word is otherwise noticed only when its session ends,
     * minutes later, and the publisher's pushes are the only source of each fragment: it pushed
     * every one to its first children that asked, gone, and its copies spent, declined every pull
     * of it. A relay leaves this alone: the children of a relay that left take other parents
     * ({@link PushParents}), and a relay's live child whose acknowledgements lag for a moment would
     * lose pushes it is still getting. A live neighbor taken for gone all the same loses what was
     * pending for it, which it then pulls; at {@link #STALL_MICROS} none was seen in simulation.
     */
    private void findStalls(long now) {
        List<PeerMedia> stalled = null;
        for (PeerMedia p : peers.values()) {
            boolean was = p.stalled;
            p.stalled = p.subscribed() && p.neighbor.session.unacknowledgedFor(now) > stallLimit(p);
            if (p.stalled && !was) {
                if (stalled == null) {
                    stalled = new ArrayList<>(1);
                }
                stalled.add(p);
            }
        }
        if (stalled == null) {
            return;
        }
        for (PeerMedia p : stalled) {
            for (PeerMedia.Sent s : p.takeUnacknowledged(now)) {
                store.uncopied(s.id());
                MediaFragment f = store.get(s.id());
                if (f != null) {
                    push(f, p, settings.pushNeighborLimit() - store.copies(s.id()), s);
                }
            }
        }
    }

    /** How long {@code p}'s session may leave our data unacknowledged before it counts as stalled. */
    private static long stallLimit(PeerMedia p) {
        return Math.max(STALL_MICROS, 2 * p.neighbor.session.rtt().mrto());
    }

    /** The slices this member pushes, over all its neighbors (each is one of {@link #peers}). */
    private int pushedSlices() {
        int load = 0;
        for (PeerMedia q : peers.values()) {
            load += Integer.bitCount(q.served);
        }
        return load;
    }

    /**
     * Which of the slices a neighbor asked for we push to it. The publisher serves every request
     * (its upload is bounded by the push neighbor limit). A relay keeps what it served before and
     * takes new slices, first come first served, while it pushes fewer than
     * {@link #RELAY_PUSH_SLICES} slices in all: one that took every request would push up to the
     * limit times the stream (the publisher's first children are the freshest parents, and every
     * neighbor of theirs asks them), more than its uplink carries, and the queue behind its uplink
     * would delay every child it has. A slice asked and not served is silent to the child, which
     * takes another parent ({@link PushParents}).
     */
    private void admit(PeerMedia p) {
        if (role == Role.PUBLISHING) {
            p.served = p.pushOut;
            return;
        }
        int keep = p.served & p.pushOut;
        int load = pushedSlices() - Integer.bitCount(p.served) + Integer.bitCount(keep);
        for (int s = 0; s < PushParents.SLICES && load < RELAY_PUSH_SLICES; s++) {
            int bit = 1 << s;
            if ((p.pushOut & bit) != 0 && (keep & bit) == 0) {
                keep |= bit;
                load++;
            }
        }
        p.served = keep;
    }

    /**
     * Audio and video are live, given up when late, unless this member publishes them reliable;
     * data, commands and decoder configurations are reliable (spec §8.6).
     */
    private WriteOptions optionsFor(MediaFragment f) {
        MediaFragment head = store.get(messageStart(f.id()));
        if (head == null) {
            return WriteOptions.finishWithin(FRAGMENT_DEADLINE);
        }
        int type = head.mediaType();
        boolean live = type == TcMessage.AUDIO && !audioReliable || type == TcMessage.VIDEO && !videoReliable;
        return live && !StartPoint.isPreamble(head) ? WriteOptions.finishWithin(FRAGMENT_DEADLINE)
                : WriteOptions.RELIABLE;
    }

    /** The id of the first piece of the message fragment {@code id} belongs to, as far as held. */
    long messageStart(long id) {
        long at = id;
        MediaFragment f = store.get(at);
        while (f != null && !StartPoint.startsMessage(f) && id - at < Fragmenter.MAX_PIECES) {
            f = store.get(--at);
        }
        return at;
    }

    /** Half a second of the stream at its current rate, or {@link #MIN_BACKLOG_BYTES}. */
    long backlogLimit() {
        return Math.max(MIN_BACKLOG_BYTES, (long) (rate.rate(0, now()) * BACKLOG_MICROS / 1_000_000));
    }

    /**
     * Our fragments map. A publisher leaves out what it would not answer a pull for (fragments
     * that went out the push neighbor limit of times): a pull of those is declined without a
     * word, so a neighbor that read them in our map waited a pull timeout before asking another
     * holder, and a hole pulled late was skipped (docs/benchmarks.md, "Holes the publisher would
     * not fill, and a hole's last pull"). The latest stays in while the stream goes on, as the map's
     * format requires (after its end the map's latest is the end id).
     */
    private FragmentsMap ourMap() {
        if (role == Role.PUBLISHING) {
            int limit = settings.pushNeighborLimit();
            return store.map(endId, id -> store.copies(id) < limit);
        }
        return store.map(endId, id -> true);
    }

    private void sendMap(PeerMedia p, FragmentsMap map) {
        if (map != null && p.out != null && p.mapSent != map.latestId() && p.writeControl(map.encode())) {
            p.mapSent = map.latestId();
        }
    }

    // ---------------------------------------------------------------- time

    /** What the stream does every few tens of milliseconds; false once it can be forgotten. */
    boolean tick(long now) {
        store.expire(now - settings.keepMicros());
        if (role == Role.KNOWN) {
            return !idle(now);
        }
        if (now >= nextMapAt) {
            nextMapAt = now + settings.availabilityUpdatePeriod().toMillis() * 1000;
            sendMaps(now);
        }
        if (role == Role.PUBLISHING) {
            findStalls(now);
        }
        if (role == Role.PLAYING) {
            parents.tick(now);
            puller.tick(now);
            play(now);
            if (!ended() && lastFragmentAt > 0 && now - lastFragmentAt > settings.keepMicros()) {
                // The publisher went without a word (spec §8.5: no fragment for the window and margin).
                onEnd(Math.max(frontier + 1, 1));
            }
        }
        return !(ended() && store.isEmpty()) || role == Role.PLAYING && player != null;
    }

    /** Known only, and nothing heard of it for the time its fragments would be kept. */
    private boolean idle(long now) {
        return now - Math.max(announcedAt, lastFragmentAt) > Multicast.KNOWN_STREAM_MICROS;
    }

    private void sendMaps(long now) {
        FragmentsMap map = ourMap();
        if (map == null) {
            return;
        }
        List<PeerMedia> targets = new ArrayList<>();
        for (PeerMedia p : peers.values()) {
            if (p.linked()) {
                targets.add(p);
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        if (settings.availabilitySendToAll() || firstFragmentAt > 0 && now - firstFragmentAt < YOUNG_MICROS) {
            for (PeerMedia p : targets) {
                sendMap(p, map);
            }
        } else {
            if (mapTurn == 0) {
                mapTurn = group.random().nextInt(targets.size()) + 1;
            }
            sendMap(targets.get(mapTurn++ % targets.size()), map);
        }
    }

    /** A fragment id exists: the frontier moves, and when it did is remembered (for pulls). */
    void learn(long id) {
        if (id > frontier) {
            frontier = id;
            history.add(id, now());
        }
    }

    /** When this member first knew fragment {@code id} existed; now if it does not yet. */
    long knownSince(long id) {
        return history.knownSince(id, now());
    }

    private void play(long now) {
        if (playout == null || player == null) {
            return;
        }
        if (!playout.started()) {
            long start = puller.startPoint(now);
            if (start < 0) {
                return;
            }
            playout.start(start);
        }
        long before = playout.skipped();
        playout.run(now, multicast.playoutHoldMicros(), ended() ? endId : Long.MAX_VALUE, (m, id) -> {
            if (m.type() != TcMessage.COMMAND_AMF0 && m.type() != TcMessage.COMMAND_AMF3) {
                counters.delivered();
            }
            player.deliver(m);
        });
        if (playout.skipped() > before) {
            counters.skipped(playout.skipped() - before);
        }
        if (ended() && playout.next() >= endId) {
            player.streamEnded(this);
        }
    }

    void close() {
        for (PeerMedia p : peers.values()) {
            p.close();
        }
        peers.clear();
    }

    @Override
    public String toString() {
        return "GroupMedia[" + name + " " + keyHex.substring(0, 8) + " " + role + "]";
    }
}
