package io.rtmfp4j.server;

import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.SendFlowListener;
import io.rtmfp4j.flash.amf.AmfException;
import io.rtmfp4j.flash.net.PeerAddresses;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import io.rtmfp4j.flash.tc.TcMetadata;
import io.rtmfp4j.flash.tc.UserControl;
import io.rtmfp4j.server.auth.AuthDecision;
import io.rtmfp4j.server.auth.Authenticator;
import io.rtmfp4j.server.auth.ConnectRequest;
import io.rtmfp4j.server.directory.Nickname;
import io.rtmfp4j.server.directory.PeerDirectory;
import io.rtmfp4j.server.directory.PeerRecord;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's TC flows and the commands on them (spec §6.6): {@code connect} with access control
 * and presence, {@code setPeerInfo}, {@code createStream}/{@code deleteStream}, {@code lookup}, and
 * the commands of its NetStream flows. A client dropped gets its last word first
 * ({@code Connect.Rejected}, {@code Connect.Closed}). Loop thread only.
 */
final class ClientCommands {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.server");
    /** Control flows are time critical, as rtmfp-cpp and Flash make them (spec §6.2). */
    private static final int CONTROL_PRIORITY = 5;
    /** What a client may send on control and stream flows: commands are small. */
    private static final long CONTROL_RECEIVE_CAPACITY = 64 * 1024;
    /**
     * How long a client dropped with a last word (a rejection, Connect.Closed) has to acknowledge it
     * before its session is closed anyway: several retransmissions on a slow path, and not so long
     * that a client that went away holds its session.
     */
    private static final long LAST_WORD_GRACE_MICROS = 5_000_000;

    private final Endpoint endpoint;
    private final RendezvousSettings settings;
    private final Authenticator authenticator;
    private final PeerDirectory directory;
    private final Clients clients;
    private final GroupBootstrap groups;
    private final ServerStats stats;
    private final LoopExecutor loop;
    /** This node's name in the directory's records. */
    private final String node;
    private int nicknamed;
    private boolean shuttingDown;
    /** Commands beyond the core set, from parts of the server that are optional (the relay). */
    private final Map<String, BiConsumer<Client, Command>> extensions = new HashMap<>();
    /** Told when a client stops being connected, after the rest of the server let go of it. */
    private final List<Consumer<Client>> releaseListeners = new ArrayList<>();
    /** Told when a client reports its addresses (setPeerInfo). */
    private final List<Consumer<Client>> peerInfoListeners = new ArrayList<>();

    ClientCommands(Endpoint endpoint, RendezvousSettings settings, Authenticator authenticator, PeerDirectory directory,
            Clients clients, GroupBootstrap groups, ServerStats stats, LoopExecutor loop, String node) {
        this.endpoint = endpoint;
        this.loop = loop;
        this.node = node;
        this.settings = settings;
        this.authenticator = authenticator;
        this.directory = directory;
        this.clients = clients;
        this.groups = groups;
        this.stats = stats;
    }

    /**
     * A TC flow from a client: its control flow (the first unassociated stream-0 flow), or the flow
     * of a stream it created. Anything else is refused, as tcserver does (spec §6.2).
     */
    void onFlow(Client c, ReceiveFlow flow) {
        Optional<TcMetadata> tc = TcMetadata.parse(flow.metadata());
        if (tc.isPresent() && tc.get().streamId() == 0 && c.controlIn == null && flow.association() == null) {
            acceptControl(c, flow);
        } else if (tc.isPresent() && tc.get().streamId() != 0 && c.connected && c.hasStream(tc.get().streamId())) {
            acceptStream(c, flow, tc.get().streamId());
        } else {
            stats.flowsRefused.incrementAndGet();
            flow.reject(0);
        }
    }

    /** Answers connected clients' command {@code name} with {@code handler}. */
    void extend(String name, BiConsumer<Client, Command> handler) {
        extensions.put(name, handler);
    }

    void onRelease(Consumer<Client> listener) {
        releaseListeners.add(listener);
    }

    void onPeerInfo(Consumer<Client> listener) {
        peerInfoListeners.add(listener);
    }

    /** Sends a command to a client on its control flow. */
    void tell(Client c, Command cmd) {
        write(c.controlOut, cmd);
    }

    /** Answers a call that cannot be done with {@code NetConnection.Call.Failed} and why. */
    void fail(Client c, Command cmd, String description) {
        failCall(c.controlOut, cmd, description);
    }

    /** From now on connects are rejected: the server is going away. */
    void shuttingDown() {
        shuttingDown = true;
    }

    private void acceptControl(Client c, ReceiveFlow flow) {
        c.controlIn = flow;
        flow.setReceiveCapacity(CONTROL_RECEIVE_CAPACITY);
        c.controlOut = c.session.openFlow(TcMetadata.control().encode(), flow, CONTROL_PRIORITY);
        ControlFlows handler = new ControlFlows(c);
        c.controlOut.setListener(handler);
        flow.accept(handler);
    }

    /** Both directions of a client's control flow; one object for both, as every connected client holds one. */
    private final class ControlFlows implements ReceiveFlowHandler, SendFlowListener {
        private final Client c;

        ControlFlows(Client c) {
            this.c = c;
        }

        @Override
        public void onMessage(ReceiveFlow f, byte[] message) {
            onControlMessage(c, message);
        }

        @Override
        public void onComplete(ReceiveFlow f) {
            c.session.close(endpoint.now());
        }

        @Override
        public void onException(SendFlow f, long code) {
            // Either control flow failing ends the connection (spec §6.2).
            c.session.close(endpoint.now());
        }

        @Override
        public void onComplete(SendFlow f) {
            // Only closeAfterLastWord closes this flow: the client has everything we said, so the session can go.
            c.session.close(endpoint.now());
        }
    }

    private void acceptStream(Client c, ReceiveFlow flow, long streamId) {
        flow.setReceiveCapacity(CONTROL_RECEIVE_CAPACITY);
        SendFlow[] out = new SendFlow[1];
        flow.accept((f, message) -> {
            Command cmd = decodeCommand(message);
            if (cmd == null) {
                return;
            }
            stats.commands.incrementAndGet();
            if (out[0] == null) {
                out[0] = c.session.openFlow(TcMetadata.stream(streamId).encode(), flow, CONTROL_PRIORITY);
            }
            onStreamCommand(out[0], cmd);
        });
    }

    // ---------------------------------------------------------------- commands

    /** A TC message carrying a command, or null for anything else (media and control events are not ours). */
    private Command decodeCommand(byte[] message) {
        try {
            TcMessage m = TcMessage.decode(message);
            if (m.type() != TcMessage.COMMAND_AMF0 && m.type() != TcMessage.COMMAND_AMF3) {
                return null;
            }
            return Command.decode(m);
        } catch (AmfException e) {
            stats.malformedMessages.incrementAndGet();
            return null;
        }
    }

    private void onControlMessage(Client c, byte[] message) {
        Command cmd = decodeCommand(message);
        if (cmd == null) {
            if (isCommand(message)) {
                // A command we cannot read still gets an answer: Flash's code for an undecodable call.
                stats.commandErrors.incrementAndGet();
                write(c.controlOut, Command.error(0, null,
                        Status.info("error", Status.CALL_BAD_VERSION, "the command could not be decoded")));
            }
            return;
        }
        stats.commands.incrementAndGet();
        if (cmd.name().equals(Command.CONNECT)) {
            onConnect(c, cmd);
            return;
        }
        if (!c.connected) {
            stats.commandErrors.incrementAndGet();
            write(c.controlOut, Command.error(cmd.transactionId(), null,
                    Status.info("error", Status.CALL_FAILED, "connect first")));
            return;
        }
        switch (cmd.name()) {
            case Command.SET_PEER_INFO -> onSetPeerInfo(c, cmd);
            case Command.CREATE_STREAM -> onCreateStream(c, cmd);
            case Command.DELETE_STREAM -> onDeleteStream(c, cmd);
            case Command.LOOKUP -> onLookup(c, cmd);
            default -> {
                BiConsumer<Client, Command> extension = extensions.get(cmd.name());
                if (extension != null) {
                    extension.accept(c, cmd);
                } else {
                    methodNotFound(c.controlOut, cmd);
                }
            }
        }
    }

    private static boolean isCommand(byte[] message) {
        int type = message.length > 0 ? message[0] & 0xff : -1;
        return type == TcMessage.COMMAND_AMF0 || type == TcMessage.COMMAND_AMF3;
    }

    private void methodNotFound(SendFlow to, Command cmd) {
        failCall(to, cmd, "Method not found (" + cmd.name() + ")");
    }

    /** {@code NetConnection.Call.Failed}: as {@code _error} to a call awaiting an answer, else as {@code onStatus}. */
    private void failCall(SendFlow to, Command cmd, String description) {
        stats.commandErrors.incrementAndGet();
        Map<String, Object> info = Status.info("error", Status.CALL_FAILED, description);
        write(to, cmd.transactionId() > 0 ? Command.error(cmd.transactionId(), null, info) : Command.onStatus(info));
    }

    /**
     * A command's values after the transaction ID: the command object when there is one, then the
     * arguments. librtmfp puts the first argument where the null command object belongs (spec P31).
     */
    static List<Object> valuesOf(Command cmd) {
        List<Object> values = new ArrayList<>();
        if (cmd.commandObject() != null) {
            values.add(cmd.commandObject());
        }
        values.addAll(cmd.arguments());
        return values;
    }

    private void onConnect(Client c, Command cmd) {
        if (c.connectSeen) {
            stats.commandErrors.incrementAndGet();
            write(c.controlOut, Command.error(cmd.transactionId(), null,
                    Status.info("error", Status.CALL_FAILED, "already connected")));
            return;
        }
        c.connectSeen = true;
        Map<?, ?> object = cmd.commandObject() instanceof Map<?, ?> m ? m : Map.of();
        String tcUrl = object.get("tcUrl") instanceof String s ? s : "";
        String app = object.get("app") instanceof String s ? s : Command.appOf(tcUrl);
        // Interned: clients of one application then share one string (the JVM drops it with its last user).
        c.app = app.intern();
        var keys = c.session.security().orElseThrow().keys();
        AuthDecision decision;
        try {
            decision = authenticator.authenticate(
                    new ConnectRequest(app, tcUrl, cmd.arguments(), keys.nearNonce(), keys.farNonce()));
        } catch (RuntimeException e) {
            log.warn("authenticator failed for {}; rejecting", c.session.destination(), e);
            decision = AuthDecision.reject("the server could not check the credentials");
        }
        if (!decision.accepted()) {
            reject(c, cmd, decision.description());
            return;
        }
        if (shuttingDown) {
            reject(c, cmd, "server shutting down");
            return;
        }
        // Checked after the credentials, so that only admitted clients learn which names are taken.
        try {
            c.nickname = object.get("nickname") == null ? null : new Nickname(nicknameText(object.get("nickname")));
        } catch (IllegalArgumentException e) {
            reject(c, cmd, e.getMessage());
            return;
        }
        AuthDecision admitted = decision;
        // Nicknames are unique across the directory, so the directory decides (perhaps on another node).
        loop.whenDone(directory.register(record(c)), (registered, error) -> {
            if (clients.of(c.session) != c) {
                // The session ended while the directory answered: take back what it registered.
                if (Boolean.TRUE.equals(registered) && clients.connected(c.peerId) == null) {
                    directory.unregister(c.peerId);
                }
            } else if (error != null) {
                log.warn("the peer directory failed to register {}: {}", c.peerId, error.toString());
                c.nickname = null;
                reject(c, cmd, "the server's peer directory is unavailable");
            } else if (!registered) {
                String taken = c.nickname.display();
                c.nickname = null;
                reject(c, cmd, "nickname '" + taken + "' is taken");
            } else {
                admit(c, cmd, object, admitted);
            }
        });
    }

    private void admit(Client c, Command cmd, Map<?, ?> object, AuthDecision decision) {
        c.connected = true;
        c.user = decision.user();
        if (c.nickname != null) {
            nicknamed++;
        }
        Client previous = clients.makeCurrent(c);
        if (previous != null) {
            // The same identity connected again (a restarted NetConnection): the newest session is the one to
            // reach, and its record (nickname included) replaced the old one's above. The old one leaves its groups
            // now, so the new one joins them afresh and hears their members.
            release(previous);
            sayClosed(previous, "another session connected with the same peer ID");
        }
        stats.connectedClients = clients.connectedCount();
        stats.nicknames = nicknamed;
        stats.connectsAccepted.incrementAndGet();
        Map<String, Object> info = Status.info("status", Status.CONNECT_SUCCESS, "Connection succeeded.");
        info.put("objectEncoding", object.get("objectEncoding") instanceof Number n ? n.doubleValue() : 0.0);
        info.put("connectionID", c.peerId);
        if (c.nickname != null) {
            info.put("nickname", c.nickname.display());
        }
        info.putAll(decision.resultProperties());
        write(c.controlOut, Command.result(cmd.transactionId(), null, info));
        write(c.controlOut, new UserControl.SetKeepalive(settings.serverKeepalive().toMillis(),
                settings.peerKeepalive().toMillis()).toMessage());
        log.atDebug().addKeyValue("address", PeerAddresses.format(c.session.destination()))
                .addKeyValue("peerId", c.peerId).addKeyValue("app", c.app).log("connect");
    }

    private static String nicknameText(Object value) {
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("invalid nickname: it must be a string");
    }

    private void reject(Client c, Command cmd, String description) {
        stats.connectsRejected.incrementAndGet();
        log.atInfo().addKeyValue("address", PeerAddresses.format(c.session.destination()))
                .addKeyValue("peerId", c.peerId).addKeyValue("app", c.app).addKeyValue("reason", description)
                .log("connect rejected");
        write(c.controlOut, Command.error(cmd.transactionId(), null,
                Status.info("error", Status.CONNECT_REJECTED, description)));
        closeAfterLastWord(c);
    }

    /**
     * Tells a client why the server drops it, before it does (Flash's NetConnection.Connect.Closed),
     * so that a client can tell this from its network failing.
     */
    void sayClosed(Client c, String reason) {
        write(c.controlOut, Command.onStatus(Status.info("status", Status.CONNECT_CLOSED, reason)));
        closeAfterLastWord(c);
    }

    /**
     * Closes the session once the client has acknowledged everything on our control flow, or after
     * {@link #LAST_WORD_GRACE_MICROS}. Closing the session at once would lose what is queued: a
     * session close abandons its flows (RFC 7016 §3.5.5), while a flow's own close delivers first.
     */
    private void closeAfterLastWord(Client c) {
        c.closeBy = endpoint.now() + LAST_WORD_GRACE_MICROS;
        c.controlOut.close();
    }

    /** A connected client stops being one: out of the directory (unless a newer session holds it) and its groups. */
    void release(Client c) {
        c.connected = false;
        if (clients.forget(c)) {
            directory.unregister(c.peerId);
        }
        if (c.nickname != null) {
            nicknamed--;
        }
        groups.leaveAll(c);
        stats.connectedClients = clients.connectedCount();
        stats.nicknames = nicknamed;
        for (Consumer<Client> l : releaseListeners) {
            l.accept(c);
        }
    }

    /**
     * {@code lookup(name)}: the connected peer a nickname or a peer ID names, so that clients can
     * find each other by name and then connect peer to peer.
     */
    private void onLookup(Client c, Command cmd) {
        if (cmd.transactionId() <= 0) {
            failCall(c.controlOut, cmd, "lookup needs a transaction ID");
            return;
        }
        List<Object> values = valuesOf(cmd);
        if (values.isEmpty() || !(values.get(0) instanceof String name)) {
            failCall(c.controlOut, cmd, "lookup takes one string: a nickname or a peer ID");
            return;
        }
        loop.whenDone(find(name), (found, error) -> {
            if (error != null) {
                failCall(c.controlOut, cmd, "the server's peer directory is unavailable");
            } else if (found.isEmpty()) {
                write(c.controlOut, Command.error(cmd.transactionId(), null, Status.info("error",
                        Status.LOOKUP_NOT_FOUND, "no peer named '" + name + "' is connected")));
            } else {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("peerId", found.get().peerId());
                answer.put("nickname", found.get().nickname() == null ? null : found.get().nickname().display());
                write(c.controlOut, Command.result(cmd.transactionId(), null, answer));
            }
        });
    }

    /** The directory's record for a peer ID (either case) or a nickname. */
    private CompletionStage<Optional<PeerRecord>> find(String name) {
        if (Nickname.isPeerId(name)) {
            return directory.find(name.toLowerCase(Locale.ROOT));
        }
        try {
            return directory.findByNickname(new Nickname(name));
        } catch (IllegalArgumentException notAName) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
    }

    private void onSetPeerInfo(Client c, Command cmd) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (Object v : valuesOf(cmd)) {
            if (addresses.size() >= settings.maxPeerAddresses()) {
                break;
            }
            if (v instanceof String s) {
                PeerAddresses.parse(s).ifPresent(addresses::add);
            }
        }
        c.reported = List.copyOf(addresses);
        loop.whenDone(directory.register(record(c)), (registered, error) -> {
            if (error != null) {
                log.warn("the peer directory failed to update {}: {}", c.peerId, error.toString());
            }
        });
        for (Consumer<Client> l : peerInfoListeners) {
            l.accept(c);
        }
    }

    private void onCreateStream(Client c, Command cmd) {
        if (c.streamCount() >= settings.maxStreamsPerClient()) {
            stats.commandErrors.incrementAndGet();
            write(c.controlOut, Command.error(cmd.transactionId(), null,
                    Status.info("error", Status.CALL_FAILED, "too many streams")));
            return;
        }
        long id = c.nextStreamId++;
        c.addStream(id);
        // Answered even with transaction ID 0, which librtmfp uses (spec P31).
        write(c.controlOut, Command.result(cmd.transactionId(), null, (double) id));
    }

    private void onDeleteStream(Client c, Command cmd) {
        if (!cmd.arguments().isEmpty() && cmd.arguments().get(0) instanceof Number n) {
            c.removeStream(n.longValue());
        }
    }

    /**
     * Commands on a client's NetStream flow. Media goes peer to peer, never through this server, so
     * a publish is acknowledged (a DIRECT_CONNECTIONS publisher waits for subscribers on its own
     * endpoint) and a play of a server stream finds nothing.
     */
    private void onStreamCommand(SendFlow out, Command cmd) {
        switch (cmd.name()) {
            case Command.PUBLISH -> write(out, Command.onStatus(
                    Status.info("status", Status.PUBLISH_START, "publishing; subscribers connect peer to peer")));
            case Command.PLAY -> write(out, Command.onStatus(Status.info("error", Status.PLAY_STREAM_NOT_FOUND,
                    "this server relays no media: play from a peer ID")));
            case Command.CLOSE_STREAM, Command.PAUSE, Command.RECEIVE_AUDIO, Command.RECEIVE_VIDEO, Command.SEEK -> {
            }
            default -> methodNotFound(out, cmd);
        }
    }

    private void write(SendFlow flow, Command cmd) {
        write(flow, cmd.toMessage());
    }

    private void write(SendFlow flow, TcMessage message) {
        if (flow != null && flow.state() == SendFlow.State.OPEN) {
            flow.write(message.encode());
        }
    }

    private PeerRecord record(Client c) {
        return new PeerRecord(c.peerId, c.app, c.nickname, c.session.destination(), c.reported, node);
    }
}
