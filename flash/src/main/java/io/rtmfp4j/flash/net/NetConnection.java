package io.rtmfp4j.flash.net;

import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.ConnectListener;
import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.SendFlowListener;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.session.SessionRole;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.amf.AmfException;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import io.rtmfp4j.flash.tc.TcMetadata;
import io.rtmfp4j.flash.tc.UserControl;
import io.rtmfp4j.runtime.EndpointHost;
import io.rtmfp4j.runtime.UdpEndpoint;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to a rendezvous server, and the endpoint from which this program talks to peers
 * directly, as Flash Player's {@code NetConnection} to {@code rtmfp://} was (RFC 7425 §5.3).
 *
 * <pre>{@code
 * try (NetConnection nc = NetConnection.builder().nickname("alice").build()) {
 *     nc.connect("rtmfp://127.0.0.1/chat").join();
 *     System.out.println("my peer ID: " + nc.nearId());
 *     PeerInfo bob = nc.lookup("bob").join();
 * }
 * }</pre>
 *
 * <p>After {@code Connect.Success} the connection tells the server its local addresses
 * ({@code setPeerInfo}), so the server can introduce peers to it, and applies the keepalive
 * periods the server announces. When the server connection is lost or closed, every peer
 * connection made through it closes too, as in Flash.
 *
 * <p>Threads: every method may be called from any thread. The connection lives on its
 * endpoint's loop thread; status listeners and stream handlers run there unless the builder was
 * given an {@linkplain Builder#callbackExecutor executor}. Do not block in a callback run on the
 * loop.
 */
public final class NetConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetConnection.class);
    /** The control flow's priority: time critical, as Flash and rtmfp-cpp send it (spec §6.2). */
    static final int CONTROL_PRIORITY = 5;
    /** The floor the Flash profile puts on keepalive periods a server announces (spec §6.4). */
    private static final Duration MIN_KEEPALIVE = Duration.ofSeconds(5);
    private static final double CONNECT_TID = 1;

    private enum State { IDLE, CONNECTING, CONNECTED, CLOSED }

    private final EndpointHost host;
    private final boolean ownsHost;
    private final Executor callbacks;
    private final String nearId;
    private final String nickname;
    private final List<NetStatusListener> listeners = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean closeCalled = new java.util.concurrent.atomic.AtomicBoolean();
    private final Map<String, Function<List<Object>, Object>> callHandlers = new java.util.concurrent.ConcurrentHashMap<>();

    // Loop-thread state.
    private volatile State state = State.IDLE;
    private volatile String farId;
    private volatile RtmfpUri url;
    private Endpoint endpoint;
    private List<InetSocketAddress> serverCandidates = List.of();
    private Session server;
    private SendFlow control;
    private CompletableFuture<NetConnection> connecting;
    private Object[] connectArguments;
    private double nextTid = CONNECT_TID + 1;
    private final Map<Double, CompletableFuture<Object>> pending = new HashMap<>();
    private Duration peerKeepalive;
    /** Direct-connection publishers by stream name. */
    private final Map<String, NetStream> published = new HashMap<>();
    /** Players by the flow on which they sent {@code play}: the publisher's flows answer that flow. */
    private final Map<SendFlow, NetStream> playing = new HashMap<>();
    private final List<NetStream> streams = new ArrayList<>();

    private NetConnection(EndpointHost host, boolean ownsHost, Executor callbacks, String nickname) {
        this.host = host;
        this.ownsHost = ownsHost;
        this.callbacks = callbacks;
        this.nickname = nickname;
        this.nearId = host.identity().certificate().peerId();
        host.execute(e -> {
            endpoint = e;
            e.setListener(new Listener());
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A connection on an endpoint someone else hosts (a simulation, or a shared runtime); it
     * becomes the endpoint's listener. Closing the connection leaves the host running.
     */
    public static NetConnection on(EndpointHost host, Executor callbackExecutor, String nickname) {
        return new NetConnection(host, false, callbackExecutor == null ? Runnable::run : callbackExecutor,
                checkNickname(nickname));
    }

    /** Options for a connection that binds its own UDP endpoint. */
    public static final class Builder {
        private InetSocketAddress bind = new InetSocketAddress(0);
        private PeerIdentity identity;
        private Executor callbackExecutor;
        private String nickname;

        private Builder() {
        }

        /** The local UDP address; by default every interface, a free port. */
        public Builder bind(InetSocketAddress address) {
            bind = Objects.requireNonNull(address);
            return this;
        }

        /** A fixed identity (and so peer ID); by default a fresh one. */
        public Builder identity(PeerIdentity identity) {
            this.identity = Objects.requireNonNull(identity);
            return this;
        }

        /** Where callbacks run; by default on the endpoint's loop thread. */
        public Builder callbackExecutor(Executor executor) {
            callbackExecutor = Objects.requireNonNull(executor);
            return this;
        }

        /**
         * A name to register with the server's presence service at connect, so others can
         * {@linkplain #lookup look this peer up} by name (docs/server.md, "Presence").
         */
        public Builder nickname(String name) {
            nickname = checkNickname(name);
            return this;
        }

        public NetConnection build() {
            PeerIdentity id = identity != null ? identity : PeerIdentity.newFlashClient(new SecureRandom());
            UdpEndpoint udp = UdpEndpoint.bind(EndpointConfig.builder(id).build(), List.of(bind), 1);
            return new NetConnection(udp, true, callbackExecutor == null ? Runnable::run : callbackExecutor,
                    nickname);
        }
    }

    private static String checkNickname(String name) {
        if (name != null && (name.isEmpty() || PeerIds.isPeerId(name))) {
            throw new IllegalArgumentException("a nickname must be non-empty and not look like a peer ID: " + name);
        }
        return name;
    }

    // ---------------------------------------------------------------- public API

    /** This endpoint's peer ID: 64 lowercase hex digits, known before connecting. */
    public String nearId() {
        return nearId;
    }

    /** The server's peer ID once connected, else empty. */
    public Optional<String> farId() {
        return Optional.ofNullable(farId);
    }

    /** The nickname given to the builder, if any. */
    public Optional<String> nickname() {
        return Optional.ofNullable(nickname);
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** The URL given to {@link #connect}, once called. */
    public Optional<RtmfpUri> url() {
        return Optional.ofNullable(url);
    }

    /** Where this connection's endpoint lives: its clock, its loop (for scheduling work next to it). */
    public EndpointHost host() {
        return host;
    }

    public void addStatusListener(NetStatusListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public void removeStatusListener(NetStatusListener listener) {
        listeners.remove(listener);
    }

    /**
     * Answers the server's calls to {@code name} (Flash's {@code NetConnection.client}): the
     * handler gets the arguments and its return value is the {@code _result}; an exception it
     * throws becomes an {@code _error}. Runs on the loop thread.
     */
    public void setCallHandler(String name, Function<List<Object>, Object> handler) {
        callHandlers.put(name, handler);
    }

    /**
     * Connects to {@code rtmfp://host[:port]/app}. Completes once the server answers
     * {@code NetConnection.Connect.Success}; fails with a {@link NetStatusException} carrying
     * {@code Connect.Rejected} (with the server's reason) or {@code Connect.Failed} (unreachable).
     * The extra arguments follow the connect object, as Flash's {@code connect(url, ...args)}.
     *
     * @throws IllegalArgumentException if the URL is not an rtmfp:// URL
     * @throws IllegalStateException    if connect was already called
     */
    public CompletableFuture<NetConnection> connect(String rtmfpUrl, Object... arguments) {
        RtmfpUri parsed = RtmfpUri.parse(rtmfpUrl);
        CompletableFuture<NetConnection> result = new CompletableFuture<>();
        List<InetSocketAddress> candidates;
        try {
            candidates = parsed.resolve();
        } catch (UnknownHostException e) {
            result.completeExceptionally(new NetStatusException(
                    NetStatus.of(Status.LEVEL_ERROR, Status.CONNECT_FAILED, "unknown host " + parsed.host())));
            return result;
        }
        synchronized (this) {
            if (state != State.IDLE) {
                throw new IllegalStateException("connect was already called");
            }
            state = State.CONNECTING;
        }
        url = parsed;
        Object[] args = arguments.clone();
        host.execute(e -> startConnect(parsed, candidates, args, result));
        return result;
    }

    /**
     * Calls a method on the server; completes with the value of its {@code _result} (the
     * argument after the properties object), or fails with a {@link NetStatusException} carrying
     * the {@code _error}'s info. Fails at once when not connected.
     */
    public CompletableFuture<Object> call(String command, Object... arguments) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Object[] args = arguments.clone();
        host.execute(e -> {
            if (state != State.CONNECTED) {
                result.completeExceptionally(notConnected());
                return;
            }
            double tid = nextTid++;
            pending.put(tid, result);
            write(Command.call(command, tid, args));
        });
        return result;
    }

    /**
     * Asks the server's presence service who {@code nameOrPeerId} is: a registered nickname or a
     * peer ID. Fails with {@code NetConnection.Lookup.NotFound} when no such peer is connected.
     */
    public CompletableFuture<PeerInfo> lookup(String nameOrPeerId) {
        return call("lookup", nameOrPeerId).thenApply(PeerInfo::from);
    }

    /**
     * Closes the server connection, every stream and every peer session; status listeners hear
     * {@code NetConnection.Connect.Closed}. Blocks until the endpoint is released when the
     * connection owns it.
     */
    @Override
    public void close() {
        if (closeCalled.getAndSet(true)) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        host.execute(e -> {
            shutdown(NetStatus.of(Status.LEVEL_STATUS, Status.CONNECT_CLOSED, "closed by the application"));
            done.complete(null);
        });
        if (ownsHost) {
            // The close above must run before the host goes; a host that is already closed never runs it.
            try {
                done.get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception timeoutOrInterrupt) {
                log.debug("closing the connection did not finish on the loop", timeoutOrInterrupt);
                if (timeoutOrInterrupt instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
            host.close();
        }
    }

    // ---------------------------------------------------------------- for NetStream (loop thread)

    Executor callbacks() {
        return callbacks;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    void register(NetStream stream) {
        streams.add(stream);
    }

    void unregister(NetStream stream) {
        streams.remove(stream);
        published.values().remove(stream);
        playing.values().remove(stream);
    }

    boolean isOpenForStreams() {
        return state == State.CONNECTED;
    }

    /** Claims a name for a publisher; false if another stream of this connection publishes it. */
    boolean publish(String name, NetStream stream) {
        return published.putIfAbsent(name, stream) == null || published.get(name) == stream;
    }

    void unpublish(String name, NetStream stream) {
        published.remove(name, stream);
    }

    void playing(SendFlow playFlow, NetStream stream) {
        playing.put(playFlow, stream);
    }

    /**
     * Opens (or reuses) a direct session to a peer: the server is the candidate, and introduces
     * us (RFC 7016 §3.5.1.5); the peer's own answer may come from any of its addresses.
     */
    void openPeer(String peerId, ConnectListener listener) {
        endpoint.connect(EndpointDiscriminator.forPeer(Hex.decode(peerId)), serverCandidates, host.now(),
                new ConnectListener() {
                    @Override
                    public void onOpen(Session session) {
                        applyPeerKeepalive(session);
                        listener.onOpen(session);
                    }

                    @Override
                    public void onFailure(CloseReason reason) {
                        listener.onFailure(reason);
                    }
                });
    }

    void emit(List<NetStatusListener> targets, NetStatus status) {
        for (NetStatusListener l : targets) {
            callbacks.execute(() -> {
                try {
                    l.onStatus(status);
                } catch (RuntimeException e) {
                    log.warn("a status listener failed on {}", status.code(), e);
                }
            });
        }
    }

    // ---------------------------------------------------------------- connecting

    private void startConnect(RtmfpUri target, List<InetSocketAddress> candidates, Object[] args,
            CompletableFuture<NetConnection> result) {
        if (state != State.CONNECTING) {
            result.completeExceptionally(notConnected());
            return;
        }
        connecting = result;
        connectArguments = args;
        serverCandidates = candidates;
        endpoint.connect(EndpointDiscriminator.forServerUri(target.text()), candidates, host.now(),
                new ConnectListener() {
                    @Override
                    public void onOpen(Session session) {
                        serverOpened(session);
                    }

                    @Override
                    public void onFailure(CloseReason reason) {
                        if (state == State.CONNECTING) {
                            shutdown(NetStatus.of(Status.LEVEL_ERROR, Status.CONNECT_FAILED,
                                    "could not open a session to " + target.host() + ":" + target.port() + ": "
                                            + describe(reason)));
                        }
                    }
                });
    }

    private void serverOpened(Session session) {
        if (state != State.CONNECTING) {
            session.close(host.now());
            return;
        }
        server = session;
        control = session.openFlow(TcMetadata.control().encode(), null, CONTROL_PRIORITY);
        control.setListener(new SendFlowListener() {
            @Override
            public void onException(SendFlow flow, long code) {
                serverLost("the server refused the control flow");
            }
        });
        Command connect = Command.connect(url.text(), 3.0, connectArguments);
        if (nickname != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = new LinkedHashMap<>((Map<String, Object>) connect.commandObject());
            object.put("nickname", nickname);
            connect = new Command(Command.CONNECT, CONNECT_TID, object, connect.arguments());
        }
        write(connect);
    }

    private void connectAnswered(Command answer) {
        NetStatus status = NetStatus.from(answer.arguments().isEmpty() ? null : answer.arguments().get(0));
        if (answer.name().equals(Command.RESULT)) {
            state = State.CONNECTED;
            farId = server.farPeerId().orElse(null);
            sendPeerInfo();
            emit(listeners, status);
            CompletableFuture<NetConnection> f = connecting;
            connecting = null;
            callbacks.execute(() -> f.complete(this));
        } else {
            shutdown(status.code().isEmpty()
                    ? NetStatus.of(Status.LEVEL_ERROR, Status.CONNECT_REJECTED, status.description())
                    : status);
        }
    }

    /**
     * setPeerInfo (spec §6.6 step 3): one "ip:port" per usable local address, so the server can
     * give them to peers that want us. The server adds the address it sees us from.
     */
    private void sendPeerInfo() {
        List<Object> addresses = new ArrayList<>();
        for (InetSocketAddress bound : host.localAddresses()) {
            for (InetAddress a : usable(bound.getAddress())) {
                addresses.add(a instanceof Inet6Address
                        ? "[" + a.getHostAddress().replaceAll("%.*$", "") + "]:" + bound.getPort()
                        : a.getHostAddress() + ":" + bound.getPort());
            }
        }
        if (!addresses.isEmpty()) {
            write(Command.call("setPeerInfo", 0, addresses.toArray()));
        }
    }

    /** A bound wildcard stands for every non-loopback, non-link-local address of its family. */
    private static List<InetAddress> usable(InetAddress bound) {
        if (!bound.isAnyLocalAddress()) {
            return bound.isLoopbackAddress() || bound.isLinkLocalAddress() ? List.of() : List.of(bound);
        }
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    boolean sameFamily = (a instanceof Inet6Address) == (bound instanceof Inet6Address);
                    if (sameFamily && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        out.add(a);
                    }
                }
            }
        } catch (SocketException e) {
            log.debug("cannot list network interfaces", e);
        }
        return out;
    }

    // ---------------------------------------------------------------- server messages

    private void onServerMessage(byte[] bytes) {
        TcMessage message;
        try {
            message = TcMessage.decode(bytes);
        } catch (AmfException e) {
            log.debug("dropped a malformed message from the server: {}", e.getMessage());
            return;
        }
        switch (message.type()) {
            case TcMessage.USER_CONTROL -> onUserControl(message);
            case TcMessage.COMMAND_AMF0, TcMessage.COMMAND_AMF3 -> {
                Command c;
                try {
                    c = Command.decode(message);
                } catch (AmfException e) {
                    log.debug("dropped a malformed command from the server: {}", e.getMessage());
                    return;
                }
                onServerCommand(c);
            }
            default -> log.debug("ignored a message of type {} from the server", message.type());
        }
    }

    private void onUserControl(TcMessage message) {
        UserControl event;
        try {
            event = UserControl.decode(message);
        } catch (AmfException e) {
            return;
        }
        if (event instanceof UserControl.SetKeepalive k) {
            server.setKeepalive(atLeast(Duration.ofMillis(k.serverPeriodMs())));
            peerKeepalive = atLeast(Duration.ofMillis(k.peerPeriodMs()));
            for (Session s : endpoint.sessions()) {
                applyPeerKeepalive(s);
            }
        }
    }

    private static Duration atLeast(Duration d) {
        return d.compareTo(MIN_KEEPALIVE) < 0 ? MIN_KEEPALIVE : d;
    }

    private void applyPeerKeepalive(Session s) {
        if (s != server && peerKeepalive != null && s.state() == io.rtmfp4j.core.session.SessionState.OPEN) {
            s.setKeepalive(peerKeepalive);
        }
    }

    private void onServerCommand(Command c) {
        double tid = c.transactionId();
        boolean answer = c.name().equals(Command.RESULT) || c.name().equals(Command.ERROR);
        if (answer && tid == CONNECT_TID && state == State.CONNECTING) {
            connectAnswered(c);
        } else if (answer) {
            CompletableFuture<Object> f = pending.remove(tid);
            if (f == null) {
                return;
            }
            Object value = c.arguments().isEmpty() ? null : c.arguments().get(0);
            if (c.name().equals(Command.RESULT)) {
                callbacks.execute(() -> f.complete(value));
            } else {
                callbacks.execute(() -> f.completeExceptionally(new NetStatusException(NetStatus.from(value))));
            }
        } else if (c.name().equals(Command.ON_STATUS)) {
            NetStatus status = NetStatus.from(c.arguments().isEmpty() ? null : c.arguments().get(0));
            if (Status.CONNECT_CLOSED.equals(status.code()) || Status.CONNECT_APP_SHUTDOWN.equals(status.code())
                    || Status.CONNECT_IDLE_TIMEOUT.equals(status.code())) {
                shutdown(status);
            } else {
                emit(listeners, status);
            }
        } else if (state == State.CONNECTED) {
            answerServerCall(c);
        }
    }

    private void answerServerCall(Command c) {
        Function<List<Object>, Object> handler = callHandlers.get(c.name());
        if (handler == null) {
            if (c.transactionId() > 0) {
                write(Command.error(c.transactionId(), null,
                        Status.info(Status.LEVEL_ERROR, Status.CALL_FAILED, "no handler for " + c.name())));
            }
            return;
        }
        try {
            Object value = handler.apply(c.arguments());
            if (c.transactionId() > 0) {
                write(Command.result(c.transactionId(), null, value));
            }
        } catch (RuntimeException e) {
            if (c.transactionId() > 0) {
                write(Command.error(c.transactionId(), null,
                        Status.info(Status.LEVEL_ERROR, Status.CALL_FAILED, String.valueOf(e.getMessage()))));
            }
        }
    }

    private void write(Command c) {
        if (control != null && control.state() == SendFlow.State.OPEN) {
            control.write(c.toMessage().encode());
        }
    }

    // ---------------------------------------------------------------- closing

    private void serverLost(String why) {
        if (state == State.CONNECTING) {
            shutdown(NetStatus.of(Status.LEVEL_ERROR, Status.CONNECT_FAILED, why));
        } else if (state == State.CONNECTED) {
            shutdown(NetStatus.of(Status.LEVEL_STATUS, Status.CONNECT_CLOSED, why));
        }
    }

    /**
     * Ends everything once: streams, peer sessions (Flash closes them with the server
     * connection), the server session, waiting calls; then tells the listeners.
     */
    private void shutdown(NetStatus status) {
        State was = state;
        if (was == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        long now = host.now();
        for (NetStream s : List.copyOf(streams)) {
            s.connectionClosed();
        }
        streams.clear();
        published.clear();
        playing.clear();
        if (endpoint != null) {
            for (Session s : List.copyOf(endpoint.sessions())) {
                s.close(now);
            }
        }
        NetStatusException failure = new NetStatusException(status);
        for (CompletableFuture<Object> f : pending.values()) {
            callbacks.execute(() -> f.completeExceptionally(failure));
        }
        pending.clear();
        if (connecting != null) {
            CompletableFuture<NetConnection> f = connecting;
            connecting = null;
            callbacks.execute(() -> f.completeExceptionally(failure));
        }
        if (was != State.IDLE) {
            emit(listeners, status);
        }
    }

    private NetStatusException notConnected() {
        return new NetStatusException(NetStatus.of(Status.LEVEL_ERROR, Status.CALL_FAILED, "not connected"));
    }

    private static String describe(CloseReason reason) {
        return reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    // ---------------------------------------------------------------- endpoint events

    private final class Listener implements EndpointListener {
        @Override
        public void onSessionOpen(Session session) {
            if (session.role() == SessionRole.RESPONDER) {
                applyPeerKeepalive(session);
            }
        }

        @Override
        public void onSessionClosed(Session session, CloseReason reason) {
            if (session == server) {
                serverLost("the server session ended: " + describe(reason));
                return;
            }
            for (NetStream s : List.copyOf(streams)) {
                s.peerSessionClosed(session);
            }
        }

        @Override
        public void onFlow(ReceiveFlow flow) {
            Optional<TcMetadata> tc = TcMetadata.parse(flow.metadata());
            if (tc.isEmpty() || state == State.CLOSED) {
                return;
            }
            if (flow.session() == server) {
                onServerFlow(flow, tc.get());
            } else {
                onPeerFlow(flow, tc.get());
            }
        }

        @Override
        public void onInternalError(RuntimeException error) {
            log.warn("internal error on the connection's endpoint", error);
        }
    }

    /** The server's control flow answers ours; other server flows (server-side streams) are not used by direct P2P. */
    private void onServerFlow(ReceiveFlow flow, TcMetadata tc) {
        if (tc.streamId() != 0 || flow.association() != control) {
            return;
        }
        flow.accept(new ReceiveFlowHandler() {
            @Override
            public void onMessage(ReceiveFlow f, byte[] message) {
                onServerMessage(message);
            }

            @Override
            public void onComplete(ReceiveFlow f) {
                // Either control flow ending ends the connection (spec §6.2).
                serverLost("the server closed the connection");
            }
        });
    }

    /**
     * A peer's TC flow: a publisher's answer to one of our {@code play} flows, or a subscriber
     * asking one of our direct-connection publishers to {@code play} (spec §6.8).
     */
    private void onPeerFlow(ReceiveFlow flow, TcMetadata tc) {
        NetStream player = flow.association() == null ? null : playing.get(flow.association());
        if (player != null) {
            player.acceptPublisherFlow(flow);
        } else if (flow.association() == null && tc.streamId() != 0) {
            flow.accept(new PlayRequest(this, flow));
        }
    }

    /** Routes a subscriber's {@code play} to the publisher of that name, or says there is none. */
    void playRequested(ReceiveFlow flow, String name, PlayRequest request) {
        NetStream publisher = published.get(name);
        if (publisher == null) {
            request.notFound(name);
        } else {
            publisher.subscriberArrived(flow, name, request);
        }
    }
}
