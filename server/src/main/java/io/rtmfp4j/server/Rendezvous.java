package io.rtmfp4j.server;

import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.ForeignHello;
import io.rtmfp4j.core.session.ForeignHelloHandler;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.SendFlowListener;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.amf.AmfException;
import io.rtmfp4j.flash.group.wire.GroupChannel;
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
import io.rtmfp4j.server.groups.Group;
import io.rtmfp4j.server.groups.GroupRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The rendezvous server's logic, as Adobe's hosted service behaved: it accepts {@code connect}
 * (spec §6.6), learns each client's addresses, introduces peers to each other (RFC 7016
 * §3.5.1.4–5) and bootstraps groups on the server channel (netgroup spec §4). It relays no media.
 *
 * <p>It drives nothing itself: installed on an {@link Endpoint} as its listener and foreign hello
 * handler, it runs on that endpoint's loop thread (or a simulation's), and {@link #onTick} must be
 * called about once a second to reap sessions that never connect.
 */
public final class Rendezvous implements EndpointListener, ForeignHelloHandler {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.server");
    /** Control and server-channel flows are time critical, as rtmfp-cpp and Flash make them (spec §6.2). */
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
    private final GroupRegistry groups = new GroupRegistry();
    private final ServerStats stats = new ServerStats();
    private final Map<Session, Client> bySession = new HashMap<>();
    private final Map<String, Client> byPeer = new HashMap<>();
    private int memberships;
    private int nicknamed;
    /** Set by {@link #shutdown}: completed when the last session has closed. */
    private CompletableFuture<Void> drained;

    public Rendezvous(Endpoint endpoint, RendezvousSettings settings, Authenticator authenticator,
            PeerDirectory directory) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.directory = Objects.requireNonNull(directory, "directory");
        endpoint.setListener(this);
        endpoint.setForeignHelloHandler(this);
    }

    public ServerStats stats() {
        return stats;
    }

    /**
     * Closes sessions that have not connected within the connect timeout, and those that did not
     * acknowledge the server's last word in time; call about once a second.
     */
    public void onTick(long nowMicros) {
        long limit = settings.connectTimeout().toNanos() / 1000;
        for (Client c : new ArrayList<>(bySession.values())) {
            if (c.closeBy != Long.MAX_VALUE) {
                if (nowMicros >= c.closeBy) {
                    c.session.close(nowMicros);
                }
            } else if (!c.connected && nowMicros - c.openedAt > limit) {
                stats.connectTimeouts.incrementAndGet();
                c.session.close(nowMicros);
            }
        }
    }

    /**
     * Tells every connected client that the server is going away ({@code NetConnection.Connect.Closed})
     * and closes each session once the client has acknowledged it; sessions not connected are closed
     * now, and connects from here on are rejected. Loop thread only.
     *
     * @return completed when the last session has closed; the caller bounds the wait
     */
    public CompletableFuture<Void> shutdown(String reason) {
        if (drained == null) {
            drained = new CompletableFuture<>();
            for (Client c : new ArrayList<>(bySession.values())) {
                if (c.connected) {
                    sayClosed(c, reason);
                } else if (c.closeBy == Long.MAX_VALUE) {
                    c.session.close(endpoint.now());
                }
            }
            if (bySession.isEmpty()) {
                drained.complete(null);
            }
        }
        return drained;
    }

    /** Group sizes by group ID, for the status page. Loop thread only. */
    public Map<String, Integer> groupSizes() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Group g : groups.groups()) {
            out.put(g.id(), g.size());
        }
        return out;
    }

    // ---------------------------------------------------------------- sessions

    @Override
    public void onSessionOpen(Session session) {
        String peerId = session.farPeerId().orElse("");
        bySession.put(session, new Client(session, peerId, endpoint.now()));
        stats.sessions = bySession.size();
        log.atInfo().addKeyValue("address", PeerAddresses.format(session.destination())).addKeyValue("peerId", peerId)
                .log("session open");
    }

    @Override
    public void onSessionClosed(Session session, CloseReason reason) {
        Client c = bySession.remove(session);
        stats.sessions = bySession.size();
        if (c == null) {
            return;
        }
        if (c.connected) {
            release(c);
        }
        if (drained != null && bySession.isEmpty()) {
            drained.complete(null);
        }
        LoggingEventBuilder line = log.atInfo().addKeyValue("address", PeerAddresses.format(session.destination()))
                .addKeyValue("peerId", c.peerId).addKeyValue("app", c.app);
        if (c.nickname != null) {
            line = line.addKeyValue("nickname", c.nickname.display());
        }
        line.addKeyValue("durationSeconds", (endpoint.now() - c.openedAt) / 1_000_000)
                .addKeyValue("reason", reason.name().toLowerCase(Locale.ROOT))
                .log("session closed");
    }

    @Override
    public void onInternalError(RuntimeException error) {
        log.warn("contained an internal error while handling a datagram", error);
    }

    // ---------------------------------------------------------------- flows

    @Override
    public void onFlow(ReceiveFlow flow) {
        Client c = bySession.get(flow.session());
        if (c == null) {
            return;
        }
        byte[] metadata = flow.metadata();
        TcMetadata tc = TcMetadata.parse(metadata).orElse(null);
        if (tc != null && tc.streamId() == 0 && c.controlIn == null && flow.association() == null) {
            acceptControl(c, flow);
        } else if (tc != null && tc.streamId() != 0 && c.connected && c.hasStream(tc.streamId())) {
            acceptStream(c, flow, tc.streamId());
        } else if (GroupChannel.isChannel(metadata) && c.connected) {
            acceptGroupChannel(c, flow);
        } else {
            // Unassociated extra control flows and unallocated streams are refused, as tcserver does (spec §6.2).
            stats.flowsRefused.incrementAndGet();
            flow.reject(0);
        }
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
            onStreamCommand(c, out[0], cmd);
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
            case "setPeerInfo" -> onSetPeerInfo(c, cmd);
            case "createStream" -> onCreateStream(c, cmd);
            case "deleteStream" -> onDeleteStream(c, cmd);
            case "lookup" -> onLookup(c, cmd);
            default -> methodNotFound(c.controlOut, cmd);
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
    private static List<Object> valuesOf(Command cmd) {
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
        if (drained != null) {
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
        if (!directory.register(record(c))) {
            String taken = c.nickname.display();
            c.nickname = null;
            reject(c, cmd, "nickname '" + taken + "' is taken");
            return;
        }
        c.connected = true;
        c.user = decision.user();
        if (c.nickname != null) {
            nicknamed++;
        }
        Client previous = byPeer.put(c.peerId, c);
        if (previous != null && previous != c) {
            // The same identity connected again (a restarted NetConnection): the newest session is the one to
            // reach, and its record (nickname included) replaced the old one's above. The old one leaves its groups
            // now, so the new one joins them afresh and hears their members.
            release(previous);
            sayClosed(previous, "another session connected with the same peer ID");
        }
        stats.connectedClients = byPeer.size();
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
                .addKeyValue("peerId", c.peerId).addKeyValue("app", app).log("connect");
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
    private void sayClosed(Client c, String reason) {
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
    private void release(Client c) {
        c.connected = false;
        if (byPeer.remove(c.peerId, c)) {
            directory.unregister(c.peerId);
        }
        if (c.nickname != null) {
            nicknamed--;
        }
        for (String groupId : c.groupIds()) {
            leaveGroup(c, groupId);
        }
        stats.connectedClients = byPeer.size();
        stats.nicknames = nicknamed;
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
        PeerRecord found = find(name);
        if (found == null) {
            write(c.controlOut, Command.error(cmd.transactionId(), null, Status.info("error", Status.LOOKUP_NOT_FOUND,
                    "no peer named '" + name + "' is connected")));
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("peerId", found.peerId());
        answer.put("nickname", found.nickname() == null ? null : found.nickname().display());
        write(c.controlOut, Command.result(cmd.transactionId(), null, answer));
    }

    /** The directory's record for a peer ID (either case) or a nickname, or null. */
    private PeerRecord find(String name) {
        if (Nickname.isPeerId(name)) {
            return directory.find(name.toLowerCase(Locale.ROOT)).orElse(null);
        }
        try {
            return directory.findByNickname(new Nickname(name)).orElse(null);
        } catch (IllegalArgumentException notAName) {
            return null;
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
        directory.register(record(c));
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
    private void onStreamCommand(Client c, SendFlow out, Command cmd) {
        switch (cmd.name()) {
            case "publish" -> write(out, Command.onStatus(
                    Status.info("status", Status.PUBLISH_START, "publishing; subscribers connect peer to peer")));
            case "play" -> write(out, Command.onStatus(Status.info("error", Status.PLAY_STREAM_NOT_FOUND,
                    "this server relays no media: play from a peer ID")));
            case "closeStream", "pause", "receiveAudio", "receiveVideo", "seek" -> {
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
        return new PeerRecord(c.peerId, c.app, c.nickname, c.session.destination(), c.reported, PeerRecord.LOCAL);
    }

    // ---------------------------------------------------------------- groups

    private void acceptGroupChannel(Client c, ReceiveFlow flow) {
        String[] joined = new String[1];
        flow.accept(new ReceiveFlowHandler() {
            @Override
            public void onMessage(ReceiveFlow f, byte[] message) {
                if (joined[0] != null) {
                    return;
                }
                String groupId = GroupChannel.parseJoin(message).orElse(null);
                if (groupId == null) {
                    stats.malformedMessages.incrementAndGet();
                    return;
                }
                if (c.group(groupId) != null || c.groupCount() >= settings.maxGroupsPerClient()) {
                    stats.flowsRefused.incrementAndGet();
                    f.reject(0);
                    return;
                }
                joined[0] = groupId;
                joinGroup(c, f, groupId);
            }

            @Override
            public void onComplete(ReceiveFlow f) {
                // Closing the channel is how a client leaves a group (netgroup spec §4.3).
                if (joined[0] != null) {
                    leaveGroup(c, joined[0]);
                }
            }
        });
    }

    private void joinGroup(Client c, ReceiveFlow channel, String groupId) {
        SendFlow reply = c.session.openFlow(GroupChannel.METADATA, channel, CONTROL_PRIORITY);
        c.addGroup(groupId, reply);
        memberships++;
        Group.Announcements a = groups.join(groupId, c.peerId);
        stats.groupJoins.incrementAndGet();
        announce(reply, a.toNewcomer());
        announceToMembers(groupId, a.toMembers());
        stats.groups = groups.size();
        stats.groupMemberships = memberships;
    }

    private void leaveGroup(Client c, String groupId) {
        SendFlow reply = c.removeGroup(groupId);
        if (reply == null) {
            return;
        }
        memberships--;
        reply.close();
        announceToMembers(groupId, groups.leave(groupId, c.peerId).toMembers());
        stats.groups = groups.size();
        stats.groupMemberships = memberships;
    }

    private void announceToMembers(String groupId, Map<String, List<String>> toMembers) {
        for (Map.Entry<String, List<String>> e : toMembers.entrySet()) {
            Client member = byPeer.get(e.getKey());
            SendFlow flow = member == null ? null : member.group(groupId);
            if (flow != null) {
                announce(flow, e.getValue());
            }
        }
    }

    private void announce(SendFlow flow, List<String> peerIds) {
        for (String p : peerIds) {
            if (flow.state() == SendFlow.State.OPEN) {
                flow.write(GroupChannel.announcement(p));
                stats.groupAnnouncements.incrementAndGet();
            }
        }
    }

    // ---------------------------------------------------------------- introductions

    /**
     * An IHello for a peer ID (RFC 7016 §3.5.1.4–5, spec §3.5): the initiator gets a Redirect to
     * the target's addresses, observed first, and the target gets the IHello forwarded through its
     * session with us, so both send towards each other at once and their NATs open.
     */
    @Override
    public boolean onForeignHello(ForeignHello hello, long nowMicros) {
        byte[] fingerprint = hello.epd().fingerprint().orElse(null);
        if (fingerprint == null) {
            return false;
        }
        Client target = byPeer.get(Hex.encode(fingerprint));
        if (target == null || !target.connected) {
            stats.introductionsUnknownPeer.incrementAndGet();
            return false;
        }
        List<Address> destinations = new ArrayList<>();
        InetSocketAddress observed = target.session.destination();
        destinations.add(new Address(observed, Address.Origin.OBSERVED));
        for (InetSocketAddress a : target.reported) {
            if (!a.equals(observed)) {
                destinations.add(new Address(a, Address.Origin.REPORTED));
            }
        }
        // The Redirect goes first so the initiator's IHellos open its NAT before the target's RHello arrives.
        endpoint.sendRedirect(hello, destinations, nowMicros);
        target.session.forwardHello(hello.rawEpd(), new Address(hello.source(), Address.Origin.OBSERVED), hello.tag(),
                nowMicros);
        stats.introductions.incrementAndGet();
        return true;
    }
}
