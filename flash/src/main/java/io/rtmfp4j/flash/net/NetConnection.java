package io.rtmfp4j.flash.net;

import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.FlowRouter;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMetadata;
import io.rtmfp4j.runtime.EndpointHost;
import io.rtmfp4j.runtime.UdpEndpoint;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>Inside, the endpoint's flows are {@linkplain FlowRouter routed} by their metadata: the
 * server's control flow to the {@link ServerChannel}, peers' stream flows to the direct streams,
 * and whatever a service built on the connection (a NetGroup, say) registers through
 * {@link #services()}.
 *
 * <p>Threads: every method may be called from any thread. The connection lives on its
 * endpoint's loop thread; status listeners and stream handlers run there unless the builder was
 * given an {@linkplain Builder#callbackExecutor executor}. Do not block in a callback run on the
 * loop.
 */
public final class NetConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetConnection.class);
    /**
     * How long a direct session to a peer may take before the server's relay is asked for: a
     * direct session opens in a round trip or two (a NAT that dropped the first IHello lets the
     * one a second later through), while someone waiting notices a few seconds.
     */
    public static final Duration DEFAULT_RELAY_AFTER = Duration.ofSeconds(3);
    /**
     * How long the server may stay silent over UDP before a TCP tunnel is tried: its answer
     * (RHello) takes one round trip, and a lost IHello is sent again after one second.
     */
    public static final Duration DEFAULT_TCP_AFTER = Duration.ofSeconds(3);

    private final EndpointHost host;
    private final boolean ownsHost;
    private final Executor callbacks;
    private final String nearId;
    private final String nickname;
    private final List<NetStatusListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private final ServerChannel server;
    private final PeerSessions peers;
    private final PeerRelays relays;
    private final TcpFallback fallback;
    private final DirectStreams streams;
    private final ConnectionServices services;
    private final FlowRouter router = new FlowRouter();
    private volatile RtmfpUri url;

    // Loop-thread state.
    private Endpoint endpoint;
    private boolean closed;

    private NetConnection(EndpointHost host, boolean ownsHost, Executor callbacks, String nickname,
            RelayPolicy relayPolicy, Duration relayAfter, UdpEndpoint udp, Transport transport, URI tunnelUri,
            Duration tcpAfter) {
        this.host = host;
        this.ownsHost = ownsHost;
        this.callbacks = callbacks;
        this.nickname = nickname;
        this.nearId = host.identity().certificate().peerId();
        this.server = new ServerChannel(this, callbacks, nickname, new ServerEvents());
        this.fallback = new TcpFallback(this, udp, transport, tunnelUri, tcpAfter);
        this.relays = new PeerRelays(this, server, relayPolicy, relayAfter, fallback::tunnelled);
        this.peers = new PeerSessions(this, server, relays);
        this.streams = new DirectStreams(this);
        this.services = new ConnectionServices(this);
        byte[] tc = TcMetadata.prefix();
        router.route(tc, server::isServer, server::onServerFlow);
        router.route(tc, s -> !server.isServer(s), streams::onPeerFlow);
        router.watch(peers);
        router.watch(new EndpointListener() {
            @Override
            public void onSessionClosed(Session session, CloseReason reason) {
                if (server.isServer(session)) {
                    server.sessionClosed(reason);
                } else {
                    streams.peerSessionClosed(session);
                    relays.sessionClosed(session);
                }
            }

            @Override
            public void onInternalError(RuntimeException error) {
                log.warn("internal error on the connection's endpoint", error);
            }
        });
        host.execute(e -> {
            endpoint = e;
            e.setListener(router);
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
        return on(host, callbackExecutor, nickname, RelayPolicy.AUTO, DEFAULT_RELAY_AFTER);
    }

    /**
     * Like {@link #on(EndpointHost, Executor, String)}, reaching peers through the server's relay
     * as {@code relayPolicy} says, under AUTO once a session has not opened within {@code relayAfter}.
     */
    public static NetConnection on(EndpointHost host, Executor callbackExecutor, String nickname,
            RelayPolicy relayPolicy, Duration relayAfter) {
        return new NetConnection(host, false, callbackExecutor == null ? Runnable::run : callbackExecutor,
                checkNickname(nickname), Objects.requireNonNull(relayPolicy), checkRelayAfter(relayAfter), null,
                Transport.UDP, null, DEFAULT_TCP_AFTER);
    }

    private static Duration checkRelayAfter(Duration after) {
        if (after.isNegative()) {
            throw new IllegalArgumentException("the relay deadline must not be negative");
        }
        return after;
    }

    /** Options for a connection that binds its own UDP endpoint. */
    public static final class Builder {
        private InetSocketAddress bind = new InetSocketAddress(0);
        private PeerIdentity identity;
        private Executor callbackExecutor;
        private String nickname;
        private Duration openTimeout;
        private long receiveWindow;
        private RelayPolicy relayPolicy = RelayPolicy.AUTO;
        private Duration relayAfter = DEFAULT_RELAY_AFTER;
        private Transport transport = Transport.AUTO;
        private URI tunnelUri;
        private Duration tcpAfter = DEFAULT_TCP_AFTER;

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

        /**
         * How long opening a session may take before it fails: the server's at {@code connect}
         * ({@code Connect.Failed}) and a publisher's at {@code play} ({@code NetStream.Connect.Failed},
         * which is how an unknown peer ID shows: the server does not answer for it). RFC 7016's
         * default is 95 s.
         */
        public Builder openTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the open timeout must be positive");
            }
            openTimeout = timeout;
            return this;
        }

        /**
         * The receive window each incoming flow advertises, in bytes (RFC 7016 §3.6.3.5); by
         * default the endpoint's (64 KiB). A flow carries at most one window per round trip, so
         * bulk transfers want more: 4 MiB keeps 40 MB/s going at 100 ms.
         */
        public Builder receiveWindow(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("the receive window must be positive");
            }
            receiveWindow = bytes;
            return this;
        }

        /** When peers are reached through the server's relay (docs/nat.md); by default {@link RelayPolicy#AUTO}. */
        public Builder relay(RelayPolicy policy) {
            relayPolicy = Objects.requireNonNull(policy);
            return this;
        }

        /** Under {@link RelayPolicy#AUTO}, how long a direct session may take before the relay is asked for. */
        public Builder relayAfter(Duration after) {
            relayAfter = checkRelayAfter(after);
            return this;
        }

        /** How the server is reached: UDP, a TCP tunnel, or UDP then the tunnel (by default, {@link Transport#AUTO}). */
        public Builder transport(Transport t) {
            transport = Objects.requireNonNull(t);
            return this;
        }

        /**
         * Where the server's TCP tunnel listener is ({@code ws://host:port/rtmfp} or {@code wss://...});
         * by default the server's address and port, over {@code ws://}.
         */
        public Builder tunnel(URI uri) {
            String scheme = uri.getScheme();
            if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("a tunnel URL is ws:// or wss://, not " + uri);
            }
            tunnelUri = uri;
            return this;
        }

        /** Under {@link Transport#AUTO}, how long the server may stay silent over UDP before the tunnel is tried. */
        public Builder tcpAfter(Duration after) {
            if (after.isNegative()) {
                throw new IllegalArgumentException("the TCP deadline must not be negative");
            }
            tcpAfter = after;
            return this;
        }

        public NetConnection build() {
            PeerIdentity id = identity != null ? identity : PeerIdentity.newFlashClient(new SecureRandom());
            EndpointConfig.Builder config = EndpointConfig.builder(id);
            if (openTimeout != null) {
                config.openTimeout(openTimeout);
            }
            if (receiveWindow > 0) {
                config.receiveBufferCapacity(receiveWindow);
            }
            UdpEndpoint udp = UdpEndpoint.bind(config.build(), List.of(bind), 1);
            try {
                return new NetConnection(udp, true, callbackExecutor == null ? Runnable::run : callbackExecutor,
                        nickname, relayPolicy, relayAfter, udp, transport, tunnelUri, tcpAfter);
            } catch (RuntimeException e) {
                udp.close();
                throw e;
            }
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
        return server.farId();
    }

    /** The nickname given to the builder, if any. */
    public Optional<String> nickname() {
        return Optional.ofNullable(nickname);
    }

    public boolean isConnected() {
        return server.state() == ServerChannel.State.CONNECTED;
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
     * throws becomes an {@code _error}. Runs on the loop thread. A null handler removes it.
     */
    public void setCallHandler(String name, Function<List<Object>, Object> handler) {
        server.setCallHandler(Objects.requireNonNull(name), handler);
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
        if (!server.claimConnect()) {
            throw new IllegalStateException("connect was already called");
        }
        url = parsed;
        Object[] args = arguments.clone();
        host.execute(e -> {
            fallback.connecting(parsed, candidates);
            server.connect(parsed, candidates, args, result);
        });
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
        host.execute(e -> server.call(command, args, result));
        return result;
    }

    /**
     * Asks the server's presence service who {@code nameOrPeerId} is: a registered nickname or a
     * peer ID. Fails with {@code NetConnection.Lookup.NotFound} when no such peer is connected.
     */
    public CompletableFuture<PeerInfo> lookup(String nameOrPeerId) {
        return call(Command.LOOKUP, nameOrPeerId).thenApply(PeerInfo::from);
    }

    /**
     * Whether the server is reached through a TCP tunnel (forced, or fallen back to when UDP got
     * no answer) rather than over UDP; peers are then reached through the server's relay.
     */
    public CompletableFuture<Transport> transport() {
        CompletableFuture<Transport> result = new CompletableFuture<>();
        host.execute(e -> result.complete(fallback.tunnelled() ? Transport.TCP : Transport.UDP));
        return result;
    }

    /**
     * How this connection reaches {@code peerId} now: directly, or through the server's relay;
     * empty while no session to it is open.
     */
    public CompletableFuture<Optional<PeerPath>> peerPath(String peerId) {
        String id = PeerIds.normalize(peerId);
        CompletableFuture<Optional<PeerPath>> result = new CompletableFuture<>();
        host.execute(e -> result.complete(endpoint == null ? Optional.empty() : relays.path(id)));
        return result;
    }

    /**
     * What services built on this connection use: its flow router, its server and peer sessions,
     * its status listeners. For NetGroup and the like; applications rarely need it.
     */
    public ConnectionServices services() {
        return services;
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
                done.get(5, TimeUnit.SECONDS);
            } catch (Exception timeoutOrInterrupt) {
                log.debug("closing the connection did not finish on the loop", timeoutOrInterrupt);
                if (timeoutOrInterrupt instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
            host.close();
        }
    }

    /**
     * Where this connection runs its callbacks ({@link Builder#callbackExecutor}; the loop thread
     * by default): what code built on it, such as a file receiver, uses for its own listeners.
     */
    public Executor callbacks() {
        return callbacks;
    }

    // ---------------------------------------------------------------- for the parts (loop thread)

    Endpoint endpoint() {
        return endpoint;
    }

    ServerChannel server() {
        return server;
    }

    PeerSessions peers() {
        return peers;
    }

    DirectStreams streams() {
        return streams;
    }

    PeerRelays relays() {
        return relays;
    }

    /** Whether peers may reach this endpoint at its own addresses: not over a TCP tunnel. Loop thread. */
    boolean reachableByUdp() {
        return !fallback.tunnelled();
    }

    FlowRouter router() {
        return router;
    }

    boolean isOpenForStreams() {
        return !closed && isConnected();
    }

    void emit(NetStatus status) {
        for (NetStatusListener l : listeners) {
            callbacks.execute(() -> {
                try {
                    l.onStatus(status);
                } catch (RuntimeException e) {
                    log.warn("a status listener failed on {}", status.code(), e);
                }
            });
        }
    }

    /** What the server channel says, applied to the whole connection. */
    private final class ServerEvents implements ServerChannel.Events {
        @Override
        public void status(NetStatus status) {
            emit(status);
        }

        @Override
        public void peerKeepalive(Duration period) {
            peers.setKeepalive(period);
        }

        @Override
        public void lost(NetStatus why) {
            shutdown(why);
        }

        @Override
        public boolean reachableByUdp() {
            return NetConnection.this.reachableByUdp();
        }
    }

    /**
     * Ends everything once: tells the listeners, then services and streams, then closes the
     * sessions (Flash closes peer sessions with the server connection) and fails waiting calls.
     */
    private void shutdown(NetStatus status) {
        if (closed) {
            return;
        }
        closed = true;
        ServerChannel.State was = server.end();
        // The connection's own status first, so a listener knows why its streams close next.
        if (was != ServerChannel.State.IDLE) {
            emit(status);
        }
        services.connectionClosed(status);
        streams.connectionClosed();
        peers.closeAll();
        server.failWaiting(status);
        fallback.close();
    }
}
