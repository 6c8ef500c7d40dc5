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
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import io.rtmfp4j.flash.tc.TcMetadata;
import io.rtmfp4j.flash.tc.UserControl;
import io.rtmfp4j.server.auth.AuthDecision;
import io.rtmfp4j.server.auth.Authenticator;
import io.rtmfp4j.server.auth.ConnectRequest;
import io.rtmfp4j.server.directory.PeerDirectory;
import io.rtmfp4j.server.directory.PeerRecord;
import io.rtmfp4j.server.groups.Group;
import io.rtmfp4j.server.groups.GroupChannel;
import io.rtmfp4j.server.groups.GroupRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private final Endpoint endpoint;
    private final RendezvousSettings settings;
    private final Authenticator authenticator;
    private final PeerDirectory directory;
    private final GroupRegistry groups = new GroupRegistry();
    private final ServerStats stats = new ServerStats();
    private final Map<Session, Client> bySession = new HashMap<>();
    private final Map<String, Client> byPeer = new HashMap<>();
    private int memberships;

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

    /** Closes sessions that have not connected within the connect timeout; call about once a second. */
    public void onTick(long nowMicros) {
        long limit = settings.connectTimeout().toNanos() / 1000;
        for (Client c : new ArrayList<>(bySession.values())) {
            if (!c.connected && nowMicros - c.openedAt > limit) {
                stats.connectTimeouts.incrementAndGet();
                c.session.close(nowMicros);
            }
        }
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
        log.info("session open {} peer {}", session.destination(), peerId);
    }

    @Override
    public void onSessionClosed(Session session, CloseReason reason) {
        Client c = bySession.remove(session);
        stats.sessions = bySession.size();
        if (c == null) {
            return;
        }
        if (c.connected) {
            if (byPeer.remove(c.peerId, c)) {
                directory.unregister(c.peerId);
            }
            stats.connectedClients = byPeer.size();
        }
        for (String groupId : new ArrayList<>(c.groups.keySet())) {
            leaveGroup(c, groupId);
        }
        log.info("session closed {} peer {} app '{}' after {} s: {}", session.destination(), c.peerId, c.app,
                (endpoint.now() - c.openedAt) / 1_000_000, reason.name().toLowerCase(java.util.Locale.ROOT));
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
        } else if (tc != null && tc.streamId() != 0 && c.connected && c.streams.contains(tc.streamId())) {
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
        c.controlOut.setListener(new SendFlowListener() {
            @Override
            public void onException(SendFlow f, long code) {
                // Either control flow failing ends the connection (spec §6.2).
                c.session.close(endpoint.now());
            }
        });
        flow.accept(new ReceiveFlowHandler() {
            @Override
            public void onMessage(ReceiveFlow f, byte[] message) {
                onControlMessage(c, message);
            }

            @Override
            public void onComplete(ReceiveFlow f) {
                c.session.close(endpoint.now());
            }
        });
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
            default -> failCall(c.controlOut, cmd);
        }
    }

    private static boolean isCommand(byte[] message) {
        int type = message.length > 0 ? message[0] & 0xff : -1;
        return type == TcMessage.COMMAND_AMF0 || type == TcMessage.COMMAND_AMF3;
    }

    private void failCall(SendFlow to, Command cmd) {
        stats.commandErrors.incrementAndGet();
        Map<String, Object> info = Status.info("error", Status.CALL_FAILED, "Method not found (" + cmd.name() + ")");
        write(to, cmd.transactionId() > 0 ? Command.error(cmd.transactionId(), null, info) : Command.onStatus(info));
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
        c.app = app;
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
            stats.connectsRejected.incrementAndGet();
            log.info("connect rejected {} peer {} app '{}': {}", c.session.destination(), c.peerId, app,
                    decision.description());
            write(c.controlOut, Command.error(cmd.transactionId(), null,
                    Status.info("error", Status.CONNECT_REJECTED, decision.description())));
            // Close once the rejection is delivered, so the client reads why (the connect timeout is the backstop).
            c.controlOut.setListener(new SendFlowListener() {
                @Override
                public void onComplete(SendFlow f) {
                    c.session.close(endpoint.now());
                }
            });
            c.controlOut.close();
            return;
        }
        c.connected = true;
        c.user = decision.user();
        Client previous = byPeer.put(c.peerId, c);
        if (previous != null && previous != c) {
            // The same identity connected again (a restarted NetConnection): the newest session is the one to
            // reach. The old one leaves its groups now, so the new one joins them afresh and hears their members.
            previous.connected = false;
            for (String groupId : new ArrayList<>(previous.groups.keySet())) {
                leaveGroup(previous, groupId);
            }
            previous.session.close(endpoint.now());
        }
        stats.connectedClients = byPeer.size();
        directory.register(record(c));
        stats.connectsAccepted.incrementAndGet();
        Map<String, Object> info = Status.info("status", Status.CONNECT_SUCCESS, "Connection succeeded.");
        info.put("objectEncoding", object.get("objectEncoding") instanceof Number n ? n.doubleValue() : 0.0);
        info.put("connectionID", c.peerId);
        info.putAll(decision.resultProperties());
        write(c.controlOut, Command.result(cmd.transactionId(), null, info));
        write(c.controlOut, new UserControl.SetKeepalive(settings.serverKeepalive().toMillis(),
                settings.peerKeepalive().toMillis()).toMessage());
        log.debug("connect {} peer {} app '{}'", c.session.destination(), c.peerId, app);
    }

    private void onSetPeerInfo(Client c, Command cmd) {
        // librtmfp puts the first address where the null command object belongs (spec P31).
        List<Object> values = new ArrayList<>();
        values.add(cmd.commandObject());
        values.addAll(cmd.arguments());
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (Object v : values) {
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
        if (c.streams.size() >= settings.maxStreamsPerClient()) {
            stats.commandErrors.incrementAndGet();
            write(c.controlOut, Command.error(cmd.transactionId(), null,
                    Status.info("error", Status.CALL_FAILED, "too many streams")));
            return;
        }
        long id = c.nextStreamId++;
        c.streams.add(id);
        // Answered even with transaction ID 0, which librtmfp uses (spec P31).
        write(c.controlOut, Command.result(cmd.transactionId(), null, (double) id));
    }

    private void onDeleteStream(Client c, Command cmd) {
        if (!cmd.arguments().isEmpty() && cmd.arguments().get(0) instanceof Number n) {
            c.streams.remove(n.longValue());
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
            default -> failCall(out, cmd);
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
        return new PeerRecord(c.peerId, c.app, c.session.destination(), c.reported, PeerRecord.LOCAL);
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
                if (c.groups.containsKey(groupId) || c.groups.size() >= settings.maxGroupsPerClient()) {
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
        c.groups.put(groupId, reply);
        memberships++;
        Group.Announcements a = groups.join(groupId, c.peerId);
        stats.groupJoins.incrementAndGet();
        announce(reply, a.toNewcomer());
        announceToMembers(groupId, a.toMembers());
        stats.groups = groups.size();
        stats.groupMemberships = memberships;
    }

    private void leaveGroup(Client c, String groupId) {
        SendFlow reply = c.groups.remove(groupId);
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
            SendFlow flow = member == null ? null : member.groups.get(groupId);
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
