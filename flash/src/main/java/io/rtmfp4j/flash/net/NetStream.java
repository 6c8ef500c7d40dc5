package io.rtmfp4j.flash.net;

import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.ConnectListener;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.SendFlowListener;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.session.WriteReceipt;
import io.rtmfp4j.flash.amf.AmfException;
import io.rtmfp4j.flash.group.GroupSpecException;
import io.rtmfp4j.flash.group.MulticastSettings;
import io.rtmfp4j.flash.group.MulticastStream;
import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.DataMessage;
import io.rtmfp4j.flash.tc.MediaFrames;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import io.rtmfp4j.flash.tc.TcMetadata;
import io.rtmfp4j.flash.tc.UserControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A direct peer-to-peer stream (Flash's {@code NetStream} with
 * {@code NetStream.DIRECT_CONNECTIONS}, RFC 7425 §5.4, spec §6.8): either a publisher, which peers
 * play from directly, or a player of one peer's stream. No media goes through the server; it only
 * introduces the peers.
 *
 * <pre>{@code
 * // publisher
 * NetStream out = NetStream.publisher(nc);
 * out.onPeerConnect(peer -> !blocked.contains(peer.farId()));
 * out.publish("chat");
 * out.send("onMessage", "hello");
 *
 * // player, on another peer
 * NetStream in = NetStream.player(nc, publisherPeerId);
 * in.setHandler(new NetStreamHandler() {
 *     public void onData(String handler, List<Object> args) { System.out.println(args); }
 * });
 * in.play("chat");
 * }</pre>
 *
 * <p>Data sent with {@link #send} is reliable and in order. Audio and video are live: a frame
 * not delivered within the {@linkplain #setMediaDeadline media deadline} is abandoned (RFC 7016
 * §3.6.2.3) rather than delaying the frames after it, unless made reliable like Flash's
 * {@code audioReliable}/{@code videoReliable}; a video frame whose key frame was abandoned is
 * abandoned too.
 *
 * <p>Status events ({@code NetStream.Publish.Start}, {@code NetStream.Connect.Success} with the
 * peer's {@code peerId}, {@code NetStream.Play.Start}, {@code NetStream.Connect.Closed}, ...) go
 * to the {@link NetStreamHandler}. Methods may be called from any thread; see
 * {@link NetConnection} for where callbacks run.
 *
 * <p>A stream {@linkplain #inGroup in a group} (Flash's {@code new NetStream(nc, groupspec)},
 * application-level multicast) publishes into the group, or plays by name what a member of the
 * group publishes; every player relays it to its neighbors, so the publisher's upload does not
 * grow with the audience. See {@code docs/groups.md}, "Multicast streams".
 */
public final class NetStream implements AutoCloseable {
    /**
     * The stream ID Flash and librtmfp put in a direct play flow's metadata (spec §6.1); every
     * flow is routed on its own, so one value serves every stream.
     */
    static final long DIRECT_STREAM_ID = 2_000_001;
    /** How long a live audio or video frame may take to arrive before it is given up. */
    public static final Duration DEFAULT_MEDIA_DEADLINE = Duration.ofSeconds(1);

    private final NetConnection nc;
    /** The publisher a player plays from; null on a publisher and on a stream in a group. */
    private final String peerId;
    /** The group side of a stream in a group; null on a direct stream. */
    private final MulticastStream multicast;
    private volatile MulticastSettings multicastSettings = MulticastSettings.DEFAULTS;
    private volatile boolean playsInGroup;
    private volatile NetStreamHandler handler = new NetStreamHandler() {
    };
    private volatile Predicate<PeerStream> onPeerConnect = peer -> true;
    private volatile boolean audioReliable;
    private volatile boolean videoReliable;
    private volatile Duration mediaDeadline = DEFAULT_MEDIA_DEADLINE;
    /** {@link #holdMessages}: set from any thread, read on the loop before each message. */
    private volatile boolean held;
    private final List<PeerStream> subscribers = new CopyOnWriteArrayList<>();

    // Loop-thread state.
    private boolean closed;
    private String publishName;
    /** What a viewer joining mid-stream needs before any frame: metadata and decoder configurations. */
    private TcMessage metadata;
    private TcMessage audioConfig;
    private TcMessage videoConfig;
    private Session peerSession;
    private SendFlow playFlow;
    private final List<ReceiveFlow> publisherFlows = new ArrayList<>();
    private boolean ended;

    private NetStream(NetConnection nc, String peerId) {
        this.nc = Objects.requireNonNull(nc);
        this.peerId = peerId;
        this.multicast = null;
    }

    private NetStream(NetConnection nc, java.util.function.Function<NetStream, MulticastStream> group) {
        this.nc = Objects.requireNonNull(nc);
        this.peerId = null;
        this.multicast = group.apply(this);
    }

    /** A stream peers play from directly ({@code new NetStream(nc, NetStream.DIRECT_CONNECTIONS)}). */
    public static NetStream publisher(NetConnection nc) {
        return new NetStream(nc, (String) null);
    }

    /** A stream that plays what {@code publisherPeerId} publishes ({@code new NetStream(nc, farID)}). */
    public static NetStream player(NetConnection nc, String publisherPeerId) {
        return new NetStream(nc, PeerIds.normalize(publisherPeerId));
    }

    /**
     * A stream in the group {@code groupspec} names ({@code new NetStream(nc, groupspec)} in
     * Flash): {@link #publish} sends into the group, {@link #play} plays a stream the group
     * carries. It uses the connection's {@link NetGroup} for that group if one was made, else
     * joins the group itself; since a connection has one NetGroup per group, make the NetGroup
     * first when the application wants both ({@link #inGroup(NetConnection, NetGroup)}). {@code
     * NetStream.Connect.Success} (to the connection's listeners and the handler) says the stream is
     * in the group, {@code Connect.Failed} that the group could not be joined.
     *
     * @throws GroupSpecException if the groupspec cannot be read
     */
    public static NetStream inGroup(NetConnection nc, String groupspec) {
        return new NetStream(nc, s -> MulticastStream.open(nc, groupspec, s, s.new GroupEvents()));
    }

    /** A stream in {@code group}'s group, on that NetGroup. */
    public static NetStream inGroup(NetConnection nc, NetGroup group) {
        return new NetStream(nc, s -> MulticastStream.open(group, s, s.new GroupEvents()));
    }

    /** Whether this stream is in a group ({@link #inGroup}) rather than direct. */
    public boolean isMulticast() {
        return multicast != null;
    }

    /** A publisher: a direct publisher, or a stream in a group that does not play. */
    public boolean isPublisher() {
        return peerId == null && !playsInGroup;
    }

    /** The publisher's peer ID on a player; empty on a publisher. */
    public java.util.Optional<String> farId() {
        return java.util.Optional.ofNullable(peerId);
    }

    public void setHandler(NetStreamHandler h) {
        handler = Objects.requireNonNull(h);
    }

    /**
     * Whether {@code h} takes data messages as {@link NetStreamHandler#onMessage}'s default does,
     * so that a direct player may read them where they arrived instead of copying each payload
     * into a {@link TcMessage} first (bulk data, such as a file's chunks, is mostly payload).
     */
    private static boolean decodesDataByDefault(NetStreamHandler h) {
        return DECODES_DATA_BY_DEFAULT.get(h.getClass());
    }

    private static final ClassValue<Boolean> DECODES_DATA_BY_DEFAULT = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("onMessage", TcMessage.class).getDeclaringClass() == NetStreamHandler.class;
            } catch (NoSuchMethodException e) {
                throw new AssertionError("NetStreamHandler declares onMessage(TcMessage)", e);
            }
        }
    };

    /** {@link NetStreamHandler#onMessage}'s default for a data message: its handler name and arguments to {@code onData}. */
    static void toOnData(NetStreamHandler h, DataMessage data) {
        if (!data.values().isEmpty() && data.values().get(0) instanceof String name && !name.equals(NetStreamHandler.SAMPLE_ACCESS)) {
            h.onData(name, data.values().subList(1, data.values().size()));
        }
    }

    /**
     * Decides whether a peer may play this stream (Flash's {@code onPeerConnect}); a refused peer
     * sees {@code NetStream.Connect.Rejected}. Runs on the loop thread, always, since the answer
     * is needed there: keep it quick.
     */
    public void onPeerConnect(Predicate<PeerStream> decide) {
        onPeerConnect = Objects.requireNonNull(decide);
    }

    public void setAudioReliable(boolean reliable) {
        audioReliable = reliable;
    }

    public void setVideoReliable(boolean reliable) {
        videoReliable = reliable;
    }

    /** How late a live audio or video frame may be before it is abandoned; see the class comment. */
    public void setMediaDeadline(Duration deadline) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the media deadline must be positive");
        }
        mediaDeadline = deadline;
    }

    /** The peers playing this stream now. */
    public List<PeerStream> peerStreams() {
        return List.copyOf(subscribers);
    }

    /**
     * Starts publishing under {@code name} for direct connections: {@code NetStream.Publish.Start},
     * or {@code NetStream.Publish.BadName} when another stream of this connection publishes it.
     */
    public void publish(String name) {
        Objects.requireNonNull(name, "name");
        if (multicast != null) {
            multicast.publish(name, multicastSettings, audioReliable, videoReliable);
            return;
        }
        requirePublisher(true);
        nc.host().execute(e -> {
            if (closed) {
                return;
            }
            if (!nc.isOpenForStreams()) {
                status(Status.LEVEL_ERROR, Status.PUBLISH_BAD_NAME, "the connection is not connected", Map.of());
                return;
            }
            if (publishName != null || !nc.streams().publish(name, this)) {
                status(Status.LEVEL_ERROR, Status.PUBLISH_BAD_NAME, "'" + name + "' is already published", Map.of());
                return;
            }
            publishName = name;
            nc.streams().register(this);
            status(Status.LEVEL_STATUS, Status.PUBLISH_START, "publishing '" + name + "' for direct connections",
                    Map.of());
        });
    }

    /**
     * Plays {@code name} from the publisher: opens (or reuses) a direct session to it through the
     * server's introduction, then asks for the stream. {@code NetStream.Connect.Success} says the
     * session is up; the publisher answers with {@code NetStream.Play.Start}, or
     * {@code NetStream.Play.StreamNotFound}; {@code NetStream.Connect.Rejected} if it refused us,
     * {@code NetStream.Connect.Failed} if no session could be opened.
     */
    public void play(String name) {
        Objects.requireNonNull(name, "name");
        if (multicast != null) {
            playsInGroup = true;
            multicast.play(name, multicastSettings);
            return;
        }
        requirePublisher(false);
        nc.host().execute(e -> {
            if (closed) {
                return;
            }
            if (!nc.isOpenForStreams()) {
                status(Status.LEVEL_ERROR, Status.PLAY_FAILED, "the connection is not connected", Map.of());
                return;
            }
            if (playFlow != null) {
                status(Status.LEVEL_ERROR, Status.PLAY_FAILED, "this stream already plays", Map.of());
                return;
            }
            nc.streams().register(this);
            nc.peers().open(peerId, List.of(), new ConnectListener() {
                @Override
                public void onOpen(Session session) {
                    startPlaying(session, name);
                }

                @Override
                public void onFailure(CloseReason reason) {
                    if (!closed) {
                        end(Status.LEVEL_ERROR, Status.STREAM_CONNECT_FAILED,
                                "no session to the publisher: " + reason.name().toLowerCase(java.util.Locale.ROOT));
                    }
                }
            });
        });
    }

    /**
     * Sends a data message {@code handler(arguments...)} to every subscriber, reliably and in
     * order (Flash's {@code NetStream.send}). Completes when every peer playing at the time has
     * acknowledged it, which gives a sender of bulk data its back-pressure; fails if a
     * subscriber went away before acknowledging it.
     */
    public CompletableFuture<Void> send(String handler, Object... arguments) {
        return write(dataMessage(handler, arguments).toMessage());
    }

    static DataMessage dataMessage(String handler, Object... arguments) {
        Object[] values = new Object[arguments.length + 1];
        values[0] = Objects.requireNonNull(handler, "handler");
        System.arraycopy(arguments, 0, values, 1, arguments.length);
        return DataMessage.of(values);
    }

    /** Sends an audio message (an FLV audio tag body) with its timestamp in milliseconds. */
    public CompletableFuture<Void> sendAudio(long timestamp, byte[] body) {
        return write(new TcMessage(TcMessage.AUDIO, timestamp, body.clone()));
    }

    /** Sends a video message (an FLV video tag body) with its timestamp in milliseconds. */
    public CompletableFuture<Void> sendVideo(long timestamp, byte[] body) {
        return write(new TcMessage(TcMessage.VIDEO, timestamp, body.clone()));
    }

    /**
     * Sends any audio, video or data message as it stands; the way to relay FLV tags (a script
     * tag's body is a data message). Metadata ({@code onMetaData}, {@code @setDataFrame}) and
     * decoder configurations are kept for peers that join later.
     */
    public CompletableFuture<Void> write(TcMessage message) {
        requirePublisher(true);
        int type = message.type();
        if (type != TcMessage.AUDIO && type != TcMessage.VIDEO && type != TcMessage.DATA_AMF0
                && type != TcMessage.DATA_AMF3) {
            throw new IllegalArgumentException("a stream carries audio, video and data messages, not type " + type);
        }
        if (multicast != null) {
            // In a group a message is out of our hands once cut into fragments: there is no one receiver to wait for.
            multicast.write(message);
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        nc.host().execute(e -> {
            if (closed || publishName == null) {
                result.completeExceptionally(new IllegalStateException("the stream is not publishing"));
                return;
            }
            remember(message);
            List<WriteReceipt> receipts = new ArrayList<>();
            for (PeerStream s : subscribers) {
                WriteReceipt r = type == TcMessage.AUDIO || type == TcMessage.VIDEO
                        ? s.writeMedia(message, type == TcMessage.AUDIO ? audioReliable : videoReliable, mediaDeadline)
                        : s.writeData(message);
                if (r != null) {
                    receipts.add(r);
                }
            }
            settleAll(receipts, result, false);
        });
        return result;
    }

    /** Stops publishing or playing; peers see the stream end. */
    @Override
    public void close() {
        if (multicast != null) {
            multicast.close();
            return;
        }
        nc.host().execute(e -> {
            if (closed) {
                return;
            }
            if (isPublisher()) {
                for (PeerStream s : subscribers) {
                    dropSubscriber(s, "the publisher closed the stream");
                }
                if (publishName != null) {
                    nc.streams().unpublish(publishName, this);
                    status(Status.LEVEL_STATUS, Status.UNPUBLISH_SUCCESS, "stopped publishing '" + publishName + "'",
                            Map.of());
                }
            } else {
                ended = true;
                if (playFlow != null && playFlow.state() == SendFlow.State.OPEN) {
                    playFlow.write(Command.call(Command.CLOSE_STREAM, 0).toMessage().encode());
                    playFlow.close();
                }
            }
            closed = true;
            nc.streams().unregister(this);
        });
    }

    /**
     * Holds back a direct player's incoming messages, for a consumer slower than the network (a
     * disk, say): from the next message on, the publisher's flow keeps what arrives in its receive
     * buffer, whose advertised window closes as it fills, so the publisher stops sending (RFC 7016
     * §3.6.3.5) instead of the messages piling up here. Called from {@link NetStreamHandler}
     * running on the loop thread, no message follows the one being handled;
     * {@link #releaseMessages} delivers the held ones and reopens the window.
     */
    public void holdMessages() {
        held = true;
    }

    /** Undoes {@link #holdMessages}: the held messages are delivered, then the rest as it arrives. */
    public void releaseMessages() {
        held = false;
        nc.host().execute(e -> {
            for (ReceiveFlow f : publisherFlows) {
                if (held) {
                    return;
                }
                f.resume();
            }
        });
    }

    // ---------------------------------------------------------------- publisher side (loop thread)

    /** The connection this stream belongs to. */
    public NetConnection connection() {
        return nc;
    }

    void subscriberArrived(ReceiveFlow flow, String name, PlayRequest request) {
        PeerStream peer = new PeerStream(this, flow, name);
        boolean accepted;
        try {
            accepted = onPeerConnect.test(peer);
        } catch (RuntimeException e) {
            accepted = false;
        }
        if (!accepted) {
            // A Flow Exception tells the subscriber it was refused (RFC 7016 §3.6.3.7).
            flow.reject(0);
            return;
        }
        peer.open();
        request.attach(peer);
        subscribers.add(peer);
        long sid = TcMetadata.parse(flow.metadata()).map(TcMetadata::streamId).orElse(DIRECT_STREAM_ID);
        // What Flash sends a new subscriber (spec §6.8): StreamBegin, Play.Reset, Play.Start, sample access.
        peer.writeData(new UserControl.StreamBegin(sid).toMessage());
        peer.writeData(Command.onStatus(Status.info(Status.LEVEL_STATUS, Status.PLAY_RESET,
                "playing and resetting '" + name + "'")).toMessage());
        peer.writeData(Command.onStatus(Status.info(Status.LEVEL_STATUS, Status.PLAY_START,
                "started playing '" + name + "'")).toMessage());
        peer.writeData(DataMessage.of(NetStreamHandler.SAMPLE_ACCESS, true, true).toMessage());
        if (metadata != null) {
            peer.writeData(metadata);
        }
        for (TcMessage config : new TcMessage[] {videoConfig, audioConfig}) {
            if (config != null) {
                peer.writeMedia(config, true, mediaDeadline);
            }
        }
        status(Status.LEVEL_STATUS, Status.STREAM_CONNECT_SUCCESS, "a peer plays '" + name + "'",
                Map.of("peerId", peer.farId()));
    }

    void dropSubscriber(PeerStream peer, String why) {
        if (subscribers.remove(peer)) {
            peer.shut();
            status(Status.LEVEL_STATUS, Status.STREAM_CONNECT_CLOSED, why, Map.of("peerId", peer.farId()));
        }
    }

    private void remember(TcMessage m) {
        if (m.type() == TcMessage.DATA_AMF0 || m.type() == TcMessage.DATA_AMF3) {
            if (DataMessage.isMetadata(m)) {
                metadata = m;
            }
        } else if (MediaFrames.isSequenceHeader(m.type(), m.payload())) {
            if (m.type() == TcMessage.VIDEO) {
                videoConfig = m;
            } else {
                audioConfig = m;
            }
        }
    }

    /**
     * Completes {@code result} once every receipt is delivered, or fails it at the first one
     * abandoned; {@code gone} fails it at once (the only peer it was for has left).
     */
    void settleAll(List<WriteReceipt> receipts, CompletableFuture<Void> result, boolean gone) {
        if (gone) {
            nc.callbacks().execute(() -> result.completeExceptionally(
                    new IllegalStateException("the subscriber is no longer playing")));
            return;
        }
        if (receipts.isEmpty()) {
            nc.callbacks().execute(() -> result.complete(null));
            return;
        }
        int[] left = {receipts.size()};
        boolean[] failed = {false};
        for (WriteReceipt r : receipts) {
            r.onSettle(settled -> {
                if (failed[0]) {
                    return;
                }
                if (settled.status() == WriteReceipt.Status.ABANDONED) {
                    failed[0] = true;
                    nc.callbacks().execute(() -> result.completeExceptionally(
                            new IllegalStateException("a subscriber did not receive the message")));
                } else if (--left[0] == 0) {
                    nc.callbacks().execute(() -> result.complete(null));
                }
            });
        }
    }

    // ---------------------------------------------------------------- player side (loop thread)

    private void startPlaying(Session session, String name) {
        if (closed) {
            return;
        }
        peerSession = session;
        playFlow = session.openFlow(TcMetadata.stream(DIRECT_STREAM_ID).encode(), null, ServerChannel.CONTROL_PRIORITY);
        playFlow.setListener(new SendFlowListener() {
            @Override
            public void onException(SendFlow flow, long code) {
                end(Status.LEVEL_ERROR, Status.STREAM_CONNECT_REJECTED, "the publisher refused the connection");
            }
        });
        nc.streams().playing(playFlow, this);
        playFlow.write(Command.call(Command.PLAY, 0, name).toMessage().encode());
        status(Status.LEVEL_STATUS, Status.STREAM_CONNECT_SUCCESS, "connected to the publisher",
                Map.of("peerId", peerId));
    }

    void acceptPublisherFlow(ReceiveFlow flow) {
        if (closed) {
            return;
        }
        publisherFlows.add(flow);
        flow.accept(new ReceiveFlowHandler() {
            @Override
            public void onMessage(ReceiveFlow f, byte[] bytes) {
                onPublisherMessage(bytes);
                if (held) {
                    f.pause();
                }
            }

            @Override
            public void onComplete(ReceiveFlow f) {
                // The publisher closes its flows when it stops or drops us.
                end(Status.LEVEL_STATUS, Status.STREAM_CONNECT_CLOSED, "the publisher closed the stream");
            }
        });
    }

    private void onPublisherMessage(byte[] bytes) {
        if (closed) {
            return;
        }
        NetStreamHandler h = handler;
        if (bytes.length >= TcMessage.HEADER_SIZE && (bytes[0] == TcMessage.DATA_AMF0 || bytes[0] == TcMessage.DATA_AMF3)
                && decodesDataByDefault(h)) {
            DataMessage data;
            try {
                data = DataMessage.decode(bytes);
            } catch (AmfException malformed) {
                return;
            }
            nc.callbacks().execute(() -> toOnData(h, data));
            return;
        }
        TcMessage m;
        try {
            m = TcMessage.decode(bytes);
        } catch (AmfException e) {
            return;
        }
        switch (m.type()) {
            case TcMessage.COMMAND_AMF0, TcMessage.COMMAND_AMF3 -> {
                try {
                    Command c = Command.decode(m);
                    if (c.name().equals(Command.ON_STATUS)) {
                        deliverStatus(NetStatus.from(c.statusInfo()));
                    }
                } catch (AmfException malformed) {
                    // dropped, as any malformed message from a peer
                }
            }
            case TcMessage.AUDIO, TcMessage.VIDEO, TcMessage.DATA_AMF0, TcMessage.DATA_AMF3 -> {
                nc.callbacks().execute(() -> h.onMessage(m));
            }
            default -> {
                // User control (StreamBegin, Flow Sync) needs no action from a live player.
            }
        }
    }

    /** The publisher's session ended; on a publisher, drops the subscribers that were on it. */
    void peerSessionClosed(Session session) {
        if (isPublisher()) {
            for (PeerStream s : subscribers) {
                if (s.session() == session) {
                    dropSubscriber(s, "the subscriber's session ended");
                }
            }
        } else if (session == peerSession) {
            end(Status.LEVEL_STATUS, Status.STREAM_CONNECT_CLOSED, "the session to the publisher ended");
        }
    }

    /** The NetConnection closed: every stream closes with it, as in Flash. */
    void connectionClosed() {
        if (closed) {
            return;
        }
        if (isPublisher()) {
            for (PeerStream s : subscribers) {
                dropSubscriber(s, "the connection closed");
            }
        } else {
            end(Status.LEVEL_STATUS, Status.STREAM_CONNECT_CLOSED, "the connection closed");
        }
        closed = true;
    }

    /** A player's stream ends once, whatever ended it. */
    private void end(String level, String code, String description) {
        if (ended) {
            return;
        }
        ended = true;
        if (playFlow != null) {
            playFlow.close();
        }
        status(level, code, description, peerId == null ? Map.of() : Map.of("peerId", peerId));
    }

    // ---------------------------------------------------------------- status

    private void status(String level, String code, String description, Map<String, Object> extra) {
        deliverStatus(NetStatus.of(level, code, description, extra));
    }

    private void deliverStatus(NetStatus s) {
        NetStreamHandler h = handler;
        nc.callbacks().execute(() -> h.onStatus(s));
    }

    // ---------------------------------------------------------------- multicast (Flash's NetStream properties)

    /**
     * The statistics of a stream in a group ({@code NetStream.multicastInfo}).
     *
     * @throws IllegalStateException on a direct stream
     */
    public NetStreamMulticastInfo multicastInfo() {
        return requireMulticast().info();
    }

    /** All multicast properties at once; as each setter, read at {@link #publish} or {@link #play}. */
    public MulticastSettings multicastSettings() {
        return multicastSettings;
    }

    public void setMulticastSettings(MulticastSettings settings) {
        multicastSettings = Objects.requireNonNull(settings);
    }

    /** {@code multicastWindowDuration}: how much of the stream (8 s) members keep for each other; a publisher's applies to its viewers. */
    public Duration multicastWindowDuration() {
        return multicastSettings.windowDuration();
    }

    public void setMulticastWindowDuration(Duration d) {
        multicastSettings = multicastSettings.withWindowDuration(d);
    }

    /** {@code multicastRelayMarginDuration}: kept this much (2 s) longer than the window, for neighbors a little behind. */
    public Duration multicastRelayMarginDuration() {
        return multicastSettings.relayMarginDuration();
    }

    public void setMulticastRelayMarginDuration(Duration d) {
        multicastSettings = multicastSettings.withRelayMarginDuration(d);
    }

    /** {@code multicastAvailabilityUpdatePeriod}: how often (100 ms) members say which fragments they hold. */
    public Duration multicastAvailabilityUpdatePeriod() {
        return multicastSettings.availabilityUpdatePeriod();
    }

    public void setMulticastAvailabilityUpdatePeriod(Duration d) {
        multicastSettings = multicastSettings.withAvailabilityUpdatePeriod(d);
    }

    /** {@code multicastFetchPeriod}: how long (2.5 s) a fragment known to exist may go without being fetched. */
    public Duration multicastFetchPeriod() {
        return multicastSettings.fetchPeriod();
    }

    public void setMulticastFetchPeriod(Duration d) {
        multicastSettings = multicastSettings.withFetchPeriod(d);
    }

    /** {@code multicastPushNeighborLimit}: to how many neighbors (4) each fragment is pushed at most. */
    public int multicastPushNeighborLimit() {
        return multicastSettings.pushNeighborLimit();
    }

    public void setMulticastPushNeighborLimit(int limit) {
        multicastSettings = multicastSettings.withPushNeighborLimit(limit);
    }

    /** {@code multicastAvailabilitySendToAll}: whether maps go to every neighbor each period (false: one in turn). */
    public boolean multicastAvailabilitySendToAll() {
        return multicastSettings.availabilitySendToAll();
    }

    public void setMulticastAvailabilitySendToAll(boolean all) {
        multicastSettings = multicastSettings.withAvailabilitySendToAll(all);
    }

    private MulticastStream requireMulticast() {
        if (multicast == null) {
            throw new IllegalStateException("a direct stream has no multicast properties: see NetStream.inGroup");
        }
        return multicast;
    }

    /** A stream in a group's events: to the handler, as a direct stream's are. */
    private final class GroupEvents implements MulticastStream.Listener {
        @Override
        public void onStatus(NetStatus status) {
            handler.onStatus(status);
        }

        @Override
        public void onMessage(TcMessage message) {
            handler.onMessage(message);
        }
    }

    private void requirePublisher(boolean publisher) {
        if (isPublisher() != publisher) {
            throw new IllegalStateException(publisher ? "only a publisher (NetStream.publisher) can do this"
                    : "only a player (NetStream.player) can do this");
        }
    }
}
