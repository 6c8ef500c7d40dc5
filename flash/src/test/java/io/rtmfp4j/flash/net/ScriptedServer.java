package io.rtmfp4j.flash.net;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.amf.AmfException;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import io.rtmfp4j.flash.tc.TcMetadata;
import io.rtmfp4j.flash.tc.UserControl;
import io.rtmfp4j.runtime.sim.SimHost;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A rendezvous server reduced to what the client API's tests need, written against the core
 * directly: it answers {@code connect} as told by {@link #connectAnswer}, records every command,
 * can speak first (calls, status, keepalive), and introduces a peer ID to the client that has it.
 * The real server (and its own tests) live in the server module.
 */
final class ScriptedServer {
    static final long SECOND = 1_000_000;

    final SimNetwork net;
    final InetSocketAddress address;
    final Endpoint endpoint;
    /** Commands received on control flows, in order. */
    final List<Command> commands = new ArrayList<>();
    /** The answer to a connect: {@code _result} by default. */
    Function<Command, Command> connectAnswer = c -> Command.result(c.transactionId(), null,
            Status.info(Status.LEVEL_STATUS, Status.CONNECT_SUCCESS, "ok"));
    private final Map<Session, SendFlow> controls = new HashMap<>();
    private final Map<String, Session> byPeer = new HashMap<>();
    private int nextHost = 2;

    ScriptedServer(SimNetwork net, InetSocketAddress address) {
        this.net = net;
        this.address = address;
        endpoint = new Endpoint(EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2),
                net.newSecureRandom())).build(), net.newSecureRandom(), null);
        endpoint.setListener(new EndpointListener() {
            @Override
            public void onSessionOpen(Session session) {
                session.farPeerId().ifPresent(id -> byPeer.put(id, session));
            }

            @Override
            public void onFlow(ReceiveFlow flow) {
                if (TcMetadata.parse(flow.metadata()).map(TcMetadata::streamId).orElse(-1L) != 0) {
                    return;
                }
                SendFlow out = flow.session().openFlow(TcMetadata.control().encode(), flow, 5);
                controls.put(flow.session(), out);
                flow.accept((f, message) -> onCommand(out, message));
            }
        });
        endpoint.setForeignHelloHandler((hello, now) -> {
            Session target = hello.epd().fingerprint().map(f -> byPeer.get(Hex.encode(f))).orElse(null);
            if (target == null) {
                return false;
            }
            endpoint.sendRedirect(hello, List.of(new Address(target.destination(), Address.Origin.OBSERVED)), now);
            target.forwardHello(hello.rawEpd(), new Address(hello.source(), Address.Origin.OBSERVED), hello.tag(), now);
            return true;
        });
        net.attach(address, endpoint);
    }

    private void onCommand(SendFlow out, byte[] message) {
        Command c;
        try {
            c = Command.decode(TcMessage.decode(message));
        } catch (AmfException e) {
            throw new AssertionError("the client sent an undecodable command", e);
        }
        commands.add(c);
        if (c.name().equals(Command.CONNECT)) {
            out.write(connectAnswer.apply(c).toMessage().encode());
        } else if (c.transactionId() > 0 && c.name().equals("echo")) {
            out.write(Command.result(c.transactionId(), null, c.arguments().get(0)).toMessage().encode());
        } else if (c.transactionId() > 0) {
            out.write(Command.error(c.transactionId(), null,
                    Status.info(Status.LEVEL_ERROR, Status.CALL_FAILED, "no " + c.name())).toMessage().encode());
        }
    }

    /** A client host on the network, at 10.0.1.N unless given. */
    SimHost host() {
        return host(new InetSocketAddress("10.0.1." + nextHost++, 50000));
    }

    SimHost host(InetSocketAddress at) {
        EndpointConfig config = EndpointConfig.builder(PeerIdentity.newFlashClient(net.newSecureRandom())).build();
        return new SimHost(net, new Endpoint(config, net.newSecureRandom(), null), at);
    }

    /** The commands named {@code name} received so far. */
    List<Command> received(String name) {
        return commands.stream().filter(c -> c.name().equals(name)).toList();
    }

    /** Sends a TC message on every client's control flow. */
    void sendToAll(TcMessage m) {
        for (SendFlow f : controls.values()) {
            f.write(m.encode());
        }
    }

    void sendToAll(Command c) {
        sendToAll(c.toMessage());
    }

    void setKeepalive(long serverMs, long peerMs) {
        sendToAll(new UserControl.SetKeepalive(serverMs, peerMs).toMessage());
    }
}
