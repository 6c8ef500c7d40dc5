package io.rtmfp4j.flash.net;

import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.ConnectListener;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.SendFlowListener;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.flash.amf.AmfException;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import io.rtmfp4j.flash.tc.TcMetadata;
import io.rtmfp4j.flash.tc.UserControl;
import io.rtmfp4j.runtime.EndpointHost;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to the rendezvous server (RFC 7425 §5.3, spec §6.6): its session, the control
 * flow both ways, {@code connect} and its answer, calls and their answers, the server's own calls,
 * the keepalive periods it announces, and {@code setPeerInfo}. What happens to the rest of the
 * connection when this one ends is {@link Events}' business.
 *
 * <p>Loop thread only, except {@link #state()}, {@link #claimConnect()} and the call handlers.
 */
final class ServerChannel {
    private static final Logger log = LoggerFactory.getLogger(NetConnection.class);
    /** The control flow's priority: time critical, as Flash and rtmfp-cpp send it (spec §6.2). */
    static final int CONTROL_PRIORITY = 5;
    /** The floor the Flash profile puts on keepalive periods a server announces (spec §6.4). */
    private static final Duration MIN_KEEPALIVE = Duration.ofSeconds(5);
    private static final double CONNECT_TID = 1;

    enum State { IDLE, CONNECTING, CONNECTED, CLOSED }

    /** What the rest of the connection hears from the server channel; called on the loop thread. */
    interface Events {
        /** A status event for the connection's listeners. */
        void status(NetStatus status);

        /** The server's keepalive period for peer sessions (spec §6.4), already floored. */
        void peerKeepalive(Duration period);

        /** The server connection failed or ended: the whole connection ends with {@code why}. */
        void lost(NetStatus why);

        /**
         * Whether peers may reach this client at its own addresses: not when it talks to the
         * server through a TCP tunnel, whose UDP is presumably blocked.
         */
        boolean reachableByUdp();
    }

    private final NetConnection nc;
    private final EndpointHost host;
    private final Executor callbacks;
    private final String nickname;
    private final Events events;
    private final Map<String, Function<List<Object>, Object>> callHandlers = new ConcurrentHashMap<>();

    private volatile State state = State.IDLE;
    private volatile String farId;
    private RtmfpUri url;
    private List<InetSocketAddress> candidates = List.of();
    private Session session;
    private SendFlow control;
    /** The server's answer to our control flow: flows a service opens to the server are associated with it. */
    private ReceiveFlow controlReply;
    private CompletableFuture<NetConnection> connecting;
    private Object[] connectArguments;
    private double nextTid = CONNECT_TID + 1;
    private final Map<Double, CompletableFuture<Object>> pending = new HashMap<>();

    ServerChannel(NetConnection nc, Executor callbacks, String nickname, Events events) {
        this.nc = nc;
        this.host = nc.host();
        this.callbacks = callbacks;
        this.nickname = nickname;
        this.events = events;
    }

    State state() {
        return state;
    }

    /** The server's peer ID once connected. Any thread. */
    Optional<String> farId() {
        return Optional.ofNullable(farId);
    }

    /** Moves IDLE to CONNECTING; false if connect was already called. Any thread. */
    synchronized boolean claimConnect() {
        if (state != State.IDLE) {
            return false;
        }
        state = State.CONNECTING;
        return true;
    }

    boolean isServer(Session s) {
        return s != null && s == session;
    }

    /** Whether connect succeeded and the connection has not ended. */
    boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** The server's address as the session reaches it, once the session is open. */
    Optional<InetSocketAddress> address() {
        Session s = session;
        return s == null ? Optional.empty() : Optional.of(s.destination());
    }

    /** The server's addresses, through which peers are introduced (RFC 7016 §3.5.1.5). */
    List<InetSocketAddress> candidates() {
        return candidates;
    }

    void setCallHandler(String name, Function<List<Object>, Object> handler) {
        if (handler == null) {
            callHandlers.remove(name);
        } else {
            callHandlers.put(name, handler);
        }
    }

    // ---------------------------------------------------------------- connecting

    void connect(RtmfpUri target, List<InetSocketAddress> serverCandidates, Object[] args,
            CompletableFuture<NetConnection> result) {
        if (state != State.CONNECTING) {
            result.completeExceptionally(notConnected());
            return;
        }
        url = target;
        connecting = result;
        connectArguments = args;
        candidates = serverCandidates;
        nc.endpoint().connect(EndpointDiscriminator.forServerUri(target.text()), serverCandidates, host.now(),
                new ConnectListener() {
                    @Override
                    public void onOpen(Session opened) {
                        opened(opened);
                    }

                    @Override
                    public void onFailure(CloseReason reason) {
                        if (state == State.CONNECTING) {
                            events.lost(NetStatus.of(Status.LEVEL_ERROR, Status.CONNECT_FAILED,
                                    "could not open a session to " + target.host() + ":" + target.port() + ": "
                                            + describe(reason)));
                        }
                    }
                });
    }

    private void opened(Session s) {
        if (state != State.CONNECTING) {
            s.close(host.now());
            return;
        }
        session = s;
        control = s.openFlow(TcMetadata.control().encode(), null, CONTROL_PRIORITY);
        control.setListener(new SendFlowListener() {
            @Override
            public void onException(SendFlow flow, long code) {
                lost("the server refused the control flow");
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
        if (!answer.name().equals(Command.RESULT)) {
            events.lost(status.code().isEmpty()
                    ? NetStatus.of(Status.LEVEL_ERROR, Status.CONNECT_REJECTED, status.description())
                    : status);
            return;
        }
        state = State.CONNECTED;
        farId = session.farPeerId().orElse(null);
        List<InetSocketAddress> addresses = events.reachableByUdp()
                ? LocalAddresses.toReport(host.localAddresses(), session.destination()) : List.of();
        write(Command.call(Command.SET_PEER_INFO, 0, addresses.stream().map(PeerAddresses::format).toArray()));
        events.status(status);
        CompletableFuture<NetConnection> f = connecting;
        connecting = null;
        callbacks.execute(() -> f.complete(nc));
    }

    // ---------------------------------------------------------------- flows

    /**
     * The server's control flow answering ours; other flows from the server (server-side streams)
     * are no business of a peer-to-peer client, and are refused.
     */
    void onServerFlow(ReceiveFlow flow) {
        Optional<TcMetadata> tc = TcMetadata.parse(flow.metadata());
        if (tc.isEmpty() || tc.get().streamId() != 0 || flow.association() != control || controlReply != null) {
            flow.reject(0);
            return;
        }
        controlReply = flow;
        flow.accept(new ReceiveFlowHandler() {
            @Override
            public void onMessage(ReceiveFlow f, byte[] message) {
                onServerMessage(message);
            }

            @Override
            public void onComplete(ReceiveFlow f) {
                // Either control flow ending ends the connection (spec §6.2).
                lost("the server closed the connection");
            }
        });
    }

    /**
     * Opens a flow to the server associated with its control flow, as a NetGroup's server channel
     * is (netgroup spec §1); empty when not connected.
     */
    Optional<SendFlow> openFlow(byte[] metadata, int priority) {
        if (state != State.CONNECTED || controlReply == null || session == null) {
            return Optional.empty();
        }
        return Optional.of(session.openFlow(metadata, controlReply, priority));
    }

    // ---------------------------------------------------------------- messages

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
            session.setKeepalive(atLeast(Duration.ofMillis(k.serverPeriodMs())));
            events.peerKeepalive(atLeast(Duration.ofMillis(k.peerPeriodMs())));
        }
    }

    private static Duration atLeast(Duration d) {
        return d.compareTo(MIN_KEEPALIVE) < 0 ? MIN_KEEPALIVE : d;
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
                events.lost(status);
            } else {
                events.status(status);
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

    /** Calls {@code command} on the server; see {@link NetConnection#call}. */
    void call(String command, Object[] args, CompletableFuture<Object> result) {
        if (state != State.CONNECTED) {
            result.completeExceptionally(notConnected());
            return;
        }
        double tid = nextTid++;
        pending.put(tid, result);
        write(Command.call(command, tid, args));
    }

    private void write(Command c) {
        if (control != null && control.state() == SendFlow.State.OPEN) {
            control.write(c.toMessage().encode());
        }
    }

    // ---------------------------------------------------------------- ending

    private void lost(String why) {
        if (state == State.CONNECTING) {
            events.lost(NetStatus.of(Status.LEVEL_ERROR, Status.CONNECT_FAILED, why));
        } else if (state == State.CONNECTED) {
            events.lost(NetStatus.of(Status.LEVEL_STATUS, Status.CONNECT_CLOSED, why));
        }
    }

    /** The server session ended: the connection ends with it. */
    void sessionClosed(CloseReason reason) {
        lost("the server session ended: " + describe(reason));
    }

    /**
     * Marks the channel ended; nothing it does from here on reaches the server.
     *
     * @return the state it was in, so the caller knows whether there was anything to end
     */
    State end() {
        State was = state;
        state = State.CLOSED;
        return was;
    }

    /** Fails the calls still waiting for an answer, and a waiting connect, with {@code why}. */
    void failWaiting(NetStatus why) {
        NetStatusException failure = new NetStatusException(why);
        for (CompletableFuture<Object> f : pending.values()) {
            callbacks.execute(() -> f.completeExceptionally(failure));
        }
        pending.clear();
        if (connecting != null) {
            CompletableFuture<NetConnection> f = connecting;
            connecting = null;
            callbacks.execute(() -> f.completeExceptionally(failure));
        }
    }

    static NetStatusException notConnected() {
        return new NetStatusException(NetStatus.of(Status.LEVEL_ERROR, Status.CALL_FAILED, "not connected"));
    }

    static String describe(CloseReason reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
