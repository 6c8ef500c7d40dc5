package io.rtmfp4j.server;

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
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.group.wire.GroupChannel;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.TcMessage;
import io.rtmfp4j.flash.tc.TcMetadata;
import io.rtmfp4j.flash.tc.UserControl;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Flash-like client made of our core endpoint and flash codecs, as far as the server tests
 * need one: connect, calls, group joins, peer sessions. Everything runs on the endpoint's loop
 * thread (a simulation's, or a runtime's through {@code execute}).
 */
final class FlashTestClient implements EndpointListener {
    final Endpoint endpoint;
    final InetSocketAddress address;
    final List<Command> commands = new ArrayList<>();
    final List<UserControl> controls = new ArrayList<>();
    final List<String> announced = new ArrayList<>();
    final List<Session> peerSessions = new ArrayList<>();
    final List<CloseReason> closed = new ArrayList<>();
    Session server;
    CloseReason serverFailure;
    SendFlow control;
    ReceiveFlow serverControl;
    SendFlow group;

    FlashTestClient(Endpoint endpoint, InetSocketAddress address) {
        this.endpoint = endpoint;
        this.address = address;
        endpoint.setListener(this);
    }

    static EndpointConfig config(java.security.SecureRandom random) {
        return EndpointConfig.builder(PeerIdentity.newFlashClient(random)).build();
    }

    String peerId() {
        return endpoint.identity().certificate().peerId();
    }

    /** Opens the session to the server and sends {@code connect} with the given extra arguments. */
    void connect(String tcUrl, InetSocketAddress serverAddress, Object... args) {
        connect(Command.connect(tcUrl, 3.0, args), tcUrl, serverAddress);
    }

    /** As {@link #connect}, with a {@code nickname} property (any AMF value) in the connect object. */
    void connectAs(Object nickname, String tcUrl, InetSocketAddress serverAddress) {
        Command plain = Command.connect(tcUrl, 3.0);
        Map<Object, Object> object = new LinkedHashMap<>((Map<?, ?>) plain.commandObject());
        object.put("nickname", nickname);
        connect(new Command(Command.CONNECT, 1, object, List.of()), tcUrl, serverAddress);
    }

    private void connect(Command connect, String tcUrl, InetSocketAddress serverAddress) {
        endpoint.connect(EndpointDiscriminator.forServerUri(tcUrl), List.of(serverAddress), endpoint.now(),
                new ConnectListener() {
                    @Override
                    public void onOpen(Session s) {
                        server = s;
                        control = s.openFlow(TcMetadata.control().encode(), null, 5);
                        send(connect);
                    }

                    @Override
                    public void onFailure(CloseReason reason) {
                        serverFailure = reason;
                    }
                });
    }

    void send(Command c) {
        control.write(c.toMessage().encode());
    }

    void call(String name, double tid, Object... args) {
        send(new Command(name, tid, null, List.of(args)));
    }

    void joinGroup(byte[] groupId) {
        group = server.openFlow(GroupChannel.METADATA, serverControl, 5);
        group.write(GroupChannel.join(groupId));
    }

    /** Opens a direct session to a peer through the server's introduction. */
    void connectToPeer(String peerId, InetSocketAddress serverAddress) {
        endpoint.connect(EndpointDiscriminator.forPeer(Hex.decode(peerId)), List.of(serverAddress), endpoint.now(),
                new ConnectListener() {
                    @Override
                    public void onOpen(Session s) {
                        peerSessions.add(s);
                    }

                    @Override
                    public void onFailure(CloseReason reason) {
                        closed.add(reason);
                    }
                });
    }

    boolean connected() {
        return commands.stream().anyMatch(c -> c.name().equals("_result") && c.transactionId() == 1);
    }

    /** The latest {@code _result} or {@code _error} answering transaction {@code tid}, or null. */
    Command answer(double tid) {
        for (int i = commands.size() - 1; i >= 0; i--) {
            Command c = commands.get(i);
            if (c.transactionId() == tid && (c.name().equals(Command.RESULT) || c.name().equals(Command.ERROR))) {
                return c;
            }
        }
        return null;
    }

    Command last(String name) {
        for (int i = commands.size() - 1; i >= 0; i--) {
            if (commands.get(i).name().equals(name)) {
                return commands.get(i);
            }
        }
        return null;
    }

    @Override
    public void onSessionOpen(Session s) {
        // Sessions we open are reported by their connect listeners; this one is a peer calling us.
        if (s.role() == io.rtmfp4j.core.session.SessionRole.RESPONDER) {
            peerSessions.add(s);
        }
    }

    @Override
    public void onSessionClosed(Session s, CloseReason reason) {
        closed.add(reason);
    }

    @Override
    public void onFlow(ReceiveFlow flow) {
        if (flow.session() != server) {
            return;
        }
        if (GroupChannel.isChannel(flow.metadata())) {
            flow.accept((f, m) -> announced.add(Hex.encode(Arrays.copyOfRange(m, 1, m.length))));
            return;
        }
        if (TcMetadata.parse(flow.metadata()).isPresent()) {
            if (serverControl == null) {
                serverControl = flow;
            }
            flow.accept(new ReceiveFlowHandler() {
                @Override
                public void onMessage(ReceiveFlow f, byte[] message) {
                    TcMessage m = TcMessage.decode(message);
                    if (m.type() == TcMessage.USER_CONTROL) {
                        controls.add(UserControl.decode(m.payload()));
                    } else {
                        commands.add(Command.decode(m));
                    }
                }
            });
        }
    }

    @Override
    public void onInternalError(RuntimeException error) {
        throw new AssertionError("internal error escaped into the client endpoint", error);
    }
}
