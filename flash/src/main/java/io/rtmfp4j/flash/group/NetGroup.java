package io.rtmfp4j.flash.group;

import io.rtmfp4j.flash.group.overlay.LocalCoverage;
import io.rtmfp4j.flash.group.wire.IndexRange;
import io.rtmfp4j.flash.net.ConnectionServices;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStatusListener;
import io.rtmfp4j.flash.net.PeerIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A peer-to-peer group, as Flash Player 10.1's {@code flash.net.NetGroup} (netgroup spec): members
 * join through the rendezvous server's server channel, keep neighbor sessions with a few of each
 * other (ring neighbors and long links both ways round), and post messages to everyone, route
 * them to the member nearest a group address, or replicate numbered objects among themselves.
 *
 * <pre>{@code
 * GroupSpecifier spec = new GroupSpecifier("chat").setPostingEnabled(true).setServerChannelEnabled(true);
 * NetGroup group = new NetGroup(nc, spec);                 // NetGroup.Connect.Success on nc and here
 * group.addStatusListener(s -> {
 *     if (s.code().equals("NetGroup.Posting.Notify")) {
 *         System.out.println(s.info().get("message"));
 *     }
 * });
 * group.post("hello, everyone");
 * }</pre>
 *
 * <p>Status events, with Flash's codes: {@code NetGroup.Connect.Success}/{@code Failed}/{@code
 * Rejected} (to the NetConnection's listeners, as Flash sends them, and to this group's),
 * {@code NetGroup.Neighbor.Connect}/{@code Disconnect} ({@code info.neighbor}, {@code info.peerID}),
 * {@code NetGroup.LocalCoverage.Notify}, {@code NetGroup.Posting.Notify} ({@code info.message},
 * {@code info.messageID}), {@code NetGroup.SendTo.Notify} ({@code info.message}, {@code info.from},
 * {@code info.fromLocal}, and this project's {@code info.destination} and {@code info.hops}),
 * {@code NetGroup.Replication.Fetch.SendNotify}/{@code Failed} ({@code info.index}),
 * {@code NetGroup.Replication.Fetch.Result} ({@code info.index}, {@code info.object}, {@code info.peerID}),
 * {@code NetGroup.Replication.Request} ({@code info.index}, {@code info.requestID}). Indices are
 * Numbers ({@code Double}) and request IDs {@code Integer}s, as Flash gives them.
 *
 * <p>Postings, directed messages and replicated objects travel on this project's own flows (spec
 * §16), which only its own peers speak: Flash's are not public. Members running librtmfp or Flash are neighbors like any
 * other (group connect, begin, reports), but do not take part in posting, routing and replication.
 *
 * <p>Threads: every method may be called from any thread; the group lives on its connection's loop
 * thread, and listeners run where the connection's callbacks run. The getters read a view the loop
 * refreshes at every change and once a second.
 */
public final class NetGroup implements AutoCloseable {
    /** What the getters read: published by the loop thread. */
    private record View(List<NeighborInfo> neighbors, double estimatedMembers, LocalCoverage coverage, int known,
            boolean closed) {
    }

    private final ConnectionServices services;
    private final boolean implicit;
    private final GroupSpec spec;
    private final GroupEngine engine;
    private final Traffic traffic = new Traffic();
    private final List<NetStatusListener> listeners = new CopyOnWriteArrayList<>();
    private volatile View view;
    private volatile ReceiveMode receiveMode = ReceiveMode.EXACT;
    private volatile ReplicationStrategy replicationStrategy = ReplicationStrategy.LOWEST_FIRST;
    /** The {@code NetGroup.Connect.*} event once raised; guarded by {@link #listeners}. */
    private NetStatus connectStatus;

    /**
     * Joins the group {@code groupspec} names ({@code new NetGroup(nc, groupspec)}): the outcome
     * comes as {@code NetGroup.Connect.Success}, {@code Failed} (the connection is not connected) or
     * {@code Rejected} (a groupspec this connection cannot join: already joined, peer-to-peer disabled).
     *
     * @throws GroupSpecException if the groupspec cannot be read
     */
    public NetGroup(NetConnection nc, String groupspec) {
        this(nc, groupspec, false);
    }

    /**
     * {@code implicit}: a group a NetStream on a groupspec joined for itself (see
     * {@link MulticastStream}); its {@code NetGroup.Connect.*} events do not go to the connection.
     */
    NetGroup(NetConnection nc, String groupspec, boolean implicit) {
        this.services = nc.services();
        this.implicit = implicit;
        this.spec = GroupSpec.parse(groupspec);
        this.view = new View(List.of(), 1, LocalCoverage.of(GroupAddress.ofPeer(nc.nearId()), new TreeSet<>()), 0,
                false);
        this.engine = new GroupEngine(this, services, spec, traffic);
        services.host().execute(e -> engine.start());
    }

    /** Joins the group a specifier describes, with its authorizations. */
    public NetGroup(NetConnection nc, GroupSpecifier specifier) {
        this(nc, specifier.groupspecWithAuthorizations());
    }

    /** The groupspec this group was made with, parsed. */
    public GroupSpec groupspec() {
        return spec;
    }

    /**
     * Adds a listener. One added after the group's {@code NetGroup.Connect.*} event was raised gets
     * that event too: the group joins on the loop thread, perhaps before the caller of the
     * constructor has added its listeners.
     */
    public void addStatusListener(NetStatusListener listener) {
        Objects.requireNonNull(listener);
        synchronized (listeners) {
            listeners.add(listener);
            if (connectStatus != null) {
                NetStatus s = connectStatus;
                services.callbacks().execute(() -> listener.onStatus(s));
            }
        }
    }

    public void removeStatusListener(NetStatusListener listener) {
        listeners.remove(listener);
    }

    // ---------------------------------------------------------------- posting

    /**
     * Posts {@code message} to every member ({@code NetGroup.post}): any value AMF carries. Returns
     * the message ID, the lowercase hex SHA-256 of the message's AMF3 encoding; posting the same
     * message again is suppressed, so add a sequence number to repeat one. Every other member gets
     * {@code NetGroup.Posting.Notify}; this one does not.
     *
     * @return the message ID, or null if posting is not enabled in the groupspec, the group has a
     *     posting password this member does not hold, the group is closed, or the message cannot be
     *     encoded or is larger than 64 KiB
     */
    public String post(Object message) {
        if (view.closed() || !spec.postingEnabled() || !PasswordAuthority.posting(spec).permits()) {
            return null;
        }
        byte[] body;
        try {
            body = MessageBody.encode(message);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (body.length > Posting.MAX_BODY) {
            return null;
        }
        MessageId id = MessageId.ofBody(body);
        services.host().execute(e -> engine.posting().post(id, body));
        return id.hex();
    }

    // ---------------------------------------------------------------- directed routing

    /**
     * Sends {@code message} to the member nearest {@code groupAddress} (64 hex digits), hop by hop
     * ({@code NetGroup.sendToNearest}); see the class comment for who takes it.
     *
     * @return {@code SENT}, or {@code ERROR} if routing is not enabled, the group is closed, the
     *     address is not one, or the message cannot be encoded
     */
    public NetGroupSendResult sendToNearest(Object message, String groupAddress) {
        GroupAddress destination;
        try {
            destination = GroupAddress.parse(groupAddress);
        } catch (IllegalArgumentException e) {
            return NetGroupSendResult.ERROR;
        }
        byte[] body = routable(message);
        if (body == null) {
            return NetGroupSendResult.ERROR;
        }
        services.host().execute(e -> engine.routing().sendToNearest(body, destination));
        return NetGroupSendResult.SENT;
    }

    /**
     * Sends {@code message} to the neighbor next above or below this member on the ring
     * ({@code NetGroup.sendToNeighbor}); it is not forwarded.
     *
     * @return {@code SENT}, {@code NO_ROUTE} without such a neighbor, {@code ERROR} as for
     *     {@link #sendToNearest}
     */
    public NetGroupSendResult sendToNeighbor(Object message, NetGroupSendMode mode) {
        Objects.requireNonNull(mode, "mode");
        byte[] body = routable(message);
        if (body == null) {
            return NetGroupSendResult.ERROR;
        }
        if (view.neighbors().stream().noneMatch(NeighborInfo::extensions)) {
            return NetGroupSendResult.NO_ROUTE;
        }
        services.host().execute(e -> engine.routing().sendToNeighbor(body, mode));
        return NetGroupSendResult.SENT;
    }

    /**
     * Sends {@code message} to every neighbor ({@code NetGroup.sendToAllNeighbors}).
     *
     * @return {@code SENT}, {@code NO_ROUTE} without neighbors, {@code ERROR} as for {@link #sendToNearest}
     */
    public NetGroupSendResult sendToAllNeighbors(Object message) {
        byte[] body = routable(message);
        if (body == null) {
            return NetGroupSendResult.ERROR;
        }
        if (view.neighbors().stream().noneMatch(NeighborInfo::extensions)) {
            return NetGroupSendResult.NO_ROUTE;
        }
        services.host().execute(e -> engine.routing().sendToAllNeighbors(body));
        return NetGroupSendResult.SENT;
    }

    private byte[] routable(Object message) {
        if (view.closed() || !spec.routingEnabled()) {
            return null;
        }
        try {
            return MessageBody.encode(message);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Which directed messages this member takes as its own: {@code EXACT} (the default) only those
     * for its own address, {@code NEAREST} those for any address it is nearest to. Neighbors are told.
     */
    public void setReceiveMode(ReceiveMode mode) {
        receiveMode = Objects.requireNonNull(mode);
        services.host().execute(e -> engine.setReceiveMode(mode));
    }

    public ReceiveMode receiveMode() {
        return receiveMode;
    }

    // ---------------------------------------------------------------- object replication

    /**
     * Adds objects {@code startIndex} to {@code endIndex} (both included, 0 to 2^53) to the Have set
     * that neighbors see ({@code NetGroup.addHaveObjects}): they may then request them, which raises
     * {@code NetGroup.Replication.Request} here. Does nothing unless the groupspec enables object
     * replication.
     *
     * @throws IllegalArgumentException if the range is not one
     */
    public void addHaveObjects(long startIndex, long endIndex) {
        IndexRange r = new IndexRange(startIndex, endIndex);
        services.host().execute(e -> engine.replication().addHave(r.first(), r.last()));
    }

    /** Removes objects from the Have set ({@code NetGroup.removeHaveObjects}); neighbors are told. */
    public void removeHaveObjects(long startIndex, long endIndex) {
        IndexRange r = new IndexRange(startIndex, endIndex);
        services.host().execute(e -> engine.replication().removeHave(r.first(), r.last()));
    }

    /**
     * Adds objects to the Want set ({@code NetGroup.addWantObjects}): each is requested from a
     * neighbor that has it, in the order of the {@linkplain #setReplicationStrategy strategy}, one
     * request per index at a time; {@code Fetch.SendNotify} comes before each request, then
     * {@code Fetch.Result} (with {@code index}, {@code object}, and this project's {@code peerID} of the
     * member that sent it), after which the index is no longer wanted, or {@code Fetch.Failed}, after
     * which it is asked of another member (or of the same one, 5 s later).
     */
    public void addWantObjects(long startIndex, long endIndex) {
        IndexRange r = new IndexRange(startIndex, endIndex);
        services.host().execute(e -> engine.replication().addWant(r.first(), r.last()));
    }

    /** Removes objects from the Want set ({@code NetGroup.removeWantObjects}). */
    public void removeWantObjects(long startIndex, long endIndex) {
        IndexRange r = new IndexRange(startIndex, endIndex);
        services.host().execute(e -> engine.replication().removeWant(r.first(), r.last()));
    }

    /**
     * Answers {@code NetGroup.Replication.Request} number {@code requestID} with the object
     * ({@code NetGroup.writeRequestedObject}): any value AMF carries; at once or later, from any
     * thread. An unknown or already answered request ID is ignored.
     *
     * @throws IllegalArgumentException if AMF cannot carry the object or it is larger than 4 MiB encoded
     */
    public void writeRequestedObject(int requestID, Object object) {
        byte[] body = MessageBody.encode(object);
        if (body.length > Replication.MAX_OBJECT) {
            throw new IllegalArgumentException("an object of " + body.length + " bytes; at most "
                    + Replication.MAX_OBJECT);
        }
        services.host().execute(e -> engine.replication().write(requestID, body));
    }

    /** Refuses {@code NetGroup.Replication.Request} number {@code requestID} ({@code NetGroup.denyRequestedObject}). */
    public void denyRequestedObject(int requestID) {
        services.host().execute(e -> engine.replication().deny(requestID));
    }

    /** Which wanted object is fetched first ({@code NetGroup.replicationStrategy}); {@code LOWEST_FIRST} by default. */
    public ReplicationStrategy replicationStrategy() {
        return replicationStrategy;
    }

    public void setReplicationStrategy(ReplicationStrategy strategy) {
        replicationStrategy = Objects.requireNonNull(strategy);
        services.host().execute(e -> engine.replication().setStrategy(strategy));
    }

    /**
     * Requests no more objects from this member (this project's addition): for an application that
     * found an object it sent to be wrong, such as a chunk whose hash does not match.
     */
    public void avoidReplicationPeer(String peerId) {
        if (PeerIds.isPeerId(peerId)) {
            String id = PeerIds.normalize(peerId);
            services.host().execute(e -> engine.replication().avoid(id));
        }
    }

    // ---------------------------------------------------------------- membership

    /**
     * Connects to a member directly ({@code NetGroup.addNeighbor}); the topology may drop it later.
     *
     * @return false if {@code peerId} is not a peer ID or the group is closed
     */
    public boolean addNeighbor(String peerId) {
        if (!PeerIds.isPeerId(peerId) || view.closed()) {
            return false;
        }
        String id = PeerIds.normalize(peerId);
        services.host().execute(e -> engine.addNeighbor(id));
        return true;
    }

    /**
     * Records that {@code peerId} is a member ({@code NetGroup.addMemberHint}); it is connected to
     * only if the topology wants it.
     */
    public boolean addMemberHint(String peerId) {
        if (!PeerIds.isPeerId(peerId) || view.closed()) {
            return false;
        }
        String id = PeerIds.normalize(peerId);
        services.host().execute(e -> engine.addMemberHint(id));
        return true;
    }

    /** The group address of a peer ID: SHA-256 of its EPD (spec §2.3), 64 lowercase hex digits. */
    public String convertPeerIDToGroupAddress(String peerId) {
        return GroupAddress.ofPeer(PeerIds.normalize(peerId)).hex();
    }

    /** The estimated number of members, this one included (spec §7.3). */
    public double estimatedMemberCount() {
        return view.estimatedMembers();
    }

    /** Neighbors: members with an established group session with this one. */
    public int neighborCount() {
        return view.neighbors().size();
    }

    /** The neighbors, as this project's addition to Flash's API. */
    public List<NeighborInfo> neighbors() {
        return view.neighbors();
    }

    /** Members this one has heard of (the neighbors among them). */
    public int knownMemberCount() {
        return view.known();
    }

    /** The first group address this member is nearest to, among itself and its neighbors (spec §7.4). */
    public String localCoverageFrom() {
        return view.coverage().from().hex();
    }

    /** The last group address this member is nearest to. */
    public String localCoverageTo() {
        return view.coverage().to().hex();
    }

    /** Traffic by category ({@code NetGroup.info}). */
    public NetGroupInfo info() {
        return traffic.info(services.host().now());
    }

    /** Leaves the group: the server channel closes and neighbors see this member go. */
    @Override
    public void close() {
        services.host().execute(e -> engine.close());
    }

    // ---------------------------------------------------------------- for the engine (loop thread)

    GroupEngine engine() {
        return engine;
    }

    ConnectionServices services() {
        return services;
    }

    boolean isImplicit() {
        return implicit;
    }

    void emit(NetStatus status) {
        for (NetStatusListener l : listeners) {
            services.callbacks().execute(() -> l.onStatus(status));
        }
    }

    /** The group's {@code NetGroup.Connect.*} event: to the listeners now, and to any added later. */
    void emitConnect(NetStatus status) {
        synchronized (listeners) {
            connectStatus = status;
            emit(status);
        }
    }

    /** Refreshes what the getters read. */
    void publish(GroupEngine g) {
        List<NeighborInfo> ns = new ArrayList<>();
        for (Neighbor n : g.establishedNeighbors()) {
            ns.add(new NeighborInfo(n.peerId, n.address.hex(), n.hasExtensions()));
        }
        view = new View(List.copyOf(ns), g.estimatedMemberCount(), g.coverage(), g.knownMembers(), g.isClosed());
    }

    /**
     * A neighbor as {@link #neighbors()} lists it.
     *
     * @param peerId its peer ID
     * @param groupAddress its group address
     * @param extensions whether it runs this project, and so takes part in posting and routing
     */
    public record NeighborInfo(String peerId, String groupAddress, boolean extensions) {
    }
}
