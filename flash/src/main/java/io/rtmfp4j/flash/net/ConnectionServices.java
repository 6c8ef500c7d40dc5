package io.rtmfp4j.flash.net;

import io.rtmfp4j.core.session.ConnectListener;
import io.rtmfp4j.core.session.FlowRouter;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.runtime.EndpointHost;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a service built on a {@link NetConnection} (a NetGroup, say) needs from it: the flow router
 * to receive its flows by metadata, the server session to open flows to, peer sessions opened
 * through the server's introduction, the connection's status listeners, and word when the
 * connection ends. Services run on the connection's loop thread, and so must every call here,
 * except {@link #host()}, {@link #callbacks()} and {@link #isConnected()}.
 */
public final class ConnectionServices {
    private final NetConnection nc;
    private final List<Consumer<NetStatus>> onClose = new ArrayList<>();
    private NetStatus closedWith;
    private final Map<Class<?>, Object> shared = new HashMap<>();

    ConnectionServices(NetConnection nc) {
        this.nc = nc;
    }

    /** The connection's loop, clock and identity. Any thread. */
    public EndpointHost host() {
        return nc.host();
    }

    /** Where the application's callbacks run. Any thread. */
    public Executor callbacks() {
        return nc.callbacks();
    }

    /** Whether the connection is connected to its server and not closed. Any thread. */
    public boolean isConnected() {
        return nc.isOpenForStreams();
    }

    /** The router of the connection's endpoint: register routes for the flows the service takes. */
    public FlowRouter flows() {
        return nc.router();
    }

    /** Whether {@code session} is the connection's session with its server. */
    public boolean isServer(Session session) {
        return nc.server().isServer(session);
    }

    /**
     * A flow to the server associated with its control flow (how a NetGroup's server channel is
     * opened, netgroup spec §1); empty when not connected.
     */
    public Optional<SendFlow> openServerFlow(byte[] metadata, int priority) {
        return nc.isOpenForStreams() ? nc.server().openFlow(metadata, priority) : Optional.empty();
    }

    /**
     * Opens, joins or reuses the session to a peer: the server introduces us (RFC 7016 §3.5.1.5)
     * and the {@code known} addresses of the peer are tried at the same time.
     */
    public void openPeer(String peerId, Collection<InetSocketAddress> known, ConnectListener listener) {
        nc.peers().open(PeerIds.normalize(peerId), known, listener);
    }

    /** How the open session to {@code peerId} goes (directly or through the server's relay), if there is one. */
    public Optional<PeerPath> peerPath(String peerId) {
        return nc.relays().path(PeerIds.normalize(peerId));
    }

    /** The rendezvous server's address as this connection reaches it; empty when not connected. */
    public Optional<InetSocketAddress> serverAddress() {
        return nc.server().address();
    }

    /**
     * The addresses at which peers may reach this connection's endpoint, as it tells the server
     * with {@code setPeerInfo}: every usable local address of its sockets, or none when it talks to
     * the server through a TCP tunnel (its UDP presumably blocked).
     */
    public List<InetSocketAddress> localAddresses() {
        if (!nc.reachableByUdp()) {
            return List.of();
        }
        return serverAddress().map(s -> LocalAddresses.toReport(nc.host().localAddresses(), s)).orElse(List.of());
    }

    /**
     * The one instance of {@code type} on this connection, made by {@code create} on first use: how
     * the NetGroups of a connection share the flows they route.
     */
    public <T> T shared(Class<T> type, Function<ConnectionServices, T> create) {
        Object existing = shared.get(type);
        if (existing == null) {
            existing = Objects.requireNonNull(create.apply(this));
            shared.put(type, existing);
        }
        return type.cast(existing);
    }

    /** Sends a status event to the connection's listeners (Flash sends {@code NetGroup.Connect.*} there). */
    public void status(NetStatus status) {
        nc.emit(status);
    }

    /**
     * Calls {@code action} once when the connection ends, with the reason, before its sessions
     * close; at once if it has ended already.
     */
    public FlowRouter.Registration onClose(Consumer<NetStatus> action) {
        Objects.requireNonNull(action);
        if (closedWith != null) {
            action.accept(closedWith);
            return () -> { };
        }
        onClose.add(action);
        return () -> onClose.remove(action);
    }

    void connectionClosed(NetStatus why) {
        closedWith = why;
        for (Consumer<NetStatus> action : List.copyOf(onClose)) {
            action.accept(why);
        }
        onClose.clear();
    }
}
