package io.rtmfp4j.flash.group;

import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.ConnectListener;
import io.rtmfp4j.core.session.FlowRouter;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.flash.group.overlay.BestList;
import io.rtmfp4j.flash.group.overlay.HeardList;
import io.rtmfp4j.flash.group.overlay.LocalCoverage;
import io.rtmfp4j.flash.group.overlay.MemberCountEstimate;
import io.rtmfp4j.flash.group.wire.GroupChannel;
import io.rtmfp4j.flash.group.wire.GroupConnect;
import io.rtmfp4j.flash.group.wire.GroupReport;
import io.rtmfp4j.flash.net.ConnectionServices;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.runtime.EndpointHost;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One NetGroup's state on its connection's loop thread: membership (the server channel, the heard
 * list), the neighbors and the topology that chooses them (netgroup spec §4–7), and the posting
 * and routing services on top. {@link NetGroup} is its thread-safe face.
 *
 * <p>Every second it refreshes what it knows, dials members of its best list it has no neighbor
 * session with, asks neighbors it no longer needs to go, and opens a report exchange with one
 * neighbor every {@link #REPORT_PERIOD_MICROS}; server announcements and new members in reports
 * make it reconsider at the next second rather than wait.
 */
final class GroupEngine {
    static final long SECOND = 1_000_000;
    /** A periodic report to one random neighbor (spec §6, §15: 10 s). */
    static final long REPORT_PERIOD_MICROS = 10 * SECOND;
    /** The best list is recomputed at least this often, and within a second of news (spec §7.2). */
    static final long TOPOLOGY_PERIOD_MICROS = 10 * SECOND;
    /** Heard-list cleanup (spec §15: every 19 s). */
    static final long CLEANUP_PERIOD_MICROS = 19 * SECOND;
    /** A neighbor that has not completed its connect and first report by then is given up. */
    static final long NEIGHBOR_SETUP_MICROS = 30 * SECOND;
    /** At most one disconnect request per peer in this long (spec §5.5, §15: 90 s). */
    static final long DISCONNECT_REQUEST_PERIOD_MICROS = 90 * SECOND;
    /** New dials per topology round: enough to converge fast, few enough not to storm the server. */
    static final int DIALS_PER_ROUND = 8;
    /** A member whose dial failed this many times in a row is forgotten (it left, or cannot be reached). */
    static final int MAX_DIAL_FAILURES = 2;
    /** Our own public addresses as neighbors report them, at most (spec §6: librtmfp keeps 7). */
    static final int MAX_OWN_ADDRESSES = 7;

    private static final Logger log = LoggerFactory.getLogger(NetGroup.class);

    private final NetGroup face;
    private final ConnectionServices services;
    private final GroupSpec spec;
    /** The group in log lines: the start of its ID. */
    private final String logName;
    private final String nearId;
    private final GroupAddress self;
    private final HeardList heard;
    private final Random random;
    private final long listSeed;
    private final Traffic traffic;
    private final Map<String, Neighbor> neighbors = new HashMap<>();
    private final Map<String, Long> dialing = new HashMap<>();
    private final Map<String, Integer> dialFailures = new HashMap<>();
    /** Our public addresses as neighbors see them (the {@code 0d} option of their reports, spec §6). */
    private final Set<InetSocketAddress> ownPublic = new LinkedHashSet<>();
    private final Posting posting;
    private final Routing routing;
    private GroupService service;
    private ReceiveMode receiveMode = ReceiveMode.EXACT;
    private SendFlow channel;
    private FlowRouter.Registration channelReturns;
    private FlowRouter.Registration onConnectionClose;
    private boolean started;
    private boolean closed;
    private boolean topologyDirty = true;
    private long nextTopology;
    private long nextReport;
    private long nextCleanup;
    private LocalCoverage coverage;

    GroupEngine(NetGroup face, ConnectionServices services, GroupSpec spec, Traffic traffic) {
        this.face = face;
        this.services = services;
        this.spec = spec;
        this.logName = spec.groupIdHex().substring(0, 8);
        this.traffic = traffic;
        this.nearId = services.host().identity().certificate().peerId();
        this.self = GroupAddress.ofPeer(nearId);
        this.heard = new HeardList(nearId);
        this.coverage = LocalCoverage.of(self, new TreeSet<>());
        // Choices that only shape the overlay: seeded by who we are, so that a simulation replays.
        this.listSeed = Long.parseUnsignedLong(nearId.substring(0, 16), 16);
        this.random = new Random(listSeed);
        this.posting = new Posting(this);
        this.routing = new Routing(this);
    }

    // ---------------------------------------------------------------- what the parts use

    GroupSpec spec() {
        return spec;
    }

    String nearId() {
        return nearId;
    }

    GroupAddress self() {
        return self;
    }

    ReceiveMode receiveMode() {
        return receiveMode;
    }

    FlowRouter flows() {
        return services.flows();
    }

    void drop(Traffic.Drop why) {
        traffic.drop(why);
    }

    Posting posting() {
        return posting;
    }

    Routing routing() {
        return routing;
    }

    Random random() {
        return random;
    }

    EndpointHost host() {
        return services.host();
    }

    long now() {
        return services.host().now();
    }

    void count(Traffic.Category c, long bytes) {
        traffic.add(c, bytes, now());
    }

    /** The neighbors that take part in posting and routing: established, and running this project. */
    List<Neighbor> serviceNeighbors() {
        List<Neighbor> out = new ArrayList<>();
        for (Neighbor n : neighbors.values()) {
            if (n.isEstablished() && n.hasExtensions()) {
                out.add(n);
            }
        }
        return out;
    }

    Neighbor neighbor(String peerId) {
        Neighbor n = neighbors.get(peerId);
        return n != null && n.isEstablished() ? n : null;
    }

    void emit(String code, Map<String, Object> info) {
        face.emit(NetStatus.of(Status.LEVEL_STATUS, code, "", info));
    }

    // ---------------------------------------------------------------- joining and leaving

    /** Joins: on the server channel if the groupspec has it, and through its bootstrap peers. */
    void start() {
        if (closed || started) {
            return;
        }
        started = true;
        if (!services.isConnected()) {
            connectStatus(Status.LEVEL_ERROR, Status.GROUP_CONNECT_FAILED, "the NetConnection is not connected");
            closed = true;
            return;
        }
        if (spec.peerToPeerDisabled()) {
            // Pure IP multicast (spec §12): a transport this project does not speak.
            connectStatus(Status.LEVEL_ERROR, Status.GROUP_CONNECT_REJECTED,
                    "peer-to-peer is disabled in this groupspec, and IP multicast is not supported");
            closed = true;
            return;
        }
        service = GroupService.of(services);
        if (!service.add(this)) {
            connectStatus(Status.LEVEL_ERROR, Status.GROUP_CONNECT_REJECTED,
                    "this NetConnection is already a member of the group");
            closed = true;
            return;
        }
        onConnectionClose = services.onClose(why -> terminate());
        if (spec.serverChannelEnabled()) {
            channel = services.openServerFlow(GroupChannel.METADATA, Neighbor.CONTROL_PRIORITY).orElse(null);
            if (channel != null) {
                channelReturns = services.flows().routeReturns(channel, this::onServerChannel);
                channel.write(GroupChannel.join(spec.groupId()));
            }
        }
        for (String peer : spec.bootstrapPeers()) {
            addMemberHint(peer);
        }
        connectStatus(Status.LEVEL_STATUS, Status.GROUP_CONNECT_SUCCESS, "joined the group");
        long now = now();
        nextTopology = now;
        nextReport = now + REPORT_PERIOD_MICROS;
        nextCleanup = now + CLEANUP_PERIOD_MICROS;
        services.host().schedule(SECOND, e -> tick());
        face.publish(this);
    }

    private void connectStatus(String level, String code, String description) {
        NetStatus status = NetStatus.of(level, code, description, Map.of("group", face));
        services.status(status);
        face.emitConnect(status);
    }

    /** {@code NetGroup.close()}: leaves the server channel and every neighbor. */
    void close() {
        if (closed) {
            return;
        }
        if (channel != null && channel.state() == SendFlow.State.OPEN) {
            // Closing the channel is how a member leaves (spec §4.3).
            channel.close();
        }
        terminate();
    }

    /** Ends everything; the connection closing ends it too. */
    private void terminate() {
        if (closed) {
            return;
        }
        closed = true;
        for (Neighbor n : new ArrayList<>(neighbors.values())) {
            n.close();
        }
        neighbors.clear();
        if (channelReturns != null) {
            channelReturns.remove();
        }
        if (onConnectionClose != null) {
            onConnectionClose.remove();
        }
        if (service != null) {
            service.remove(this);
        }
        face.publish(this);
    }

    boolean isClosed() {
        return closed;
    }

    /** The server's answer on the server channel: one peer ID per message (spec §4.2). */
    private void onServerChannel(ReceiveFlow flow) {
        flow.accept(new ReceiveFlowHandler() {
            @Override
            public void onMessage(ReceiveFlow f, byte[] message) {
                GroupChannel.parseAnnouncement(message).ifPresentOrElse(peer -> {
                    // Peers the server names are dialled at once, through the server (spec §4.4).
                    if (!closed && heard.heard(peer, now(), List.of()).isPresent()) {
                        dial(peer);
                    }
                }, () -> drop(Traffic.Drop.MALFORMED));
            }
        });
    }

    // ---------------------------------------------------------------- members and neighbors

    void addMemberHint(String peerId) {
        if (!closed && heard.heard(peerId, now(), List.of()).isPresent()) {
            topologyDirty = true;
        }
    }

    void addNeighbor(String peerId) {
        if (!closed && heard.heard(peerId, now(), List.of()).isPresent()) {
            dial(peerId);
        }
    }

    /** Opens (or reuses) the session to a member and sends it our group connect. */
    private void dial(String peerId) {
        if (closed || neighbors.containsKey(peerId) || dialing.containsKey(peerId)) {
            return;
        }
        dialing.put(peerId, now());
        List<InetSocketAddress> known = new ArrayList<>();
        heard.get(peerId).ifPresent(m -> m.addresses().forEach(a -> known.add(a.socketAddress())));
        services.openPeer(peerId, known, new ConnectListener() {
            @Override
            public void onOpen(Session session) {
                dialing.remove(peerId);
                dialFailures.remove(peerId);
                if (!closed) {
                    relation(session, peerId).sendConnect();
                }
            }

            @Override
            public void onFailure(CloseReason reason) {
                dialing.remove(peerId);
                if (dialFailures.merge(peerId, 1, Integer::sum) >= MAX_DIAL_FAILURES) {
                    dialFailures.remove(peerId);
                    heard.remove(peerId);
                }
            }
        });
    }

    /** The relation with the member at the far end of {@code session}, made if there is none. */
    private Neighbor relation(Session session, String peerId) {
        Neighbor n = neighbors.get(peerId);
        if (n != null && n.session != session) {
            // A new session replaced the one the relation was on.
            neighborLost(n, "a new session replaced the neighbor's");
            n = null;
        }
        if (n == null) {
            n = new Neighbor(this, session, peerId, now());
            neighbors.put(peerId, n);
        }
        return n;
    }

    /** A peer's {@code GR 1C} flow for this group (spec §5.4 step 2). */
    void onConnectFlow(ReceiveFlow flow, GroupConnect connect, ForwardingHandler handler) {
        String peerId = flow.session().farPeerId().orElse(null);
        if (closed || peerId == null) {
            flow.reject(0);
            return;
        }
        heard.heard(peerId, now(), List.of(new Address(flow.session().destination(), Address.Origin.OBSERVED)));
        relation(flow.session(), peerId).onConnectFlow(flow, connect, handler);
    }

    void neighborEstablished(Neighbor n) {
        log.debug("group {}: neighbor {} at {} connected{}", logName, n.peerId, n.session.destination(),
                n.hasExtensions() ? "" : " (without this project's extensions)");
        topologyDirty = true;
        emit(Status.GROUP_NEIGHBOR_CONNECT, Map.of("neighbor", n.address.hex(), "peerID", n.peerId));
        updateCoverage();
        face.publish(this);
    }

    /** Ends a relation, whatever ended it; a neighbor's end is told (spec §5.5). */
    void neighborLost(Neighbor n, String why) {
        if (neighbors.get(n.peerId) != n) {
            return;
        }
        boolean wasEstablished = n.isEstablished();
        log.debug("group {}: {} {} lost: {}", logName, wasEstablished ? "neighbor" : "member", n.peerId, why);
        neighbors.remove(n.peerId);
        n.close();
        posting.neighborLost(n);
        topologyDirty = true;
        if (wasEstablished) {
            emit(Status.GROUP_NEIGHBOR_DISCONNECT, Map.of("neighbor", n.address.hex(), "peerID", n.peerId));
            updateCoverage();
            face.publish(this);
        }
    }

    void sessionClosed(Session session) {
        for (Neighbor n : new ArrayList<>(neighbors.values())) {
            if (n.session == session) {
                neighborLost(n, "the session ended");
            }
        }
    }

    /**
     * A neighbor asks to be let go (spec §5.5): granted if it is not in our best list and we have
     * more neighbors than we aim at.
     */
    void disconnectRequested(Neighbor n) {
        Set<GroupAddress> wanted = bestList();
        if (!wanted.contains(n.address) && establishedCount() > target()) {
            neighborLost(n, "it asked to go");
        }
    }

    void reportReceived(Neighbor from, GroupReport r) {
        log.debug("group {}: report from {}: it sees us at {}, its addresses {}, {} members", logName, from.peerId,
                r.observedAddress().socketAddress(), r.senderAddresses(), r.entries().size());
        long now = now();
        heard.heard(from.peerId, now, r.senderAddresses());
        InetSocketAddress observed = r.observedAddress().socketAddress();
        if (ownPublic.size() < MAX_OWN_ADDRESSES) {
            ownPublic.add(observed);
        }
        for (GroupReport.Entry e : r.entries()) {
            if (e.elapsedSeconds() >= GroupReport.MAX_ELAPSED_SECONDS || e.peerId().equals(nearId)) {
                continue;
            }
            heard.heard(e.peerId(), now - e.elapsedSeconds() * SECOND, e.addresses()).ifPresent(h -> {
                if (h.isNew()) {
                    topologyDirty = true;
                }
            });
        }
    }

    /**
     * The report for a neighbor (spec §6): where we see it, our server and addresses, and the
     * members of the best list we would compute for it, with their addresses.
     */
    GroupReport reportFor(Neighbor n) {
        long now = now();
        List<Address> mine = new ArrayList<>();
        services.serverAddress().ifPresent(s -> mine.add(new Address(s, Address.Origin.RELAY)));
        for (InetSocketAddress a : ownPublic) {
            mine.add(new Address(a, Address.Origin.OBSERVED));
        }
        for (InetSocketAddress a : services.localAddresses()) {
            if (mine.size() < GroupReport.MAX_ADDRESSES && mine.stream().noneMatch(m -> m.socketAddress().equals(a))) {
                mine.add(new Address(a, Address.Origin.REPORTED));
            }
        }
        List<GroupReport.Entry> entries = new ArrayList<>();
        NavigableSet<GroupAddress> ring = heard.ring();
        for (GroupAddress a : BestList.select(ring, n.address, Map.of(), estimatedMemberCount(), random)) {
            heard.at(a).ifPresent(m -> entries.add(new GroupReport.Entry(m.peerId(),
                    Math.max(0, (now - m.lastHeardMicros()) / SECOND), entryAddresses(m))));
        }
        return new GroupReport(new Address(n.session.destination(), Address.Origin.OBSERVED),
                mine.subList(0, Math.min(mine.size(), GroupReport.MAX_ADDRESSES)), entries,
                Set.of(GroupReport.RTMFP4J_EXTENSIONS));
    }

    private static List<Address> entryAddresses(HeardList.Member m) {
        List<Address> out = new ArrayList<>();
        m.serverAddress().ifPresent(out::add);
        for (Address a : m.addresses()) {
            if (out.size() < GroupReport.MAX_ADDRESSES) {
                out.add(a);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- topology

    private void tick() {
        if (closed) {
            return;
        }
        long now = now();
        for (Neighbor n : neighbors.values()) {
            if (n.isEstablished()) {
                heard.heard(n.peerId, now, List.of());
            }
        }
        if (now >= nextCleanup) {
            nextCleanup = now + CLEANUP_PERIOD_MICROS;
            heard.expire(now);
        }
        for (Neighbor n : new ArrayList<>(neighbors.values())) {
            if (!n.isEstablished() && now - n.startedAt > NEIGHBOR_SETUP_MICROS) {
                neighborLost(n, "the group connection was not completed");
            }
        }
        if (topologyDirty || now >= nextTopology) {
            topologyDirty = false;
            nextTopology = now + TOPOLOGY_PERIOD_MICROS;
            maintain(now);
        }
        if (now >= nextReport) {
            nextReport = now + REPORT_PERIOD_MICROS;
            List<Neighbor> idle = new ArrayList<>();
            for (Neighbor n : neighbors.values()) {
                if (n.isEstablished() && !n.awaitingReport()) {
                    idle.add(n);
                }
            }
            if (!idle.isEmpty()) {
                idle.get(random.nextInt(idle.size())).sendReport(true);
            }
        }
        posting.tick(now);
        face.publish(this);
        services.host().schedule(SECOND, e -> tick());
    }

    /** Dials the best list's members we are not linked with; asks surplus neighbors to go. */
    private void maintain(long now) {
        Set<GroupAddress> wanted = bestList();
        int dials = DIALS_PER_ROUND;
        for (GroupAddress a : wanted) {
            if (dials == 0) {
                break;
            }
            String peer = heard.at(a).map(HeardList.Member::peerId).orElse(null);
            if (peer != null && !neighbors.containsKey(peer) && !dialing.containsKey(peer)) {
                dial(peer);
                dials--;
            }
        }
        int surplus = establishedCount() - target();
        for (Neighbor n : new ArrayList<>(neighbors.values())) {
            if (surplus <= 0) {
                break;
            }
            if (n.isEstablished() && !wanted.contains(n.address)
                    && now - n.lastDisconnectRequest > DISCONNECT_REQUEST_PERIOD_MICROS) {
                n.sendDisconnectRequest(now);
                surplus--;
            }
        }
        updateCoverage();
    }

    private Set<GroupAddress> bestList() {
        Map<GroupAddress, Long> rtts = new HashMap<>();
        for (Neighbor n : neighbors.values()) {
            if (n.isEstablished() && n.session.rtt().hasSample()) {
                rtts.put(n.address, n.session.rtt().srtt());
            }
        }
        // The same seed every time: the list's random member stays the same while its place on the ring does.
        return BestList.select(heard.ring(), self, rtts, estimatedMemberCount(), new Random(listSeed));
    }

    private int target() {
        return BestList.targetSize(estimatedMemberCount(), heard.size());
    }

    int establishedCount() {
        int count = 0;
        for (Neighbor n : neighbors.values()) {
            if (n.isEstablished()) {
                count++;
            }
        }
        return count;
    }

    double estimatedMemberCount() {
        // The estimate counts the members known besides us; Flash's property counts us too.
        return MemberCountEstimate.estimate(heard.ring(), self) + 1;
    }

    /** Neighbors' addresses: what routing and local coverage consider (spec §7.4, §10). */
    NavigableSet<GroupAddress> neighborAddresses() {
        NavigableSet<GroupAddress> out = new TreeSet<>();
        for (Neighbor n : neighbors.values()) {
            if (n.isEstablished()) {
                out.add(n.address);
            }
        }
        return out;
    }

    LocalCoverage coverage() {
        return coverage;
    }

    private void updateCoverage() {
        LocalCoverage now = LocalCoverage.of(self, neighborAddresses());
        if (!now.equals(coverage)) {
            coverage = now;
            emit(Status.GROUP_LOCAL_COVERAGE_NOTIFY, Map.of());
        }
    }

    /** Changes the receive mode and tells the neighbors with a new group begin (spec §5.3). */
    void setReceiveMode(ReceiveMode mode) {
        if (mode == receiveMode) {
            return;
        }
        receiveMode = mode;
        for (Neighbor n : neighbors.values()) {
            n.sendBegin();
        }
    }

    /** Members heard of. */
    int knownMembers() {
        return heard.size();
    }

    /** The established neighbors, in ring order from the lowest address. */
    List<Neighbor> establishedNeighbors() {
        List<Neighbor> out = new ArrayList<>();
        for (Neighbor n : neighbors.values()) {
            if (n.isEstablished()) {
                out.add(n);
            }
        }
        out.sort((a, b) -> a.address.compareTo(b.address));
        return out;
    }
}
