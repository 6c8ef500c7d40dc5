package io.rtmfp4j.core.session;

import io.rtmfp4j.core.chunk.AckBitmap;
import io.rtmfp4j.core.chunk.AckRanges;
import io.rtmfp4j.core.chunk.BufferProbe;
import io.rtmfp4j.core.chunk.EcnReport;
import io.rtmfp4j.core.chunk.FlowException;
import io.rtmfp4j.core.chunk.NextUserData;
import io.rtmfp4j.core.chunk.SequenceRange;
import io.rtmfp4j.core.chunk.UserData;
import io.rtmfp4j.core.flow.CongestionController;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.Option;
import io.rtmfp4j.core.wire.WireFormatException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flows of one session and what they share (RFC 7016 §3.5.2, §3.6): transmission
 * scheduling by priority, the session's congestion window, loss detection, the retransmission
 * timer, and acknowledgements owed to the far end. Everything here runs on the loop thread.
 */
final class SessionFlows {
    static final int NAKS_FOR_LOSS = 3;
    /** Acknowledge at the latest after this many packets with user data (rtmfp-cpp OBLIGATORY_ACK_AFTER). */
    static final int ACK_AFTER_PACKETS = 2;
    static final long DELAYED_ACK = 200_000;
    static final long TIME_CRITICAL_TIMEOUT = 800_000;
    /** A completed receiving flow keeps acknowledging duplicates this long (rtmfp-cpp RF_COMPLETE_LINGER). */
    static final long RECEIVE_LINGER = 120_000_000;
    /** Data that may leave back to back after an acknowledgement (RFC 7016 §3.5.2.3). */
    static final long BURST = 6L * CongestionController.MSS;
    /** Below this smoothed RTT there is no pacing (rtmfp-cpp BURST_RTT_THRESH). */
    static final long PACING_RTT_THRESHOLD = 4_500;
    /** Reported ECN counts that moved back by at most this much are late, reordered reports (spec §7.1). */
    static final int ECN_REORDER_DELTA = 0xe0;

    private final Session session;
    private final Endpoint endpoint;
    private final CongestionController congestion = new CongestionController();
    // Sized for the few flows most sessions have; they grow as needed (a server holds many idle sessions).
    private final LinkedHashMap<Long, SendFlow> sendFlows = new LinkedHashMap<>(4);
    private final Map<Long, ReceiveFlow> receiveFlows = new HashMap<>(4);
    // Most of a server's sessions are idle between keepalives: these two are made when needed and
    // let go when they empty.
    private List<ReceiveFlow> lingering = List.of();
    private Set<ReceiveFlow> acksOwed = Set.of();
    private final AckTally tally = new AckTally();
    private long nextFlowId = 1;
    private long outstanding;
    private long transmissionSequence;
    private boolean ackNow;
    private int dataPacketsUnacknowledged;
    private long delayedAckAt = Long.MAX_VALUE;
    private long retransmitAt = Long.MAX_VALUE;
    private long progressAt;
    /**
     * Since when data sent has awaited an acknowledgement, none having come since: the first
     * data packet after the last acknowledgement, or that acknowledgement if data was still in
     * flight. {@link Long#MAX_VALUE} while nothing awaits one.
     */
    private long awaitingAckSince = Long.MAX_VALUE;
    private long burstAllowance = BURST;
    private long paceAt = Long.MAX_VALUE;
    private long nextExpiry = Long.MAX_VALUE;
    private boolean wantsToSend;
    private long lastTimeCriticalSentAt = Long.MIN_VALUE / 2;
    private long lastTcrReceivedAt = Long.MIN_VALUE / 2;
    private long idleSince;

    // Per received packet.
    private long outstandingBefore;
    private boolean packetHadData;
    private ReceiveFlow previousFlow;
    private long previousSn;
    private long previousFsn;

    // ECN (spec §7.1): what we report as receiver, what we saw as sender.
    private boolean ecnSeen;
    private int ceCount;
    private boolean markedSinceReport;
    private boolean reportSent;
    private boolean ecnMarking;
    private boolean ecnReportSeen;
    private int farCeCount = -1;

    SessionFlows(Session session, Endpoint endpoint, long now) {
        this.session = session;
        this.endpoint = endpoint;
        this.progressAt = now;
        this.idleSince = now;
        this.ecnMarking = endpoint.config().ecn();
    }

    Session session() {
        return session;
    }

    long now() {
        return endpoint.now();
    }

    CongestionController congestion() {
        return congestion;
    }

    long outstanding() {
        return outstanding;
    }

    Collection<SendFlow> sendFlows() {
        return Collections.unmodifiableCollection(sendFlows.values());
    }

    Collection<ReceiveFlow> receiveFlows() {
        return Collections.unmodifiableCollection(receiveFlows.values());
    }

    boolean hasFlows() {
        return !sendFlows.isEmpty() || !receiveFlows.isEmpty();
    }

    long idleSince() {
        return idleSince;
    }

    // ---------------------------------------------------------------- opening flows

    SendFlow open(byte[] metadata, ReceiveFlow returnFor, int priority) {
        if (metadata.length > SendFlow.MAX_METADATA_SIZE) {
            throw new IllegalArgumentException("flow metadata is limited to " + SendFlow.MAX_METADATA_SIZE + " bytes");
        }
        if (returnFor != null && (returnFor.session() != session || receiveFlows.get(returnFor.flowId()) != returnFor)) {
            throw new IllegalArgumentException("a return flow must answer a live flow received on this session");
        }
        SendFlow f = new SendFlow(this, nextFlowId++, metadata, returnFor, priority,
                endpoint.config().sendBufferCapacity());
        sendFlows.put(f.flowId(), f);
        return f;
    }

    // ---------------------------------------------------------------- receiving

    void beginPacket(boolean timeCritical, boolean timeCriticalReverse, boolean congestionExperienced, boolean ect,
            long now) {
        tally.reset();
        outstandingBefore = outstanding;
        packetHadData = false;
        previousFlow = null;
        if (timeCriticalReverse) {
            lastTcrReceivedAt = now;
        }
        if (timeCritical) {
            endpoint.noteTimeCriticalReceived(session, now);
        }
        if ((ect || congestionExperienced) && endpoint.config().ecn()) {
            ecnSeen = true;
            markedSinceReport = true;
            if (congestionExperienced) {
                ceCount = (ceCount + 1) & 0xff;
            }
        }
    }

    void onUserData(UserData d) {
        ReceiveFlow flow = receiveFlows.get(d.flowId());
        if (flow == null) {
            flow = newReceiveFlow(d);
            if (flow == null) {
                previousFlow = null;
                return;
            }
        }
        fragment(flow, d.flags(), d.sequenceNumber(), d.forwardSequenceNumber(), d.data());
    }

    /** Next User Data continues the previous (Next) User Data of the same packet (spec P17); alone it is ignored. */
    void onNextUserData(NextUserData d) {
        if (previousFlow == null) {
            return;
        }
        if (previousSn == Long.MAX_VALUE) {
            // No sequence number follows the largest a VLU can carry.
            previousFlow = null;
            endpoint.drop(DropReason.MALFORMED);
            return;
        }
        fragment(previousFlow, d.flags(), previousSn + 1, previousFsn, d.data());
    }

    private void fragment(ReceiveFlow flow, int flags, long sn, long fsn, byte[] data) {
        previousFlow = flow;
        previousSn = sn;
        previousFsn = fsn;
        packetHadData = true;
        Boolean now = flow.onFragment(flags, sn, fsn, data);
        if (now == null) {
            endpoint.drop(DropReason.RECEIVE_BUFFER_FULL);
            return;
        }
        // The session reschedules itself once the whole packet is read.
        noteAckOwed(flow, now, endpoint.now());
    }

    /** A User Data chunk for a flow we do not know yet: set it up, offer it, or reject it (spec §5.3). */
    private ReceiveFlow newReceiveFlow(UserData d) {
        if (receiveFlows.size() >= endpoint.config().maxReceiveFlows()) {
            endpoint.drop(DropReason.TOO_MANY_FLOWS);
            return null;
        }
        byte[] metadata = null;
        long association = -1;
        boolean unknownMandatory = false;
        for (Option o : d.options()) {
            if (o.type() == UserData.OPTION_METADATA && metadata == null) {
                metadata = o.value();
            } else if (o.type() == UserData.OPTION_RETURN_ASSOCIATION && association < 0) {
                try {
                    association = new ByteReader(o.value()).vlu();
                } catch (WireFormatException e) {
                    unknownMandatory = true;
                }
            } else if (o.type() < UserData.OPTION_MANDATORY_CUTOFF) {
                unknownMandatory = true;
            }
        }
        SendFlow returnTo = association >= 0 ? sendFlows.get(association) : null;
        ReceiveFlow flow = new ReceiveFlow(this, d.flowId(), metadata, returnTo,
                endpoint.config().receiveBufferCapacity(), endpoint.config().maxMessageSize());
        receiveFlows.put(d.flowId(), flow);
        boolean acceptable = metadata != null && !unknownMandatory
                && (association < 0 || returnTo != null && returnTo.state() == SendFlow.State.OPEN);
        if (acceptable) {
            endpoint.listener().onFlow(flow);
        }
        if (!flow.isAccepted() && flow.state() == ReceiveFlow.State.OPEN) {
            flow.reject(0);
        }
        if (flow.state() == ReceiveFlow.State.REJECTED) {
            endpoint.stats().count(EndpointStats.Counter.FLOWS_REJECTED);
        }
        return flow;
    }

    void onAckRanges(AckRanges a) {
        acknowledged(a.flowId(), a.bufferBlocksAvailable(), a.cumulativeAck(), a.ranges());
    }

    void onAckBitmap(AckBitmap a) {
        acknowledged(a.flowId(), a.bufferBlocksAvailable(), a.cumulativeAck(), a.receivedRanges());
    }

    private void acknowledged(long flowId, long blocks, long cumulative, List<SequenceRange> ranges) {
        tally.anyAck = true;
        SendFlow f = sendFlows.get(flowId);
        if (f != null) {
            f.onAcknowledgement(blocks, cumulative, ranges, tally);
        }
    }

    void onBufferProbe(BufferProbe p) {
        ReceiveFlow f = receiveFlows.get(p.flowId());
        if (f != null) {
            owesAck(f, true);
        }
    }

    void onFlowException(FlowException e) {
        SendFlow f = sendFlows.get(e.flowId());
        if (f != null) {
            f.onFarException(e.exception());
        }
    }

    /** An ECN report (spec §7.1): a count that moved forward is a congestion event, like a loss. */
    void onEcnReport(EcnReport r) {
        ecnReportSeen = true;
        if (farCeCount < 0) {
            farCeCount = r.ceCount();
            return;
        }
        int delta = (r.ceCount() - farCeCount) & 0xff;
        if (delta > 0 && delta < ECN_REORDER_DELTA) {
            farCeCount = r.ceCount();
            tally.anyLoss = true;
        }
    }

    /** After all chunks of a packet: congestion control, acknowledgement timing, then whatever can be sent. */
    void endPacket(long now) {
        if (tally.anyAck) {
            if (!ecnReportSeen) {
                // The far end does not report ECN marks, so marking our packets would be pointless.
                ecnMarking = false;
            }
            progressAt = now;
            awaitingAckSince = outstanding > 0 ? now : Long.MAX_VALUE;
            congestion.onAcknowledgement(tally.acked, tally.lost, tally.anyLoss, tally.anyNak, outstandingBefore,
                    outstanding, timeCriticalSent(now), fastGrow(now));
            burstAllowance = BURST;
            paceAt = Long.MAX_VALUE;
            retransmitAt = outstanding > 0 ? now + session.rtt().erto() : Long.MAX_VALUE;
            if (tally.lost > 0) {
                endpoint.stats().add(EndpointStats.Counter.DATA_BYTES_LOST, tally.lost);
            }
        }
        if (packetHadData) {
            dataPacketsUnacknowledged++;
        }
        // Nothing is sent from here: the session asks to transmit "now", and the caller runs the
        // timer once it has handed in every datagram it already holds (a burst of reads). Acks
        // that became due then cover all of them, and data freed by several acks leaves in one
        // go, as rtmfp-cpp does by draining its socket before it writes (spec §5.4 placement:
        // a due ack goes in the next packet sent).
        // (An ack owed at once already asked, in noteAckOwed.)
        if (tally.anyAck || !acksOwed.isEmpty() && dataPacketsUnacknowledged >= ACK_AFTER_PACKETS) {
            wantsToSend = true;
        }
    }

    /**
     * How long data sent has gone without any acknowledgement from the far end, 0 while nothing
     * awaits one. A far end that is there most often acknowledges within its MRTO (RFC 7016
     * §3.5.2.2), but a lost packet with nothing sent after it is acknowledged only once it is
     * sent again, an ERTO later; one that went without a word lets this grow until the
     * retransmit limit ends the session, two minutes by default.
     */
    long unacknowledgedFor(long now) {
        return awaitingAckSince == Long.MAX_VALUE ? 0 : Math.max(0, now - awaitingAckSince);
    }

    /** A Ping Reply also proves the far end alive (spec §5.6). */
    void noteProgress(long now) {
        progressAt = now;
    }

    void owesAck(ReceiveFlow flow, boolean immediately) {
        noteAckOwed(flow, immediately, now());
        endpoint.reschedule(session);
    }

    private void noteAckOwed(ReceiveFlow flow, boolean immediately, long now) {
        if (acksOwed.isEmpty()) {
            acksOwed = new LinkedHashSet<>(4);
        }
        acksOwed.add(flow);
        if (immediately) {
            ackNow = true;
            wantsToSend = true;
        }
        if (delayedAckAt == Long.MAX_VALUE) {
            delayedAckAt = now + DELAYED_ACK;
        }
    }

    // ---------------------------------------------------------------- transmitting

    void wantsToSend() {
        wantsToSend = true;
        endpoint.reschedule(session);
    }

    void deadlinesChanged() {
        nextExpiry = 0;
        endpoint.reschedule(session);
    }

    void addOutstanding(long delta) {
        outstanding += delta;
    }

    /** Sends acknowledgements that are due and as much data as the windows allow. */
    void transmit(long now) {
        wantsToSend = false;
        if (session.state() != SessionState.OPEN) {
            return;
        }
        if (now >= nextExpiry) {
            expireMessages(now);
        }
        boolean acksDue = ackNow || dataPacketsUnacknowledged >= ACK_AFTER_PACKETS || now >= delayedAckAt;
        if (ackNow) {
            // Urgent acknowledgements go first, alone, truncated if need be (RFC 7016 §3.6.3.4.6).
            sendAcksOnly(now);
        }
        while (mayStartData(now)) {
            PacketBuilder packet = new PacketBuilder();
            long tsn = transmissionSequence + 1;
            fillData(packet, tsn);
            if (packet.isEmpty()) {
                break;
            }
            transmissionSequence = tsn;
            if (!acksOwed.isEmpty()) {
                appendEcnReport(packet);
            }
            appendAcks(packet, false);
            int before = packet.remaining();
            sendPacket(packet, now);
            long sent = PacketBuilder.MAX_SESSION_PACKET - before;
            burstAllowance -= sent;
            if (retransmitAt == Long.MAX_VALUE) {
                retransmitAt = now + session.rtt().erto();
            }
            awaitingAckSince = Math.min(awaitingAckSince, now);
        }
        if (!acksOwed.isEmpty() && acksDue) {
            sendAcksOnly(now);
        }
        updatePersist(now);
    }

    private boolean mayStartData(long now) {
        if (!congestion.allows(outstanding) || !anyFlowHasData()) {
            // Pacing only spaces data that could leave now; the next acknowledgement renews the burst.
            paceAt = Long.MAX_VALUE;
            return false;
        }
        long srtt = session.rtt().srtt();
        if (burstAllowance <= 0 && srtt >= PACING_RTT_THRESHOLD) {
            long cwnd = Math.max(1, congestion.cwnd());
            if (paceAt == Long.MAX_VALUE) {
                // The burst is spent: one more MSS (and what the last one overran) after its share of the RTT.
                paceAt = now + srtt * (CongestionController.MSS - burstAllowance) / cwnd;
            }
            if (now < paceAt) {
                return false;
            }
            // Spec §5.8 (RFC 7016 §3.5.2.3, rtmfp-cpp): one MSS, plus the share of the window the
            // wake-up came late by, so a coarse or busy timer does not slow the sender below cwnd/SRTT.
            long overslept = now - paceAt;
            paceAt = Long.MAX_VALUE;
            burstAllowance = CongestionController.MSS + Math.min(overslept * cwnd / srtt, cwnd);
        }
        return true;
    }

    private boolean anyFlowHasData() {
        for (SendFlow f : sendFlows.values()) {
            if (f.hasDataToSend()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Fills one packet: the flows of the highest priority with data first, taking turns between
     * flows of equal priority; several flows may share a packet.
     */
    private void fillData(PacketBuilder packet, long tsn) {
        while (packet.remaining() > 32) {
            SendFlow best = null;
            for (SendFlow f : sendFlows.values()) {
                if (f.hasDataToSend() && (best == null || f.priority() > best.priority())) {
                    best = f;
                }
            }
            if (best == null) {
                return;
            }
            int before = packet.remaining();
            best.fill(packet, tsn);
            if (sendFlows.size() > 1) {
                // Round robin: the flow just served goes to the back of its priority.
                sendFlows.remove(best.flowId());
                sendFlows.put(best.flowId(), best);
            }
            if (packet.remaining() == before) {
                return;
            }
            packet.markData();
        }
    }

    private void sendAcksOnly(long now) {
        while (!acksOwed.isEmpty()) {
            PacketBuilder packet = new PacketBuilder();
            appendEcnReport(packet);
            appendAcks(packet, true);
            if (packet.isEmpty()) {
                return;
            }
            sendPacket(packet, now);
        }
    }

    /** Before the first ack of a packet, so truncation cannot cut it (spec §7.1); only to a sender that marks. */
    private void appendEcnReport(PacketBuilder packet) {
        if (ecnSeen && (markedSinceReport || !reportSent)) {
            packet.add(new EcnReport(ceCount));
            reportSent = true;
            markedSinceReport = false;
        }
    }

    /** Acks owed, in order; the first of a packet may be truncated if allowed, the rest go whole or wait. */
    private void appendAcks(PacketBuilder packet, boolean truncate) {
        Iterator<ReceiveFlow> it = acksOwed.iterator();
        boolean first = true;
        while (it.hasNext()) {
            ReceiveFlow f = it.next();
            if (!f.appendAck(packet, truncate && first && packet.chunks().isEmpty())) {
                if (truncate) {
                    break;
                }
                continue;
            }
            first = false;
            it.remove();
        }
        if (acksOwed.isEmpty()) {
            acksOwed = Set.of();
            ackNow = false;
            dataPacketsUnacknowledged = 0;
            delayedAckAt = Long.MAX_VALUE;
        }
    }

    private void sendPacket(PacketBuilder packet, long now) {
        boolean timeCritical = packet.timeCritical();
        if (timeCritical) {
            lastTimeCriticalSentAt = now;
            endpoint.noteTimeCriticalSent(now);
        }
        session.sendPacket(packet.chunks(), timeCritical, endpoint.timeCriticalReverse(session, now),
                packet.carriesData() && ecnMarking, now);
    }

    private boolean timeCriticalSent(long now) {
        return now - lastTimeCriticalSentAt < TIME_CRITICAL_TIMEOUT;
    }

    /** Bulk growth: no time-critical pressure from the far end, and none from this endpoint (spec §5.8). */
    private boolean fastGrow(long now) {
        return now - lastTcrReceivedAt >= TIME_CRITICAL_TIMEOUT && !endpoint.timeCriticalSentRecently(now);
    }

    private void expireMessages(long now) {
        long next = Long.MAX_VALUE;
        for (SendFlow f : new ArrayList<>(sendFlows.values())) {
            if (f.hasDeadlines()) {
                next = Math.min(next, f.expire(now));
            }
        }
        nextExpiry = next;
    }

    private void updatePersist(long now) {
        for (SendFlow f : sendFlows.values()) {
            f.updatePersist(now, session.rtt().erto());
        }
    }

    // ---------------------------------------------------------------- timers

    long nextWakeup() {
        long t = Math.min(retransmitAt, nextExpiry);
        if (wantsToSend || ackNow) {
            return endpoint.now();
        }
        if (!acksOwed.isEmpty()) {
            t = Math.min(t, delayedAckAt);
        }
        if (paceAt != Long.MAX_VALUE) {
            t = Math.min(t, paceAt);
        }
        for (SendFlow f : sendFlows.values()) {
            t = Math.min(t, f.persistAt());
        }
        if (!lingering.isEmpty()) {
            t = Math.min(t, lingering.get(0).completedAt + RECEIVE_LINGER);
        }
        return t;
    }

    void onTimer(long now) {
        if (now >= retransmitAt) {
            onRetransmitTimeout(now);
            if (session.state() != SessionState.OPEN) {
                return;
            }
        }
        for (SendFlow f : sendFlows.values()) {
            if (now >= f.persistAt()) {
                PacketBuilder packet = new PacketBuilder();
                packet.add(new BufferProbe(f.flowId()));
                sendPacket(packet, now);
                f.probeSent(now, session.rtt().erto());
                // A probe asks for an acknowledgement too (RFC 7016 §2.3.15): a far end gone while its
                // window was closed shows here as one gone with data in flight.
                awaitingAckSince = Math.min(awaitingAckSince, now);
            }
        }
        while (!lingering.isEmpty() && now >= lingering.get(0).completedAt + RECEIVE_LINGER) {
            ReceiveFlow done = lingering.remove(0);
            receiveFlows.remove(done.flowId(), done);
            if (!acksOwed.isEmpty()) {
                acksOwed.remove(done);
            }
            if (lingering.isEmpty()) {
                lingering = List.of();
            }
            noteIdle(now);
        }
        transmit(now);
    }

    /**
     * The retransmission timer (spec §5.6): an idle session restarts its window; one with data
     * outstanding presumes it all lost and backs off, until the retransmit limit ends the session.
     */
    private void onRetransmitTimeout(long now) {
        retransmitAt = Long.MAX_VALUE;
        burstAllowance = BURST;
        paceAt = Long.MAX_VALUE;
        if (outstanding == 0) {
            congestion.onTimeout(true);
            return;
        }
        long limit = endpoint.config().retransmitLimit().toNanos() / 1000;
        if (now - progressAt >= limit) {
            session.retransmitLimitReached(now);
            return;
        }
        AckTally lost = new AckTally();
        for (SendFlow f : sendFlows.values()) {
            f.loseAll(lost);
        }
        outstanding = 0;
        congestion.onTimeout(false);
        session.rtt().backOff();
        endpoint.stats().add(EndpointStats.Counter.DATA_BYTES_LOST, lost.lost);
        retransmitAt = now + session.rtt().erto();
    }

    // ---------------------------------------------------------------- flow ends

    void sendFlowComplete(SendFlow f) {
        sendFlows.remove(f.flowId(), f);
        noteIdle(now());
    }

    void receiveFlowComplete(ReceiveFlow f) {
        f.completedAt = now();
        if (lingering.isEmpty()) {
            lingering = new ArrayList<>(1);
        }
        lingering.add(f);
        endpoint.reschedule(session);
    }

    private void noteIdle(long now) {
        if (!hasFlows()) {
            idleSince = now;
        }
    }

    /** The session is over: every flow ends, every pending message is abandoned. */
    void abort() {
        for (SendFlow f : new ArrayList<>(sendFlows.values())) {
            f.abort();
        }
        for (ReceiveFlow f : receiveFlows.values()) {
            f.abort();
        }
        sendFlows.clear();
        receiveFlows.clear();
        lingering = List.of();
        acksOwed = Set.of();
        outstanding = 0;
        awaitingAckSince = Long.MAX_VALUE;
        retransmitAt = Long.MAX_VALUE;
        paceAt = Long.MAX_VALUE;
        nextExpiry = Long.MAX_VALUE;
        wantsToSend = false;
        ackNow = false;
    }

    // ---------------------------------------------------------------- statistics

    void countRetransmission() {
        endpoint.stats().count(EndpointStats.Counter.DATA_RETRANSMISSIONS);
    }

    void countAbandoned() {
        endpoint.stats().count(EndpointStats.Counter.MESSAGES_ABANDONED);
    }

    void countDelivered(int bytes) {
        endpoint.stats().count(EndpointStats.Counter.MESSAGES_DELIVERED);
        endpoint.stats().add(EndpointStats.Counter.BYTES_DELIVERED, bytes);
    }

    void countOversizeMessage() {
        endpoint.drop(DropReason.MESSAGE_TOO_LARGE);
    }
}
