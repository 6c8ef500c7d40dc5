package io.rtmfp4j.flash.group;

import io.rtmfp4j.core.session.FlowRouter;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.SendFlowListener;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.session.WriteReceipt;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.group.wire.DisconnectRequest;
import io.rtmfp4j.flash.group.wire.GroupBegin;
import io.rtmfp4j.flash.group.wire.GroupBeginPrelude;
import io.rtmfp4j.flash.group.wire.GroupConnect;
import io.rtmfp4j.flash.group.wire.GroupFlow;
import io.rtmfp4j.flash.group.wire.GroupKey;
import io.rtmfp4j.flash.group.wire.GroupMessage;
import io.rtmfp4j.flash.group.wire.GroupReport;
import io.rtmfp4j.flash.group.wire.PostingMessage;
import io.rtmfp4j.flash.group.wire.ReplicationMessage;
import io.rtmfp4j.flash.group.wire.RoutedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a group at the other end of a session, as a neighbor (netgroup spec §5): each
 * side opens a {@code GR 1C} flow and sends group connect (with the key that proves it knows the
 * groupspec), {@code 02} and group begin, then reports; the far end is a neighbor once its connect
 * checked out and its first report arrived. When its reports carry this project's flag, the
 * posting and routing flows of spec §16 are opened to it as well, associated with its
 * {@code GR 1C} flow. Loop thread only.
 */
final class Neighbor {
    private static final Logger log = LoggerFactory.getLogger(NetGroup.class);
    /** Group messages are control traffic: as urgent as the connection's control flow (spec §6.2). */
    static final int CONTROL_PRIORITY = 5;
    /** Postings and directed messages: data, below media and control. */
    static final int DATA_PRIORITY = 3;
    /** Replicated objects: bulk, below everything else, so that requests and Have sets overtake them. */
    static final int OBJECT_PRIORITY = 1;
    /**
     * The receive buffer of a neighbor's object flow: room for the objects we asked it for, so that
     * its upload, not our window, sets the pace (1 MiB: 80 Mbit/s at a 100 ms round trip).
     */
    static final long OBJECT_RECEIVE_CAPACITY = 1 << 20;

    final GroupEngine group;
    final Session session;
    final String peerId;
    final GroupAddress address;
    final long startedAt;
    private final GroupKey key;
    private SendFlow out;
    private ReceiveFlow in;
    private FlowRouter.Registration returns;
    private SendFlow posting;
    private SendFlow routing;
    private SendFlow replication;
    private SendFlow objects;
    private boolean connectSent;
    private boolean connectReceived;
    private boolean reportSent;
    /** We sent the report of the exchange under way; the far end's next report answers it (spec §5.4). */
    private boolean reportInitiator;
    private boolean established;
    private boolean closed;
    private boolean extensions;
    private ReceiveMode farMode = ReceiveMode.EXACT;
    /** When we last asked it to go; long ago at first (half the range, so that now minus it cannot overflow). */
    long lastDisconnectRequest = Long.MIN_VALUE / 2;
    /** Our disconnect request awaits its acknowledgement (see {@link #askedToGo}). */
    private boolean askedToGo;
    /** Message IDs to announce to this neighbor at the next flush (posting's lazy push). */
    final List<MessageId> pendingHave = new ArrayList<>();

    Neighbor(GroupEngine group, Session session, String peerId, long now) {
        this.group = group;
        this.session = session;
        this.peerId = peerId;
        this.address = GroupAddress.ofPeer(peerId);
        this.startedAt = now;
        this.key = GroupKey.of(group.spec(), session.security().orElseThrow().keys());
    }

    boolean isEstablished() {
        return established && !closed;
    }

    /** Whether it runs this project: it takes the private posting and routing flows. */
    boolean hasExtensions() {
        return extensions;
    }

    ReceiveMode farMode() {
        return farMode;
    }

    /**
     * Opens our {@code GR 1C} flow and sends group connect, {@code 02} and group begin (spec §5.2,
     * §5.3): done once, by whichever side wants the other first.
     */
    void sendConnect() {
        if (connectSent || closed) {
            return;
        }
        connectSent = true;
        out = session.openFlow(GroupFlow.REPORT.metadata(), null, CONTROL_PRIORITY);
        out.setListener(new SendFlowListener() {
            @Override
            public void onException(SendFlow flow, long code) {
                // The far end refused our connect (a wrong key, a group it left): no neighbor.
                group.neighborLost(Neighbor.this, "the peer refused the group connection");
            }
        });
        // The far end's posting and routing flows, and librtmfp's multicast flows, answer this one.
        returns = group.flows().routeReturns(out, this::onReturnFlow);
        write(new GroupConnect(group.spec().groupIdHex(), key.connectKey(), peerId).encode());
        write(GroupBeginPrelude.EMPTY.encode());
        write(new GroupBegin(group.receiveMode()).encode());
    }

    /** Says our receive mode again, after it changed. */
    void sendBegin() {
        if (connectSent) {
            write(new GroupBegin(group.receiveMode()).encode());
        }
    }

    /** The far end's {@code GR 1C} flow opened with a group connect for our group. */
    void onConnectFlow(ReceiveFlow flow, GroupConnect connect, ForwardingHandler handler) {
        if (in != null || closed || !key.accepts(connect.key()) || !connect.receiverPeerId().equals(group.nearId())) {
            group.drop(Traffic.Drop.REFUSED_CONNECT);
            log.debug("refused a group connect from {}: {}", peerId, in != null ? "a second one" : closed ? "closed"
                    : !key.accepts(connect.key()) ? "wrong key" : "meant for " + connect.receiverPeerId());
            flow.reject(0);
            if (in == null) {
                group.neighborLost(this, "a group connection that did not check out");
            }
            return;
        }
        in = flow;
        connectReceived = true;
        handler.forwardTo(new ReceiveFlowHandler() {
            @Override
            public void onMessage(ReceiveFlow f, byte[] message) {
                onGroupMessage(message);
            }

            @Override
            public void onComplete(ReceiveFlow f) {
                // The far end closed its GR 1C writer: it drops us (spec §5.5).
                group.neighborLost(Neighbor.this, "the peer left the neighborhood");
            }
        });
        sendConnect();
    }

    private void onGroupMessage(byte[] bytes) {
        if (closed) {
            return;
        }
        GroupMessage m;
        try {
            m = GroupMessage.decode(bytes);
        } catch (WireFormatException e) {
            group.drop(Traffic.Drop.MALFORMED);
            return;
        }
        if (m instanceof GroupBegin b) {
            farMode = b.mode();
            if (!reportSent) {
                sendReport(true);
            }
        } else if (m instanceof GroupReport r) {
            onReport(r);
        } else if (m instanceof DisconnectRequest) {
            group.disconnectRequested(this);
        }
        // 02 and a repeated connect need nothing.
    }

    private void onReport(GroupReport r) {
        extensions |= r.flags().contains(GroupReport.RTMFP4J_EXTENSIONS);
        group.reportReceived(this, r);
        if (reportInitiator) {
            reportInitiator = false;
        } else {
            sendReport(false);
        }
        if (!established && connectReceived) {
            established = true;
            group.neighborEstablished(this);
        }
    }

    /**
     * Sends a report (spec §6): one that opens an exchange, whose answer we then wait for, or the
     * answer to one of the far end's (spec §5.4).
     */
    void sendReport(boolean opensExchange) {
        if (closed || out == null) {
            return;
        }
        reportSent = true;
        reportInitiator = opensExchange;
        write(group.reportFor(this).encode());
    }

    /** Whether a report of ours awaits its answer. */
    boolean awaitingReport() {
        return reportInitiator;
    }

    void sendDisconnectRequest(long now) {
        lastDisconnectRequest = now;
        if (out != null && !closed && out.state() == SendFlow.State.OPEN) {
            askedToGo = true;
            out.write(DisconnectRequest.INSTANCE.encode()).onSettle(r -> askedToGo = false);
        }
    }

    /**
     * Whether our disconnect request (spec §5.5) is still unanswered. A neighbor that grants it ends
     * the relation at once, and refuses a flow we open after that; we hear of it a round trip after
     * asking, from the refusal of our {@code GR 1C} flow that comes with the request's
     * acknowledgement. Until then a directed message, which nothing sends again, must not take it
     * as a route; once the request is acknowledged and the relation stands, it was not granted.
     */
    boolean askedToGo() {
        return askedToGo;
    }

    /** A flow the far end opened in answer to our {@code GR 1C} flow. */
    private void onReturnFlow(ReceiveFlow flow) {
        Optional<GroupFlow> kind = GroupFlow.kindOf(flow.metadata());
        if (closed || kind.isEmpty()) {
            flow.reject(0);
            return;
        }
        switch (kind.get()) {
            case PRIVATE_POSTING -> flow.accept((f, m) -> onPosting(m));
            case PRIVATE_ROUTING -> flow.accept((f, m) -> onRouted(m));
            case MEDIA_REPORT -> group.multicast().onControlFlow(this, flow);
            case PRIVATE_REPLICATION -> flow.accept((f, m) -> onReplication(m));
            case PRIVATE_OBJECTS -> {
                // A window of the default 64 KB would hold one object per round trip: a few hundred KB/s.
                flow.setReceiveCapacity(OBJECT_RECEIVE_CAPACITY);
                flow.accept((f, m) -> onReplication(m));
            }
            default -> {
                log.debug("refused a {} flow from {}", kind.get(), peerId);
                flow.reject(0);
            }
        }
    }

    private void onPosting(byte[] bytes) {
        if (closed) {
            return;
        }
        try {
            group.posting().onMessage(this, PostingMessage.decode(bytes), bytes.length);
        } catch (WireFormatException e) {
            group.drop(Traffic.Drop.MALFORMED);
        }
    }

    private void onRouted(byte[] bytes) {
        // A relation that ended still hands on what the far end had sent on it before it heard so:
        // a directed message is the group's, not the relation's, and nobody would send it again.
        if (group.isClosed()) {
            return;
        }
        try {
            group.routing().onMessage(this, RoutedMessage.decode(bytes), bytes.length);
        } catch (WireFormatException e) {
            group.drop(Traffic.Drop.MALFORMED);
        }
    }

    /**
     * Opens a flow of ours answering the far end's {@code GR 1C} flow, as the multicast control
     * flows are (spec §1); null while the relation cannot carry one.
     */
    SendFlow openAnswer(GroupFlow kind, int priority) {
        return closed || in == null ? null : session.openFlow(kind.metadata(), in, priority);
    }

    private void onReplication(byte[] bytes) {
        if (closed) {
            return;
        }
        try {
            group.replication().onMessage(this, ReplicationMessage.decode(bytes), bytes.length);
        } catch (WireFormatException e) {
            group.drop(Traffic.Drop.MALFORMED);
        }
    }

    /** Writes on our posting flow, opened on first use. */
    boolean writePosting(byte[] message) {
        if (posting == null && extensions && !closed) {
            posting = session.openFlow(GroupFlow.PRIVATE_POSTING.metadata(), in, DATA_PRIORITY);
        }
        return write(posting, message) != null;
    }

    /** Writes on our routing flow, opened on first use. */
    boolean writeRouted(byte[] message) {
        if (routing == null && extensions && !closed) {
            routing = session.openFlow(GroupFlow.PRIVATE_ROUTING.metadata(), in, DATA_PRIORITY);
        }
        return write(routing, message) != null;
    }

    /** Writes on our replication control flow, opened on first use. */
    boolean writeReplication(byte[] message) {
        if (replication == null && extensions && !closed) {
            replication = session.openFlow(GroupFlow.PRIVATE_REPLICATION.metadata(), in, DATA_PRIORITY);
        }
        return write(replication, message) != null;
    }

    /**
     * Writes on our replicated-object flow, opened on first use; the receipt settles once the far
     * end has it all (or it was given up), null if nothing was written.
     */
    WriteReceipt writeObject(byte[] message) {
        if (objects == null && extensions && !closed) {
            objects = session.openFlow(GroupFlow.PRIVATE_OBJECTS.metadata(), in, OBJECT_PRIORITY);
        }
        return write(objects, message);
    }

    private void write(byte[] message) {
        write(out, message);
    }

    /** The write's receipt, or null if the flow is not open. */
    private WriteReceipt write(SendFlow flow, byte[] message) {
        if (flow == null || closed || flow.state() != SendFlow.State.OPEN) {
            return null;
        }
        return flow.write(message);
    }

    /**
     * Ends the relation: our flows close (the far end sees our {@code GR 1C} writer end, spec §5.5),
     * theirs are refused from now on. The session stays: another group or a stream may use it, and
     * the core closes it once no flow is left.
     */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (returns != null) {
            returns.remove();
        }
        for (SendFlow f : new SendFlow[] {out, posting, routing, replication, objects}) {
            if (f != null && f.state() == SendFlow.State.OPEN) {
                f.close();
            }
        }
        if (in != null && in.state() == ReceiveFlow.State.OPEN) {
            in.reject(0);
        }
        pendingHave.clear();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "Neighbor[" + peerId.substring(0, 16) + (established ? ", established" : "") + "]";
    }
}
