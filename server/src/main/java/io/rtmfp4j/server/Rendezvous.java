package io.rtmfp4j.server;

import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.FlowRouter;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.session.SessionRole;
import io.rtmfp4j.flash.net.PeerAddresses;
import io.rtmfp4j.flash.tc.TcMetadata;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.server.auth.Authenticator;
import io.rtmfp4j.server.cluster.Backplane;
import io.rtmfp4j.server.cluster.NodeLink;
import io.rtmfp4j.server.directory.PeerDirectory;
import io.rtmfp4j.flash.group.wire.GroupChannel;
import java.net.InetSocketAddress;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.server.conncheck.ConnectivityCheck;
import io.rtmfp4j.server.relay.Relay;
import io.rtmfp4j.server.relay.RelayNetwork;
import io.rtmfp4j.server.relay.RelaySettings;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The rendezvous server's logic, as Adobe's hosted service behaved: it accepts {@code connect}
 * (spec §6.6), learns each client's addresses, introduces peers to each other (RFC 7016
 * §3.5.1.4–5) and bootstraps groups on the server channel (netgroup spec §4). It relays no media.
 *
 * <p>The parts: {@link ClientCommands} takes each client's TC flows and answers its commands,
 * {@link Introducer} answers IHellos for connected peers, {@link GroupBootstrap} runs the server
 * channel; this class routes flows to them by metadata, keeps the client sessions, and reaps those
 * that never connect.
 *
 * <p>It drives nothing itself: installed on an {@link Endpoint} as its listener and foreign hello
 * handler, it runs on that endpoint's loop thread (or a simulation's), and {@link #onTick} must be
 * called about once a second to reap sessions that never connect.
 *
 * <p>As a node of a cluster it shares the directory and the groups through a {@link Backplane}, and
 * does for the other nodes what only it can do for its clients ({@link NodeLink.Handler}).
 */
public final class Rendezvous implements EndpointListener {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.server");

    private final Endpoint endpoint;
    private final RendezvousSettings settings;
    private final ServerStats stats = new ServerStats();
    private final Clients clients = new Clients();
    private final GroupBootstrap groups;
    private final ClientCommands commands;
    private final FlowRouter router = new FlowRouter();
    /** The relay, when the server has one. */
    private Relay relay;
    /** Set by {@link #shutdown}: completed when the last session has closed. */
    private CompletableFuture<Void> drained;

    /** A server on its own: this directory, groups in memory. */
    public Rendezvous(Endpoint endpoint, RendezvousSettings settings, Authenticator authenticator,
            PeerDirectory directory) {
        this(endpoint, settings, authenticator, Backplane.single(directory), LoopExecutor.IN_PLACE);
    }

    /**
     * A node of a cluster.
     *
     * @param loop runs a task on the endpoint's loop thread: the backplane's answers come back through it
     */
    public Rendezvous(Endpoint endpoint, RendezvousSettings settings, Authenticator authenticator, Backplane backplane,
            Executor loop) {
        this(endpoint, settings, authenticator, backplane, new LoopExecutor(loop));
    }

    private Rendezvous(Endpoint endpoint, RendezvousSettings settings, Authenticator authenticator,
            Backplane backplane, LoopExecutor loop) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.groups = new GroupBootstrap(clients, settings, stats, backplane.groups(), backplane.link(), loop);
        this.commands = new ClientCommands(endpoint, settings, Objects.requireNonNull(authenticator, "authenticator"),
                backplane.directory(), clients, groups, stats, loop, backplane.node());
        router.route(TcMetadata.prefix(), flow -> withClient(flow, c -> commands.onFlow(c, flow)));
        router.route(GroupChannel.METADATA, flow -> withClient(flow, c -> {
            if (c.connected) {
                groups.onChannel(c, flow);
            } else {
                refuse(flow);
            }
        }));
        // Whatever no route takes is refused, and counted.
        router.route(new byte[0], this::refuse);
        router.watch(this);
        endpoint.setListener(router);
        Introducer introducer = new Introducer(endpoint, clients, stats, backplane.directory(), backplane.link(), loop);
        endpoint.setForeignHelloHandler(introducer);
        if (backplane.link() != null) {
            backplane.link().setHandler(new NodeLink.Handler() {
                @Override
                public List<Address> onForwardHello(String peerId, byte[] rawEpd, byte[] tag,
                        InetSocketAddress initiator) {
                    return introducer.forwardFromNode(peerId, rawEpd, tag, initiator);
                }

                @Override
                public void onAnnounce(String groupId, String member, List<String> peerIds) {
                    groups.announceHere(groupId, member, peerIds);
                }
            });
        }
    }

    public ServerStats stats() {
        return stats;
    }

    /**
     * The endpoint's flow router, where a service of the server that opens sessions of its own (the
     * registration with a redirector) routes the flows that come back. Loop thread only.
     */
    public FlowRouter flows() {
        return router;
    }

    /**
     * Gives the server a relay for clients that cannot reach each other directly (docs/nat.md),
     * on {@code network}'s ports. Loop thread only; at most once.
     */
    public Relay enableRelay(RelaySettings settings, RelayNetwork network, SecureRandom random) {
        if (relay != null) {
            throw new IllegalStateException("the relay is enabled already");
        }
        RelayCommands glue = new RelayCommands(clients, commands, endpoint::now);
        relay = new Relay(settings, network, random, glue);
        glue.attach(relay);
        return relay;
    }

    /**
     * Checks every connected client's connectivity once, when it reports its addresses, as
     * rtmfp-cpp's conncheck does (docs/nat.md, "nat-check"). Loop thread only.
     */
    public void enableConnectivityCheck(ConnectivityCheck check) {
        Set<Session> checked = new HashSet<>();
        commands.onPeerInfo(c -> {
            if (checked.add(c.session)) {
                check.start(new ConnectivityCheck.Subject() {
                    @Override
                    public Session session() {
                        return c.session;
                    }

                    @Override
                    public List<InetSocketAddress> reported() {
                        return c.reported;
                    }

                    @Override
                    public void report(Map<String, Object> info) {
                        commands.tell(c, Command.onStatus(info));
                    }
                });
            }
        });
        commands.onRelease(c -> checked.remove(c.session));
    }

    /**
     * Closes sessions that have not connected within the connect timeout, and those that did not
     * acknowledge the server's last word in time; call about once a second.
     */
    public void onTick(long nowMicros) {
        if (relay != null) {
            relay.onTick(nowMicros);
        }
        long limit = settings.connectTimeout().toNanos() / 1000;
        for (Client c : clients.all()) {
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
            commands.shuttingDown();
            if (relay != null) {
                relay.shutdown();
            }
            for (Client c : clients.all()) {
                if (c.connected) {
                    commands.sayClosed(c, reason);
                } else if (c.closeBy == Long.MAX_VALUE) {
                    c.session.close(endpoint.now());
                }
            }
            if (clients.sessions() == 0) {
                drained.complete(null);
            }
        }
        return drained;
    }

    /** The largest groups (of the whole cluster in one), members by group ID, for the status page. Loop thread only. */
    public CompletionStage<Map<String, Integer>> largestGroups(int limit) {
        return groups.largest(limit);
    }

    // ---------------------------------------------------------------- sessions

    @Override
    public void onSessionOpen(Session session) {
        if (session.role() == SessionRole.INITIATOR) {
            // A session the server opened (to a redirector): not a client.
            return;
        }
        String peerId = session.farPeerId().orElse("");
        clients.opened(new Client(session, peerId, endpoint.now()));
        stats.sessions = clients.sessions();
        log.atInfo().addKeyValue("address", PeerAddresses.format(session.destination())).addKeyValue("peerId", peerId)
                .log("session open");
    }

    @Override
    public void onSessionClosed(Session session, CloseReason reason) {
        Client c = clients.closed(session);
        stats.sessions = clients.sessions();
        if (c == null) {
            return;
        }
        if (c.connected) {
            commands.release(c);
        }
        if (drained != null && clients.sessions() == 0) {
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

    private void withClient(ReceiveFlow flow, java.util.function.Consumer<Client> action) {
        Client c = clients.of(flow.session());
        if (c == null) {
            flow.reject(0);
        } else {
            action.accept(c);
        }
    }

    private void refuse(ReceiveFlow flow) {
        stats.flowsRefused.incrementAndGet();
        flow.reject(0);
    }
}
