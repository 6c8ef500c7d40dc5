package io.rtmfp4j.server;

import io.rtmfp4j.core.crypto.Certificate;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.FlowRouter;
import io.rtmfp4j.core.session.ForeignHello;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.net.PeerAddresses;
import io.rtmfp4j.server.cluster.Backplane;
import io.rtmfp4j.server.cluster.NodeStatus;
import io.rtmfp4j.server.redirect.RedirectorMessage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A load-balancing front for rendezvous servers (RFC 7016 §3.5.1.7, spec §3.5): its certificate
 * names a hostname and does not accept ancillary data, so a client's IHello for the service (the
 * server URI) does not select it and is answered with a Redirect to the least-loaded servers; the
 * client takes the first of them that answers. Servers are known two ways, and both count:
 * <ul>
 * <li>servers that register over rtmfp-cpp's redirector protocol (spec §7.4: rtmfp-cpp's
 *     {@code echoserver -L}, {@code rtmfp server --redirector}), with their load factors; IHellos
 *     are also forwarded to them through their registration sessions, as rtmfp-cpp's redirector does;</li>
 * <li>the nodes of a cluster it has joined, with their live sessions as the load.</li>
 * </ul>
 * An IHello for a peer ID goes to the registered server of that fingerprint, or to the node of the
 * cluster where that peer is connected (as any node introduces it). Loop thread only.
 */
public final class Redirector implements EndpointListener {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.redirector");

    /**
     * @param targets   servers listed in one Redirect (rtmfp-cpp's default is 2)
     * @param passwords registration passwords by key ID; empty to take any server
     */
    public record Settings(int targets, Map<String, byte[]> passwords) {
        public Settings {
            if (targets < 1) {
                throw new IllegalArgumentException("a redirect lists at least one server");
            }
            passwords = Map.copyOf(passwords);
        }
    }

    /** Counters, readable from any thread. */
    public static final class Stats {
        final AtomicLong redirects = new AtomicLong();
        final AtomicLong noServer = new AtomicLong();
        final AtomicLong introductions = new AtomicLong();
        volatile int registered;

        /** IHellos for the service answered with a Redirect to servers. */
        public long redirects() {
            return redirects.get();
        }

        /** IHellos for the service left unanswered: no server to send them to. */
        public long noServer() {
            return noServer.get();
        }

        /** IHellos for a peer ID sent on to a registered server of that fingerprint. */
        public long introductions() {
            return introductions.get();
        }

        /** Servers registered and active (not draining). */
        public int registered() {
            return registered;
        }
    }

    /** A server registered over the protocol. */
    private static final class Registration {
        final Session session;
        final String fingerprint;
        boolean authenticated;
        boolean active;
        boolean includeReflexive;
        List<Address> addresses = List.of();
        long load;
        SendFlow reply;
        InetSocketAddress reported;

        Registration(Session session, String fingerprint) {
            this.session = session;
            this.fingerprint = fingerprint;
        }

        List<Address> destinations() {
            List<Address> out = new ArrayList<>();
            if (includeReflexive) {
                out.add(new Address(session.destination(), Address.Origin.OBSERVED));
            }
            out.addAll(addresses);
            return out;
        }
    }

    /** Somewhere to send a client, and how busy it is. */
    private record Candidate(long load, List<Address> addresses, Registration registration) {
    }

    private final Endpoint endpoint;
    private final Settings settings;
    private final Supplier<List<NodeStatus>> nodes;
    private final Introducer introducer;
    private final Stats stats = new Stats();
    private final Map<Session, Registration> registrations = new LinkedHashMap<>();
    private long rotation;

    /**
     * @param backplane the cluster it has joined, or null
     * @param loop      runs a task on the endpoint's loop thread (for the cluster's answers)
     * @param nodes     the cluster's nodes as last heard; empty without a cluster
     */
    public Redirector(Endpoint endpoint, Settings settings, Backplane backplane, Executor loop,
            Supplier<List<NodeStatus>> nodes) {
        this.endpoint = endpoint;
        this.settings = settings;
        this.nodes = nodes;
        // A redirector has no clients of its own: a peer ID goes to the node the directory names.
        this.introducer = backplane == null ? null : new Introducer(endpoint, new Clients(), new ServerStats(),
                backplane.directory(), backplane.link(), new LoopExecutor(loop));
        FlowRouter router = new FlowRouter();
        router.route(RedirectorMessage.METADATA, this::onRegistration);
        router.route(new byte[0], flow -> flow.reject(0));
        router.watch(this);
        endpoint.setListener(router);
        endpoint.setForeignHelloHandler(this::onForeignHello);
    }

    public Stats stats() {
        return stats;
    }

    /**
     * A server registered over the protocol, as the redirector sees it.
     *
     * @param peerId    its fingerprint
     * @param active    whether it takes new clients (it sent settings and is not draining)
     * @param load      its last load factor
     * @param addresses where clients are redirected to it
     */
    public record Registered(String peerId, boolean active, long load, List<InetSocketAddress> addresses) {
    }

    /** The servers registered and authenticated. Loop thread only. */
    public List<Registered> registered() {
        return registrations.values().stream().filter(r -> r.authenticated)
                .map(r -> new Registered(r.fingerprint, r.active, r.load,
                        r.destinations().stream().map(Address::socketAddress).toList()))
                .toList();
    }

    /** Tells registered servers their address again when it changed; call about once a second. */
    public void onTick(long nowMicros) {
        for (Registration r : registrations.values()) {
            reportAddress(r);
        }
    }

    // ---------------------------------------------------------------- redirects

    private boolean onForeignHello(ForeignHello hello, long nowMicros) {
        if (hello.epd().fingerprint().isPresent()) {
            // A fingerprint overrides everything else (RFC 7425 §4.4.3).
            String peerId = Hex.encode(hello.epd().fingerprint().get());
            for (Registration r : registrations.values()) {
                if (r.authenticated && r.fingerprint.equals(peerId)) {
                    endpoint.sendRedirect(hello, r.destinations(), nowMicros);
                    r.session.forwardHello(hello.rawEpd(), new Address(hello.source(), Address.Origin.OBSERVED),
                            hello.tag(), nowMicros);
                    stats.introductions.incrementAndGet();
                    return true;
                }
            }
            return introducer != null && introducer.onForeignHello(hello, nowMicros);
        }
        if (hello.epd().ancillaryData().isEmpty()) {
            return false;
        }
        List<Candidate> chosen = choose();
        if (chosen.isEmpty()) {
            stats.noServer.incrementAndGet();
            return false;
        }
        List<Address> destinations = new ArrayList<>();
        for (Candidate c : chosen) {
            for (Address a : c.addresses()) {
                if (!destinations.contains(a)) {
                    destinations.add(a);
                }
            }
        }
        // The Redirect first, so the client's IHellos open its NAT before a forwarded server's RHello arrives.
        endpoint.sendRedirect(hello, destinations, nowMicros);
        for (Candidate c : chosen) {
            if (c.registration() != null) {
                c.registration().session.forwardHello(hello.rawEpd(),
                        new Address(hello.source(), Address.Origin.OBSERVED), hello.tag(), nowMicros);
            }
        }
        stats.redirects.incrementAndGet();
        return true;
    }

    /**
     * The {@link Settings#targets()} least-loaded servers, least first. Among equal loads the
     * starting point rotates with every redirect, so that a burst of clients arriving between two
     * load reports spreads over the servers instead of all going to the first.
     */
    private List<Candidate> choose() {
        List<Candidate> all = new ArrayList<>();
        for (Registration r : registrations.values()) {
            if (r.authenticated && r.active && !r.destinations().isEmpty()) {
                all.add(new Candidate(r.load, r.destinations(), r));
            }
        }
        for (NodeStatus n : nodes.get()) {
            List<Address> addresses = n.addresses().stream().map(PeerAddresses::parse).flatMap(java.util.Optional::stream)
                    .map(a -> new Address(a, Address.Origin.REPORTED)).toList();
            if (!addresses.isEmpty()) {
                all.add(new Candidate(n.sessions(), addresses, null));
            }
        }
        if (all.isEmpty()) {
            return List.of();
        }
        int start = (int) (rotation++ % all.size());
        List<Candidate> rotated = new ArrayList<>(all.subList(start, all.size()));
        rotated.addAll(all.subList(0, start));
        // A stable sort keeps the rotation among equals.
        rotated.sort(Comparator.comparingLong(Candidate::load));
        return rotated.subList(0, Math.min(settings.targets(), rotated.size()));
    }

    // ---------------------------------------------------------------- registrations

    private void onRegistration(ReceiveFlow flow) {
        Session s = flow.session();
        boolean server = s.farCertificate().map(Certificate::acceptsAncillaryData).orElse(false);
        if (!server || registrations.containsKey(s)) {
            // Only servers (certificates that accept ancillary data) register, once per session, as with rtmfp-cpp.
            flow.reject(0);
            return;
        }
        Registration r = new Registration(s, s.farPeerId().orElse(""));
        r.authenticated = settings.passwords().isEmpty();
        registrations.put(s, r);
        flow.accept(new ReceiveFlowHandler() {
            @Override
            public void onMessage(ReceiveFlow f, byte[] message) {
                onRegistrationMessage(r, f, message);
            }

            @Override
            public void onComplete(ReceiveFlow f) {
                forget(r);
            }
        });
        log.atInfo().addKeyValue("address", PeerAddresses.format(s.destination())).addKeyValue("peerId", r.fingerprint)
                .log("server connected");
    }

    private void onRegistrationMessage(Registration r, ReceiveFlow flow, byte[] message) {
        RedirectorMessage m;
        try {
            m = RedirectorMessage.decode(message);
        } catch (WireFormatException e) {
            log.atInfo().addKeyValue("peerId", r.fingerprint).addKeyValue("reason", e.getMessage())
                    .log("malformed registration; closing");
            r.session.close(endpoint.now());
            return;
        }
        if (m instanceof RedirectorMessage.SimpleAuth a) {
            byte[] password = settings.passwords().get(new String(a.keyId(), java.nio.charset.StandardCharsets.UTF_8));
            byte[] nonce = r.session.security().orElseThrow().keys().nearNonce();
            if (password != null && a.proves(password, nonce)) {
                r.authenticated = true;
            } else if (password != null) {
                refuse(r, flow, "bad password");
            }
            return;
        }
        if (!r.authenticated) {
            refuse(r, flow, "no password");
            return;
        }
        if (m instanceof RedirectorMessage.Settings st) {
            r.active = true;
            r.includeReflexive = st.includeReflexive();
            r.addresses = st.addresses();
            log.atInfo().addKeyValue("peerId", r.fingerprint)
                    .addKeyValue("addresses", r.destinations().stream().map(a -> PeerAddresses.format(a.socketAddress()))
                            .toList()).log("server registered");
        } else if (m instanceof RedirectorMessage.Draining) {
            r.active = false;
        } else if (m instanceof RedirectorMessage.LoadFactor lf) {
            r.load = lf.load();
        }
        ensureReply(r, flow);
        updateGauge();
    }

    private void refuse(Registration r, ReceiveFlow flow, String why) {
        log.atInfo().addKeyValue("peerId", r.fingerprint).addKeyValue("reason", why).log("registration refused");
        forget(r);
        flow.reject(RedirectorMessage.EXCEPTION_BAD_AUTH);
    }

    /** The return flow, opened with the first accepted message, on which the server hears its address. */
    private void ensureReply(Registration r, ReceiveFlow flow) {
        if (r.reply == null) {
            r.reply = r.session.openFlow(RedirectorMessage.METADATA, flow, 0);
            reportAddress(r);
        }
    }

    private void reportAddress(Registration r) {
        InetSocketAddress now = r.session.destination();
        if (r.reply != null && r.reply.state() == SendFlow.State.OPEN && !now.equals(r.reported)) {
            r.reply.write(new RedirectorMessage.ReflexiveAddress(new Address(now, Address.Origin.OBSERVED)).encode());
            r.reported = now;
        }
    }

    private void forget(Registration r) {
        if (registrations.remove(r.session) != null) {
            updateGauge();
        }
    }

    private void updateGauge() {
        stats.registered = (int) registrations.values().stream().filter(x -> x.authenticated && x.active).count();
    }

    @Override
    public void onSessionClosed(Session session, CloseReason reason) {
        Registration r = registrations.get(session);
        if (r != null) {
            forget(r);
            log.atInfo().addKeyValue("peerId", r.fingerprint).addKeyValue("reason", reason).log("server disconnected");
        }
    }
}
