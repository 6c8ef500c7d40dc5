package io.rtmfp4j.flash.group;

import io.rtmfp4j.flash.amf.AmfException;
import io.rtmfp4j.flash.net.ConnectionServices;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStreamMulticastInfo;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The group side of a NetStream on a groupspec ({@code NetStream.inGroup}, Flash's
 * {@code new NetStream(nc, groupspec)}; netgroup spec §8): it publishes a stream into the group,
 * or plays one of the group's streams by name and relays it to its neighbors. Applications use it
 * through {@link io.rtmfp4j.flash.net.NetStream}, which turns its events into the usual status
 * events and messages.
 *
 * <p>It belongs to the connection's NetGroup for that group: the one the application made, or
 * one it joins itself (and leaves when the last such stream closes). Methods may be called from
 * any thread; the work happens on the connection's loop, and the listener is called where the
 * connection's callbacks run.
 */
public final class MulticastStream {
    /** What the stream tells its NetStream. */
    public interface Listener {
        /** A status event for the stream's handler ({@code NetStream.Play.Start}, ...). */
        void onStatus(NetStatus status);

        /** An audio, video or data message of the stream played. */
        void onMessage(TcMessage message);
    }

    private final ConnectionServices services;
    private final Object owner;
    private final Listener listener;
    private volatile GroupMedia current;

    // Loop-thread state.
    private GroupEngine engine;
    private NetGroup implicitGroup;
    private MulticastSettings settings = MulticastSettings.DEFAULTS;
    private String playing;
    private boolean publishing;
    private boolean unpublishNotified;
    private boolean closed;

    private MulticastStream(ConnectionServices services, Object owner, Listener listener) {
        this.services = services;
        this.owner = Objects.requireNonNull(owner);
        this.listener = Objects.requireNonNull(listener);
    }

    /**
     * A stream in the group {@code groupspec} names, on the connection's NetGroup for it if it
     * has one, else on one it joins itself.
     *
     * @param owner the NetStream, which status events name as {@code info.stream}
     * @throws GroupSpecException if the groupspec cannot be read
     */
    public static MulticastStream open(NetConnection nc, String groupspec, Object owner, Listener listener) {
        GroupSpec spec = GroupSpec.parse(groupspec);
        MulticastStream s = new MulticastStream(nc.services(), owner, listener);
        nc.host().execute(e -> {
            GroupEngine existing = GroupService.of(s.services).engine(spec.groupIdHex());
            if (existing != null) {
                s.attach(existing);
                return;
            }
            s.implicitGroup = new NetGroup(nc, groupspec, true);
            // Runs after the group's own start, which the constructor queued.
            nc.host().execute(e2 -> s.attach(s.implicitGroup.engine()));
        });
        return s;
    }

    /** A stream in {@code group}'s group. */
    public static MulticastStream open(NetGroup group, Object owner, Listener listener) {
        MulticastStream s = new MulticastStream(group.services(), owner, listener);
        s.services.host().execute(e -> s.attach(group.engine()));
        return s;
    }

    private void attach(GroupEngine e) {
        if (closed) {
            return;
        }
        if (e.isClosed()) {
            connectStatus(Status.LEVEL_ERROR, Status.STREAM_CONNECT_FAILED, "the group could not be joined");
            closed = true;
            return;
        }
        engine = e;
        engine.multicast().attach(this);
        connectStatus(Status.LEVEL_STATUS, Status.STREAM_CONNECT_SUCCESS, "connected to the group");
    }

    /**
     * Publishes {@code name} into the group with these settings: {@code NetStream.Publish.Start},
     * or {@code Publish.BadName} for a name librtmfp could not read (empty, 127 UTF-8 bytes or
     * more) or a stream that already publishes or plays.
     */
    public void publish(String name, MulticastSettings s, boolean audioReliable, boolean videoReliable) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(s, "settings");
        services.host().execute(e -> {
            if (!usable(Status.PUBLISH_BAD_NAME)) {
                return;
            }
            if (publishing || playing != null) {
                status(Status.LEVEL_ERROR, Status.PUBLISH_BAD_NAME, "this stream already publishes or plays");
                return;
            }
            int bytes = name.getBytes(StandardCharsets.UTF_8).length;
            if (bytes == 0 || bytes > io.rtmfp4j.flash.group.wire.StreamAnnouncement.MAX_NAME_BYTES) {
                status(Status.LEVEL_ERROR, Status.PUBLISH_BAD_NAME, "a multicast stream name is 1 to "
                        + io.rtmfp4j.flash.group.wire.StreamAnnouncement.MAX_NAME_BYTES + " UTF-8 bytes");
                return;
            }
            publishing = true;
            settings = s;
            current = engine.multicast().publish(name, s, audioReliable, videoReliable);
            // As for any stream, a publisher never learns who plays; a member without the publish password is told
            // that those who hold it will refuse this one.
            status(Status.LEVEL_STATUS, Status.PUBLISH_START, "publishing '" + name + "' in the group"
                    + (engine.multicast().mayPublish() ? ""
                            : " without the group's publish password: members that hold it refuse the stream"));
        });
    }

    /**
     * Plays the group's stream {@code name}: {@code NetStream.Play.Reset} and {@code Play.Start}
     * at once, {@code Play.PublishNotify} when a publisher's stream is found (now or later).
     */
    public void play(String name, MulticastSettings s) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(s, "settings");
        services.host().execute(e -> {
            if (!usable(Status.PLAY_FAILED)) {
                return;
            }
            if (publishing || playing != null) {
                status(Status.LEVEL_ERROR, Status.PLAY_FAILED, "this stream already publishes or plays");
                return;
            }
            playing = name;
            settings = s;
            status(Status.LEVEL_STATUS, Status.PLAY_RESET, "playing and resetting '" + name + "'");
            status(Status.LEVEL_STATUS, Status.PLAY_START, "started playing '" + name + "' in the group");
            GroupMedia found = engine.multicast().playable(name);
            if (found != null) {
                bind(found);
            }
        });
    }

    private boolean usable(String failure) {
        if (closed || engine == null || engine.multicast().isClosed()) {
            status(Status.LEVEL_ERROR, failure, "the stream is not connected to its group");
            return false;
        }
        return true;
    }

    /** Publishes a message: audio, video or data. Ignored unless publishing. */
    public void write(TcMessage m) {
        services.host().execute(e -> {
            GroupMedia media = current;
            if (publishing && media != null && !closed) {
                media.publish(m);
            }
        });
    }

    /** Stops publishing (viewers see the stream end) or playing. */
    public void close() {
        services.host().execute(e -> {
            if (closed) {
                return;
            }
            closed = true;
            GroupMedia media = current;
            if (publishing && media != null) {
                media.unpublish();
                status(Status.LEVEL_STATUS, Status.UNPUBLISH_SUCCESS, "stopped publishing '" + media.name + "'");
            } else if (media != null) {
                media.stopPlaying();
            }
            if (engine != null) {
                engine.multicast().detach(this);
                if (implicitGroup != null && !engine.multicast().hasLocals()) {
                    implicitGroup.close();
                }
            }
        });
    }

    /**
     * The statistics of the stream published or played now, or last (after {@link #close}); all
     * zero before there is one.
     */
    public NetStreamMulticastInfo info() {
        GroupMedia media = current;
        return (media == null ? new MulticastCounters() : media.counters).info(services.host().now());
    }

    // ---------------------------------------------------------------- from the engine (loop thread)

    private void bind(GroupMedia media) {
        if (current != null) {
            status(Status.LEVEL_STATUS, Status.STREAM_MULTICAST_RESET, "now playing another publication of '"
                    + playing + "'");
        }
        current = media;
        unpublishNotified = false;
        media.play(this, settings);
        status(Status.LEVEL_STATUS, Status.PLAY_PUBLISH_NOTIFY, "'" + playing + "' is published in the group");
    }

    /** A stream only known so far was announced: played if it is ours to play and we play nothing live. */
    void announced(GroupMedia media) {
        GroupMedia now = current;
        if (closed || playing == null || !playing.equals(media.name) || now != null && !now.ended()) {
            return;
        }
        if (now != null) {
            now.player = null;
        }
        bind(media);
    }

    /** A message played. Commands are the stream's own: its status events, its end. */
    void deliver(TcMessage m) {
        if (m.type() == TcMessage.COMMAND_AMF0 || m.type() == TcMessage.COMMAND_AMF3) {
            try {
                Command c = Command.decode(m);
                if (c.name().equals(Command.ON_STATUS)) {
                    NetStatus s = NetStatus.from(c.statusInfo());
                    unpublishNotified |= s.code().equals(Status.PLAY_UNPUBLISH_NOTIFY);
                    emit(s);
                }
            } catch (AmfException | IllegalArgumentException malformed) {
                // A neighbor's garbage is dropped, as on every other input path.
            }
            return;
        }
        services.callbacks().execute(() -> listener.onMessage(m));
    }

    /** The stream played reached its end: what it held is still relayed, but no longer played. */
    void streamEnded(GroupMedia media) {
        if (media != current) {
            return;
        }
        media.player = null;
        if (!unpublishNotified) {
            unpublishNotified = true;
            status(Status.LEVEL_STATUS, Status.PLAY_UNPUBLISH_NOTIFY, "'" + media.name + "' is no longer published");
        }
        GroupMedia next = engine.multicast().playable(media.name);
        if (next != null && next != media) {
            bind(next);
        }
    }

    /** The group ended (left, or the connection closed): so does the stream. */
    void groupClosed() {
        if (closed) {
            return;
        }
        closed = true;
        connectStatus(Status.LEVEL_STATUS, Status.STREAM_CONNECT_CLOSED, "the group was left");
    }

    private void connectStatus(String level, String code, String description) {
        NetStatus s = NetStatus.of(level, code, description, Map.of("stream", owner));
        services.status(s);
        emit(s);
    }

    private void status(String level, String code, String description) {
        emit(NetStatus.of(level, code, description, Map.of()));
    }

    private void emit(NetStatus s) {
        services.callbacks().execute(() -> listener.onStatus(s));
    }
}
