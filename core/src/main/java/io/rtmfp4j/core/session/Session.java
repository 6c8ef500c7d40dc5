package io.rtmfp4j.core.session;

import io.rtmfp4j.core.chunk.AckBitmap;
import io.rtmfp4j.core.chunk.AckRanges;
import io.rtmfp4j.core.chunk.BufferProbe;
import io.rtmfp4j.core.chunk.Chunk;
import io.rtmfp4j.core.chunk.CookieChange;
import io.rtmfp4j.core.chunk.EcnReport;
import io.rtmfp4j.core.chunk.FIHello;
import io.rtmfp4j.core.chunk.FlowException;
import io.rtmfp4j.core.chunk.IHello;
import io.rtmfp4j.core.chunk.IIKeying;
import io.rtmfp4j.core.chunk.InvalidChunk;
import io.rtmfp4j.core.chunk.NextUserData;
import io.rtmfp4j.core.chunk.Ping;
import io.rtmfp4j.core.chunk.PingReply;
import io.rtmfp4j.core.chunk.RHello;
import io.rtmfp4j.core.chunk.RIKeying;
import io.rtmfp4j.core.chunk.Redirect;
import io.rtmfp4j.core.chunk.SessionClose;
import io.rtmfp4j.core.chunk.SessionCloseAck;
import io.rtmfp4j.core.chunk.UserData;
import io.rtmfp4j.core.crypto.Certificate;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.FlashKeying;
import io.rtmfp4j.core.crypto.InitiatorKeying;
import io.rtmfp4j.core.crypto.PacketProtection;
import io.rtmfp4j.core.crypto.SessionSecurity;
import io.rtmfp4j.core.crypto.Sha256;
import io.rtmfp4j.core.packet.Packet;
import io.rtmfp4j.core.packet.PacketMode;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.WireFormatException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One RTMFP session (RFC 7016 §3.5) as seen from this end: its identifiers, keys, far identity,
 * timestamps, keepalive and close. Owned by its {@link Endpoint} and touched only on the
 * endpoint's loop thread.
 */
public final class Session {
    /** Startup retransmission: first after 1 s, then each interval 1.5 s longer (RFC 7016 §3.5.1.1). */
    static final long STARTUP_FIRST_RETRANSMIT = 1_000_000;
    static final long STARTUP_RETRANSMIT_STEP = 1_500_000;
    /** Redirects may add at most this many candidate addresses (rtmfp-cpp REDIRECT_THRESHOLD). */
    static final int MAX_REDIRECT_CANDIDATES = 24;
    /** Session packets kept while keying, replayed once the session key is known (RFC 7016 §3.5.1.1.3). */
    static final int MAX_EARLY_PACKETS = 18;
    /**
     * The Close of an orderly close is sent again at least this often (RFC 7016 §3.5.5.1); sooner at
     * first, after an ERTO that backs off as for any retransmission, so that a Close dropped by a far
     * end whose receive buffer the aborted flows had filled is heard while a closing endpoint lingers.
     */
    static final long CLOSE_RETRANSMIT_PERIOD = 5_000_000;
    static final long FAR_CLOSE_LINGER = 19_000_000;
    /** Timestamps are echoed for at most this long after the last one arrived (RFC 7016 §3.5.2.2). */
    static final long MAX_TS_ECHO_ELAPSED = 128_000_000;
    static final long TIMESTAMP_TICK = 4_000;
    /** At most one address validation probe per this period (RFC 7016 §3.5.4.2). */
    static final long MOBILITY_PROBE_INTERVAL = 1_000_000;
    /**
     * Glare (RFC 7016 §3.5.1.3): how long an opening session that gave way waits for the far end
     * to show which of the two sessions it keeps; its answer takes a round trip and a
     * Diffie-Hellman computation.
     */
    static final long GLARE_SETTLE = 3_000_000;
    private static final byte[] SIGNATURE = {'X'};

    private final Endpoint endpoint;
    private final SessionRole role;
    private final int nearSessionId;
    private int farSessionId;
    private SessionState state;
    private InetSocketAddress destination;
    private Certificate farCertificate;
    private byte[] farIdentity;
    private SessionSecurity security;
    private PacketProtection protection;
    private final RttEstimator rtt = new RttEstimator();
    private SessionFlows flows;

    /** Earliest time this session wants {@link #onTimer}; maintained by {@link TimerQueue}. */
    long scheduledWakeup = Long.MAX_VALUE;

    /** An initiator's state while it opens; null once open, and always at a responder. */
    private Opening opening;

    // Responder: what lets a retransmitted IIKeying be answered without new keying (RFC 7016 §3.5.1.2).
    // The SKIC is kept as a digest, and the RIKeying only until the initiator's first keyed packet
    // shows it has one: a server holds many sessions, and these would be a tenth of each.
    private long farSkicDigest;
    private byte[] riKeyingDatagram;
    /** When the IIKeying that keyed this session arrived: of two from one initiator, the later one wins. */
    private long keyingReceivedAt;
    /** Our own opening session that gave way to this one in glare and waits to see it used. */
    private Session glareRival;

    // Timestamps (RFC 7016 §3.5.2.2).
    private int timestampReceived = Packet.NO_TIMESTAMP;
    private long timestampReceivedAt;
    private int lastEchoSent = -1;
    private int lastEchoReceived = -1;

    // Keepalive and ping.
    /** This session's keepalive period in microseconds; negative for the endpoint's. */
    private long keepaliveMicros = -1;
    private long lastSendAt;
    private boolean pingOutstanding;
    private long pingSentAt;
    private long pingRetransmitAt = Long.MAX_VALUE;
    private long unacknowledgedSince = -1;

    // Address mobility (RFC 7016 §3.5.4.2).
    private long lastMobilityProbeAt = Long.MIN_VALUE / 2;

    // Close.
    private long closeRetransmitAt = Long.MAX_VALUE;
    private long closeDeadline = Long.MAX_VALUE;

    private Session(Endpoint endpoint, SessionRole role, int nearSessionId, SessionState state) {
        this.endpoint = endpoint;
        this.role = role;
        this.nearSessionId = nearSessionId;
        this.state = state;
    }

    static Session initiator(Endpoint endpoint, int nearSessionId, EndpointDiscriminator epd, byte[] tag, long now) {
        Session s = new Session(endpoint, SessionRole.INITIATOR, nearSessionId, SessionState.IHELLO_SENT);
        s.opening = new Opening(epd, tag, now + endpoint.config().openTimeout().toNanos() / 1000);
        return s;
    }

    static Session responder(Endpoint endpoint, int nearSessionId, int farSessionId, InetSocketAddress from,
            Certificate farCertificate, SessionSecurity security, byte[] skic, byte[] skrc, long received, long now) {
        Session s = new Session(endpoint, SessionRole.RESPONDER, nearSessionId, SessionState.OPEN);
        s.keyingReceivedAt = received;
        s.farSessionId = farSessionId;
        s.destination = from;
        s.farCertificate = farCertificate;
        s.farIdentity = EndpointDiscriminator.canonical(farCertificate);
        s.security = security;
        s.protection = PacketProtection.forSession(security);
        s.farSkicDigest = skicDigest(skic);
        s.riKeyingDatagram = endpoint.sealStartup(farSessionId,
                new RIKeying(sessionIdBytes(nearSessionId), skrc, SIGNATURE), now);
        s.lastSendAt = now;
        s.flows = new SessionFlows(s, endpoint, now);
        return s;
    }

    // ---------------------------------------------------------------- public view

    public SessionRole role() {
        return role;
    }

    public SessionState state() {
        return state;
    }

    /** The far end's current address. */
    public InetSocketAddress destination() {
        return destination;
    }

    /** The far end's certificate, once known (after RHello at an initiator). */
    public Optional<Certificate> farCertificate() {
        return Optional.ofNullable(farCertificate);
    }

    /** The far end's peer ID: 64 lowercase hex digits of its certificate fingerprint (RFC 7425 §4.3.2). */
    public Optional<String> farPeerId() {
        return farCertificate().map(Certificate::peerId);
    }

    /** Keys and negotiated options, once keying completed. */
    public Optional<SessionSecurity> security() {
        return Optional.ofNullable(security);
    }

    /** The session ID we chose: the far end puts it in the packets it sends us. */
    public int nearSessionId() {
        return nearSessionId;
    }

    /** The session ID the far end chose: we put it in the packets we send. */
    public int farSessionId() {
        return farSessionId;
    }

    public RttEstimator rtt() {
        return rtt;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** Opens a sending flow with this metadata (its "signature", RFC 7016 §2.3.11.1) at the default priority. */
    public SendFlow openFlow(byte[] metadata) {
        return openFlow(metadata, null, SendFlow.DEFAULT_PRIORITY);
    }

    /**
     * Opens a sending flow (RFC 7016 §3.6.2).
     *
     * @param metadata  the flow's signature, at most 512 bytes; the far end sees it with the first data
     * @param returnFor a flow received on this session that this one answers (return flow association), or null
     * @param priority  0..7; from {@link SendFlow#TIME_CRITICAL_PRIORITY} up the flow is time critical
     * @throws IllegalStateException if the session is not open
     */
    public SendFlow openFlow(byte[] metadata, ReceiveFlow returnFor, int priority) {
        if (state != SessionState.OPEN) {
            throw new IllegalStateException("session is " + state);
        }
        return flows.open(metadata, returnFor, priority);
    }

    /** Sending flows that are still open or draining. */
    public Collection<SendFlow> sendFlows() {
        return flows == null ? List.of() : flows.sendFlows();
    }

    /** Receiving flows, completed ones included while they linger. */
    public Collection<ReceiveFlow> receiveFlows() {
        return flows == null ? List.of() : flows.receiveFlows();
    }

    /** The congestion window in bytes (RFC 7016 Appendix A). */
    public long congestionWindow() {
        return flows == null ? 0 : flows.congestion().cwnd();
    }

    /** Bytes of user data sent and not yet acknowledged or presumed lost. */
    public long outstandingBytes() {
        return flows == null ? 0 : flows.outstanding();
    }

    /**
     * How long, in microseconds on the endpoint clock, data sent on this session has gone without
     * any acknowledgement from the far end; 0 while nothing awaits one. A far end that went away
     * without a word shows here long before the retransmit limit closes the session.
     */
    public long unacknowledgedFor(long now) {
        return flows == null ? 0 : flows.unacknowledgedFor(now);
    }

    /**
     * Sets how long this session may go without sending before it pings, in place of the
     * endpoint's default: a Flash server tells its clients with Set Keepalive (RFC 7425 §5.3.4).
     */
    public void setKeepalive(Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("keepalive period must be positive");
        }
        keepaliveMicros = period.toNanos() / 1000;
        if (state == SessionState.OPEN) {
            endpoint.reschedule(this);
        }
    }

    /**
     * Sends an empty Ping (RFC 7016 §2.3.9); {@link EndpointListener#onPingReply} reports the round
     * trip. A ping already outstanding is not duplicated.
     */
    public void ping(long now) {
        if (state != SessionState.OPEN || pingOutstanding) {
            return;
        }
        sendPing(now);
        endpoint.reschedule(this);
    }

    /**
     * Orderly close (RFC 7016 §3.5.5.1): Close is sent now and repeated until the far end
     * acknowledges it or the close period ends. An opening session is abandoned.
     */
    public void close(long now) {
        if (state.isOpening()) {
            failOpening(CloseReason.LOCAL_CLOSE);
        } else if (state == SessionState.OPEN) {
            beginNearClose(now, CloseReason.LOCAL_CLOSE);
        }
    }

    /** Abrupt close (RFC 7016 §3.5.5.2): one Close Ack, then the session is gone. */
    public void abort(long now, CloseReason reason) {
        if (state.isOpening()) {
            failOpening(reason);
            return;
        }
        if (state == SessionState.CLOSED) {
            return;
        }
        boolean wasOpen = state == SessionState.OPEN;
        sendChunks(List.of(new SessionCloseAck()), now);
        abortFlows();
        enterClosed();
        if (wasOpen) {
            endpoint.sessionEnded(this, reason);
        }
    }

    /**
     * Forwards an IHello to the far end of this session (RFC 7016 §3.5.1.5), so that it answers
     * the initiator directly. Used by an introducer such as the rendezvous server.
     */
    public void forwardHello(byte[] rawEpd, Address replyAddress, byte[] tag, long now) {
        if (state == SessionState.OPEN) {
            sendChunks(List.of(new FIHello(rawEpd, replyAddress, tag)), now);
            endpoint.reschedule(this);
        }
    }

    @Override
    public String toString() {
        return "Session[" + role + " " + state + " " + destination + " "
                + farPeerId().map(id -> id.substring(0, 16)).orElse("?") + "]";
    }

    // ---------------------------------------------------------------- opening (initiator)

    EndpointDiscriminator epd() {
        return opening.epd;
    }

    /** The tag of our IHellos; null once open, and at a responder. */
    byte[] tag() {
        return opening == null ? null : opening.tag;
    }

    /** What this session holds while it opens: null once open, and at a responder. */
    Opening opening() {
        return opening;
    }

    byte[] farIdentity() {
        return farIdentity;
    }

    void addWaiting(ConnectListener listener) {
        opening.waiting.add(listener);
    }

    boolean hasCandidate(InetSocketAddress address) {
        if (address.equals(destination)) {
            return true;
        }
        for (Opening.Candidate c : opening.candidates) {
            if (c.address.equals(address)) {
                return true;
            }
        }
        return false;
    }

    void addCandidate(InetSocketAddress address, boolean fromRedirect, long now) {
        if (state != SessionState.IHELLO_SENT || hasCandidate(address)) {
            return;
        }
        if (fromRedirect) {
            if (opening.redirectCandidates >= MAX_REDIRECT_CANDIDATES) {
                return;
            }
            opening.redirectCandidates++;
        }
        Opening.Candidate c = new Opening.Candidate(address, now);
        opening.candidates.add(c);
        sendIHello(c, now);
    }

    private void sendIHello(Opening.Candidate c, long now) {
        endpoint.transmitStartup(c.address, 0, new IHello(opening.epd.encode(), opening.tag), now);
        c.nextSendAt = now + c.interval;
        c.interval += STARTUP_RETRANSMIT_STEP;
    }

    void onRedirect(Redirect redirect, InetSocketAddress from, long now) {
        if (redirect.destinations().isEmpty()) {
            // An empty Redirect means "try again where this came from" (rtmfp-cpp).
            addCandidate(from, true, now);
        }
        for (Address a : redirect.destinations()) {
            addCandidate(a.socketAddress(), true, now);
        }
        endpoint.reschedule(this);
    }

    /** The first acceptable RHello wins (RFC 7016 §3.5.1.1.2); later ones find us past IHELLO_SENT. */
    void onRHello(RHello hello, InetSocketAddress from, long now) {
        Certificate certificate;
        try {
            certificate = Certificate.decode(hello.certificate());
        } catch (WireFormatException e) {
            endpoint.drop(DropReason.BAD_CERTIFICATE);
            return;
        }
        if (!opening.epd.selects(certificate)) {
            endpoint.drop(DropReason.BAD_CERTIFICATE);
            return;
        }
        byte[] identity = EndpointDiscriminator.canonical(certificate);
        Session existing = endpoint.sessionByIdentity(identity);
        if (existing != null && existing != this) {
            handOverTo(existing);
            return;
        }
        state = SessionState.KEYING_SENT;
        opening.candidates.clear();
        destination = from;
        opening.cookie = hello.cookie();
        farCertificate = certificate;
        farIdentity = identity;
        opening.earlyPackets = new ArrayDeque<>();
        endpoint.registerIdentity(this);
        endpoint.submit(
                () -> FlashKeying.startInitiator(endpoint.identity(), certificate, endpoint.config().handshake(),
                        endpoint.random()),
                (started, error, t) -> {
                    if (state != SessionState.KEYING_SENT) {
                        return;
                    }
                    if (error != null) {
                        endpoint.keyingFailed(error);
                        failOpening(CloseReason.KEYING_FAILED);
                        return;
                    }
                    opening.keying = started;
                    opening.keyingInterval = STARTUP_FIRST_RETRANSMIT;
                    sendIIKeying(t);
                    endpoint.reschedule(this);
                });
        endpoint.reschedule(this);
    }

    private void sendIIKeying(long now) {
        Opening o = opening;
        IIKeying chunk = new IIKeying(sessionIdBytes(nearSessionId), o.cookie,
                endpoint.identity().certificate().encoded(), o.keying.skic(), SIGNATURE);
        endpoint.transmitStartup(destination, 0, chunk, now);
        o.lastIIKeyingAt = now;
        o.keyingRetransmitAt = now + o.keyingInterval;
        o.keyingInterval += STARTUP_RETRANSMIT_STEP;
    }

    /** Cookie Change (RFC 7016 §3.5.1.1.3): honoured once, and only for the cookie we are echoing. */
    private void onCookieChange(CookieChange change, long now) {
        Opening o = opening;
        if (o.cookieChanged || o.keying == null || !Arrays.equals(change.oldCookie(), o.cookie)) {
            endpoint.drop(DropReason.UNMATCHED_STARTUP);
            return;
        }
        o.cookieChanged = true;
        o.cookie = change.newCookie();
        o.keyingInterval = STARTUP_FIRST_RETRANSMIT;
        sendIIKeying(now);
    }

    private void onRIKeying(RIKeying riKeying) {
        Opening o = opening;
        if (o.keying == null || o.finishingKeying) {
            return;
        }
        o.finishingKeying = true;
        InitiatorKeying started = o.keying;
        endpoint.submit(() -> started.finish(riKeying.skrc()), (secured, error, t) -> {
            o.finishingKeying = false;
            if (state != SessionState.KEYING_SENT) {
                return;
            }
            if (error != null) {
                // A bad RIKeying may be forged; keep retransmitting IIKeying until a good one comes,
                // unless the deadline passed while this one was being checked.
                endpoint.keyingFailed(error);
                if (t >= o.deadline) {
                    failOpening(CloseReason.OPEN_TIMEOUT);
                } else {
                    endpoint.reschedule(this);
                }
                return;
            }
            farSessionId = sessionIdInt(riKeying.responderSessionId());
            security = secured;
            protection = PacketProtection.forSession(secured);
            state = SessionState.OPEN;
            opening = null;
            lastSendAt = t;
            flows = new SessionFlows(this, endpoint, t);
            Session theirs = o.yieldedTo;
            if (theirs != null) {
                theirs.glareRival = null;
            }
            endpoint.sessionOpened(this);
            if (theirs != null) {
                // We gave way in glare, and the far end gave way to us too: it keeps this session.
                theirs.abort(t, CloseReason.SUPERSEDED);
            }
            for (ConnectListener l : o.waiting) {
                l.onOpen(this);
            }
            replayEarlyPackets(o.earlyPackets, t);
            endpoint.reschedule(this);
        });
    }

    private void replayEarlyPackets(ArrayDeque<byte[]> early, long now) {
        for (byte[] d : early) {
            if (state != SessionState.OPEN) {
                break;
            }
            receiveKeyed(destination, d, 0, d.length, now);
        }
    }

    /**
     * Glare, and we win it (RFC 7425 §4.3.6: the smaller certificate): the far end's IIKeying is
     * refused, because a far end that follows the same rule answers ours. One that sends its
     * IIKeying again after ours went out again does not: librtmfp lets the larger peer ID win
     * once it has sent its IIKeying, whatever the certificates, and both ends would wait for each
     * other until the open timeout. True when this end should give way after all.
     */
    boolean farEndInsists(long now) {
        if (opening.glareRefusedAt < 0) {
            opening.glareRefusedAt = now;
            return false;
        }
        return opening.lastIIKeyingAt > opening.glareRefusedAt;
    }

    /**
     * Glare, and we gave way: the far end's IIKeying was answered with {@code theirs}. A far end
     * with another rule may give way as well and answer our IIKeying (librtmfp lets the smaller
     * peer ID give way), and then it keeps this session and drops its own. So this one stops
     * sending IIKeying (another would supersede the far end's session once it is open, RFC 7425
     * §4.3.7) and waits: its RIKeying makes it open and close {@code theirs}; a packet on {@code
     * theirs} shows the far end kept that one; without either, {@link #GLARE_SETTLE} decides for it.
     */
    void yieldTo(Session theirs, long now) {
        if (opening.lastIIKeyingAt == Long.MIN_VALUE) {
            // Our IIKeying never went out: the far end has nothing to answer.
            handOverTo(theirs);
            return;
        }
        opening.yieldedTo = theirs;
        theirs.glareRival = this;
        opening.keyingRetransmitAt = Long.MAX_VALUE;
        opening.settleAt = now + GLARE_SETTLE;
        endpoint.reschedule(this);
    }

    /** The far end keeps the session we answered in glare: the connections waiting here go to it. */
    private void settle() {
        Session theirs = opening.yieldedTo;
        theirs.glareRival = null;
        opening.yieldedTo = null;
        handOverTo(theirs);
    }

    /** The session we gave way to ended before the far end chose: this one goes on opening. */
    private void resumeKeying() {
        opening.yieldedTo = null;
        opening.settleAt = Long.MAX_VALUE;
        opening.keyingRetransmitAt = 0;
        endpoint.reschedule(this);
    }

    /** Gives the waiting connections to a session that already serves the same far identity. */
    void handOverTo(Session other) {
        List<ConnectListener> toMove = new ArrayList<>(opening.waiting);
        opening.waiting.clear();
        enterClosed();
        for (ConnectListener l : toMove) {
            if (other.state == SessionState.OPEN) {
                l.onOpen(other);
            } else if (other.opening != null) {
                other.addWaiting(l);
            } else {
                // The far end's session we gave way to is closing: nothing will open for these.
                l.onFailure(CloseReason.SUPERSEDED);
            }
        }
    }

    void failOpening(CloseReason reason) {
        if (!state.isOpening()) {
            return;
        }
        List<ConnectListener> toNotify = new ArrayList<>(opening.waiting);
        opening.waiting.clear();
        enterClosed();
        endpoint.openingFailed(this);
        for (ConnectListener l : toNotify) {
            l.onFailure(reason);
        }
    }

    // ---------------------------------------------------------------- receiving

    /** A datagram whose SSID names this session. */
    void receive(InetSocketAddress from, byte[] data, int off, int len, int ecn, long now) {
        switch (state) {
            case KEYING_SENT -> receiveWhileKeying(from, data, off, len, now);
            case OPEN, NEAR_CLOSE, FAR_CLOSE_LINGER -> receiveKeyed(from, data, off, len, ecn == Endpoint.ECN_ECT0
                    || ecn == Endpoint.ECN_ECT1, ecn == Endpoint.ECN_CE, now);
            default -> endpoint.drop(DropReason.UNKNOWN_SESSION);
        }
    }

    /**
     * While keying, only RIKeying and Cookie Change come with the default key (RFC 7425 §4.1);
     * anything else is an early session packet, kept to be replayed once the key is known.
     */
    private void receiveWhileKeying(InetSocketAddress from, byte[] data, int off, int len, long now) {
        ByteReader clear;
        try {
            clear = endpoint.startupProtection().openView(data, off, len);
        } catch (WireFormatException e) {
            ArrayDeque<byte[]> early = opening.earlyPackets;
            if (early.size() == MAX_EARLY_PACKETS) {
                early.removeFirst();
                endpoint.drop(DropReason.EARLY_OVERFLOW);
            }
            early.addLast(Arrays.copyOfRange(data, off, off + len));
            return;
        }
        Packet packet = endpoint.decode(clear);
        if (packet == null) {
            return;
        }
        if (packet.mode() != PacketMode.STARTUP) {
            endpoint.drop(DropReason.BAD_MODE);
            return;
        }
        noteTimestamps(packet, now);
        for (Chunk chunk : packet.chunks()) {
            if (chunk instanceof RIKeying k) {
                onRIKeying(k);
            } else if (chunk instanceof CookieChange c) {
                onCookieChange(c, now);
            }
        }
        endpoint.reschedule(this);
    }

    private void receiveKeyed(InetSocketAddress from, byte[] data, int off, int len, long now) {
        receiveKeyed(from, data, off, len, false, false, now);
    }

    private void receiveKeyed(InetSocketAddress from, byte[] data, int off, int len, boolean ect,
            boolean congestionExperienced, long now) {
        ByteReader clear;
        try {
            clear = protection.openView(data, off, len);
        } catch (WireFormatException e) {
            endpoint.drop(DropReason.BAD_PROTECTION);
            return;
        }
        Packet packet = endpoint.decode(clear);
        if (packet == null) {
            return;
        }
        if (packet.mode() == PacketMode.STARTUP) {
            // A retransmitted startup packet that happens to use our ID; nothing to do once open.
            return;
        }
        if (packet.mode() == role.mode()) {
            // Our own packet reflected back at us (RFC 7016 §2.2.4).
            endpoint.drop(DropReason.BAD_MODE);
            return;
        }
        // A packet under the session keys: the initiator has our RIKeying and will not ask again.
        riKeyingDatagram = null;
        if (glareRival != null) {
            // The far end sends on this session: it kept it, so our own opening one gives way for good.
            glareRival.settle();
        }
        noteTimestamps(packet, now);
        if (state == SessionState.OPEN && !from.equals(destination)) {
            probeNewAddress(from, now);
        }
        boolean open = state == SessionState.OPEN;
        if (open) {
            flows.beginPacket(packet.timeCritical(), packet.timeCriticalReverse(), congestionExperienced, ect, now);
        }
        List<Chunk> replies = new ArrayList<>(2);
        for (Chunk chunk : packet.chunks()) {
            if (state == SessionState.CLOSED) {
                break;
            }
            if (chunk instanceof UserData d) {
                if (state == SessionState.OPEN) {
                    flows.onUserData(d);
                }
            } else if (chunk instanceof NextUserData d) {
                if (state == SessionState.OPEN) {
                    flows.onNextUserData(d);
                }
            } else if (chunk instanceof AckRanges a) {
                if (state == SessionState.OPEN) {
                    flows.onAckRanges(a);
                }
            } else if (chunk instanceof AckBitmap a) {
                if (state == SessionState.OPEN) {
                    flows.onAckBitmap(a);
                }
            } else if (chunk instanceof BufferProbe b) {
                if (state == SessionState.OPEN) {
                    flows.onBufferProbe(b);
                }
            } else if (chunk instanceof FlowException e) {
                if (state == SessionState.OPEN) {
                    flows.onFlowException(e);
                }
            } else if (chunk instanceof EcnReport r) {
                if (state == SessionState.OPEN) {
                    flows.onEcnReport(r);
                }
            } else if (chunk instanceof Ping p) {
                if (state == SessionState.OPEN) {
                    replies.add(new PingReply(p.message()));
                }
            } else if (chunk instanceof PingReply r) {
                onPingReply(r, from, now);
            } else if (chunk instanceof SessionClose) {
                onClose(now);
            } else if (chunk instanceof SessionCloseAck) {
                onCloseAck(now);
            } else if (chunk instanceof FIHello f) {
                onForwardedHello(f, now);
            } else if (chunk instanceof InvalidChunk) {
                endpoint.drop(DropReason.MALFORMED);
            }
        }
        if (!replies.isEmpty() && state == SessionState.OPEN) {
            sendChunks(replies, now);
        }
        if (open && state == SessionState.OPEN) {
            flows.endPacket(now);
        }
        endpoint.reschedule(this);
    }

    /**
     * A packet authenticated by the session keys came from an address that is not the
     * destination: the far end may have moved (RFC 7016 §3.5.4.2). The session moves only once a
     * Ping carrying an unforgeable check is answered from there; probes go out at most once a second.
     */
    private void probeNewAddress(InetSocketAddress from, long now) {
        if (now - lastMobilityProbeAt < MOBILITY_PROBE_INTERVAL) {
            return;
        }
        lastMobilityProbeAt = now;
        Packet probe = new Packet(false, false, role.mode(), Endpoint.timestamp(now), Packet.NO_TIMESTAMP,
                List.of(new Ping(endpoint.mobilityCheck().create(from, now))));
        endpoint.transmit(from, endpoint.seal(protection, farSessionId, probe));
    }

    private void noteTimestamps(Packet packet, long now) {
        if (packet.hasTimestamp()) {
            timestampReceived = packet.timestamp();
            timestampReceivedAt = now;
        }
        int echo = packet.timestampEcho();
        if (packet.hasTimestampEcho() && echo != lastEchoReceived && state == SessionState.OPEN) {
            lastEchoReceived = echo;
            int ticks = (Endpoint.timestamp(now) - echo) & 0xffff;
            if (ticks < 32768) {
                rtt.sample(ticks * TIMESTAMP_TICK);
            }
        }
    }

    private void onPingReply(PingReply reply, InetSocketAddress from, long now) {
        if (state != SessionState.OPEN) {
            return;
        }
        byte[] echoed = reply.message();
        if (MobilityCheck.looksLikeCheck(echoed)) {
            if (!from.equals(destination) && endpoint.mobilityCheck().verify(echoed, from, now)) {
                moveTo(from, now);
            }
            return;
        }
        flows.noteProgress(now);
        if (!pingOutstanding) {
            return;
        }
        pingOutstanding = false;
        pingRetransmitAt = Long.MAX_VALUE;
        unacknowledgedSince = -1;
        endpoint.listener().onPingReply(this, now - pingSentAt);
    }

    /** The far end proved it is reachable at {@code address}: send there from now on. */
    private void moveTo(InetSocketAddress address, long now) {
        InetSocketAddress old = destination;
        destination = address;
        endpoint.addressChanged(this, old);
        endpoint.stats().count(EndpointStats.Counter.ADDRESS_CHANGES);
        flows.wantsToSend();
    }

    private void onForwardedHello(FIHello hello, long now) {
        endpoint.stats().count(EndpointStats.Counter.FORWARDED_HELLOS_RECEIVED);
        if (hello.tag().length < Endpoint.MIN_TAG_LENGTH) {
            endpoint.drop(DropReason.SHORT_TAG);
            return;
        }
        EndpointDiscriminator target;
        try {
            target = EndpointDiscriminator.decode(hello.epd());
        } catch (WireFormatException e) {
            endpoint.drop(DropReason.MALFORMED);
            return;
        }
        if (!target.selects(endpoint.identity().certificate())) {
            endpoint.drop(DropReason.UNMATCHED_HELLO);
            return;
        }
        InetSocketAddress reply = hello.replyAddress().socketAddress();
        switch (endpoint.config().forwardedHelloPolicy()) {
            case SEND_RHELLO -> endpoint.sendRHello(reply, hello.tag(), target, now);
            case SEND_REDIRECT -> endpoint.transmitStartup(reply, 0, new Redirect(hello.tag(), List.of()), now);
            case IGNORE -> {
            }
        }
    }

    // ---------------------------------------------------------------- responder

    /** When the IIKeying that keyed this responder session arrived. */
    long keyingReceivedAt() {
        return keyingReceivedAt;
    }

    boolean isRetransmissionOf(byte[] skic) {
        return role == SessionRole.RESPONDER && state == SessionState.OPEN && farSkicDigest == skicDigest(skic);
    }

    /**
     * Sends the stored RIKeying: once on opening, again for each retransmitted IIKeying until the
     * initiator's first keyed packet arrives.
     *
     * @return false once the initiator has shown it keyed the session, when there is nothing to resend
     */
    boolean sendRIKeying() {
        if (riKeyingDatagram == null) {
            return false;
        }
        endpoint.transmit(destination, riKeyingDatagram);
        return true;
    }

    /** First 64 bits of the SKIC's SHA-256: a copy of the IIKeying is recognised without keeping it. */
    private static long skicDigest(byte[] skic) {
        return ByteBuffer.wrap(Sha256.digest(skic)).getLong();
    }

    // ---------------------------------------------------------------- close

    private void beginNearClose(long now, CloseReason reason) {
        state = SessionState.NEAR_CLOSE;
        abortFlows();
        pingOutstanding = false;
        pingRetransmitAt = Long.MAX_VALUE;
        sendChunks(List.of(new SessionClose()), now);
        closeRetransmitAt = now + Math.min(rtt.erto(), CLOSE_RETRANSMIT_PERIOD);
        closeDeadline = now + endpoint.config().closePeriod().toNanos() / 1000;
        riKeyingDatagram = null;
        endpoint.sessionEnded(this, reason);
        endpoint.sessionClosing(this);
        endpoint.reschedule(this);
    }

    private void onClose(long now) {
        sendChunks(List.of(new SessionCloseAck()), now);
        if (state == SessionState.OPEN) {
            state = SessionState.FAR_CLOSE_LINGER;
            abortFlows();
            pingOutstanding = false;
            pingRetransmitAt = Long.MAX_VALUE;
            closeDeadline = now + FAR_CLOSE_LINGER;
            riKeyingDatagram = null;
            endpoint.sessionEnded(this, CloseReason.REMOTE_CLOSE);
            endpoint.sessionClosing(this);
        }
    }

    private void onCloseAck(long now) {
        if (state == SessionState.OPEN) {
            sendChunks(List.of(new SessionCloseAck()), now);
            abortFlows();
            enterClosed();
            endpoint.sessionEnded(this, CloseReason.REMOTE_CLOSE);
        } else {
            enterClosed();
        }
    }

    private void abortFlows() {
        if (flows != null) {
            flows.abort();
        }
    }

    /** Data went unacknowledged for the retransmit limit (RFC 7016 §3.5.2.2): the far end is gone. */
    void retransmitLimitReached(long now) {
        beginNearClose(now, CloseReason.RETRANSMIT_LIMIT);
    }

    private void enterClosed() {
        state = SessionState.CLOSED;
        if (protection != null) {
            protection.release();
        }
        if (opening != null && opening.yieldedTo != null) {
            opening.yieldedTo.glareRival = null;
            opening.yieldedTo = null;
        }
        if (glareRival != null) {
            // Gone before the far end chose between the two: our opening session goes on alone.
            glareRival.resumeKeying();
            glareRival = null;
        }
        endpoint.forget(this);
    }

    // ---------------------------------------------------------------- timers

    long nextWakeup() {
        return switch (state) {
            case IHELLO_SENT -> {
                long t = opening.deadline;
                for (Opening.Candidate c : opening.candidates) {
                    t = Math.min(t, c.nextSendAt);
                }
                yield t;
            }
            // While the far end's RIKeying is being checked, neither the deadline nor glare's wait may end the session.
            case KEYING_SENT -> opening.finishingKeying ? opening.keyingRetransmitAt
                    : Math.min(Math.min(opening.deadline, opening.keyingRetransmitAt), opening.settleAt);
            case OPEN -> Math.min(Math.min(pingOutstanding ? pingRetransmitAt : keepaliveDue(), flows.nextWakeup()),
                    idleDeadline());
            case NEAR_CLOSE -> Math.min(closeRetransmitAt, closeDeadline);
            case FAR_CLOSE_LINGER -> closeDeadline;
            case CLOSED -> Long.MAX_VALUE;
        };
    }

    /** A session without flows in either direction for the idle limit is closed (RFC 7016 §3.5.4.1). */
    private long idleDeadline() {
        if (flows.hasFlows()) {
            return Long.MAX_VALUE;
        }
        long limit = endpoint.config().idleLimit().toNanos() / 1000;
        long since = flows.idleSince();
        return since > Long.MAX_VALUE - limit ? Long.MAX_VALUE : since + limit;
    }

    /** The responder waits an extra MRTO so both ends do not ping at once (RFC 7016 §3.5.4.1). */
    private long keepaliveDue() {
        long period = keepaliveMicros >= 0 ? keepaliveMicros : endpoint.config().keepalive().toNanos() / 1000;
        return lastSendAt + period + (role == SessionRole.RESPONDER ? rtt.mrto() : 0);
    }

    void onTimer(long now) {
        switch (state) {
            case IHELLO_SENT, KEYING_SENT -> {
                Opening o = opening;
                if (o.yieldedTo != null && now >= o.settleAt && !o.finishingKeying) {
                    settle();
                    return;
                }
                if (now >= o.deadline && !o.finishingKeying) {
                    failOpening(CloseReason.OPEN_TIMEOUT);
                    return;
                }
                if (state == SessionState.IHELLO_SENT) {
                    for (Opening.Candidate c : o.candidates) {
                        if (now >= c.nextSendAt) {
                            endpoint.stats().count(EndpointStats.Counter.STARTUP_RETRANSMISSIONS);
                            sendIHello(c, now);
                        }
                    }
                } else if (now >= o.keyingRetransmitAt && o.keying != null) {
                    endpoint.stats().count(EndpointStats.Counter.STARTUP_RETRANSMISSIONS);
                    sendIIKeying(now);
                }
            }
            case OPEN -> {
                flows.onTimer(now);
                if (state != SessionState.OPEN) {
                    return;
                }
                if (now >= idleDeadline()) {
                    beginNearClose(now, CloseReason.IDLE);
                    return;
                }
                if (pingOutstanding) {
                    if (now >= pingRetransmitAt) {
                        retransmitPing(now);
                    }
                } else if (now >= keepaliveDue()) {
                    sendPing(now);
                }
            }
            case NEAR_CLOSE -> {
                if (now >= closeDeadline) {
                    enterClosed();
                } else if (now >= closeRetransmitAt) {
                    sendChunks(List.of(new SessionClose()), now);
                    rtt.backOff();
                    closeRetransmitAt = now + Math.min(rtt.erto(), CLOSE_RETRANSMIT_PERIOD);
                }
            }
            case FAR_CLOSE_LINGER -> {
                if (now >= closeDeadline) {
                    enterClosed();
                }
            }
            case CLOSED -> {
            }
        }
    }

    private void sendPing(long now) {
        pingOutstanding = true;
        pingSentAt = now;
        if (unacknowledgedSince < 0) {
            unacknowledgedSince = now;
        }
        sendChunks(List.of(new Ping(new byte[0])), now);
        pingRetransmitAt = now + rtt.erto();
    }

    /** A keepalive went unanswered for an ERTO: back off, and give up after the retransmit limit (RFC 7016 §3.5.2.2). */
    private void retransmitPing(long now) {
        long limit = endpoint.config().retransmitLimit().toNanos() / 1000;
        if (now - unacknowledgedSince >= limit) {
            beginNearClose(now, CloseReason.RETRANSMIT_LIMIT);
            return;
        }
        rtt.backOff();
        pingSentAt = now;
        sendChunks(List.of(new Ping(new byte[0])), now);
        pingRetransmitAt = now + rtt.erto();
    }

    // ---------------------------------------------------------------- sending

    private void sendChunks(List<Chunk> chunks, long now) {
        sendPacket(chunks, false, false, false, now);
    }

    /** Sends one session packet to the current destination; the flags are those of RFC 7016 §2.2.4. */
    void sendPacket(List<Chunk> chunks, boolean timeCritical, boolean timeCriticalReverse, boolean ecnCapable,
            long now) {
        Packet packet = new Packet(timeCritical, timeCriticalReverse, role.mode(), Endpoint.timestamp(now),
                timestampEcho(now), chunks);
        endpoint.transmit(destination, endpoint.seal(protection, farSessionId, packet), ecnCapable);
        lastSendAt = now;
    }

    /** The far end's last timestamp advanced by how long we held it; only when it changed (RFC 7016 §3.5.2.2). */
    private int timestampEcho(long now) {
        if (timestampReceived == Packet.NO_TIMESTAMP || now - timestampReceivedAt > MAX_TS_ECHO_ELAPSED) {
            return Packet.NO_TIMESTAMP;
        }
        int echo = (timestampReceived + (int) ((now - timestampReceivedAt) / TIMESTAMP_TICK)) & 0xffff;
        if (echo == lastEchoSent) {
            return Packet.NO_TIMESTAMP;
        }
        lastEchoSent = echo;
        return echo;
    }

    /** Session IDs are 4 opaque bytes (spec P2), held as an int loaded big-endian. */
    static byte[] sessionIdBytes(int id) {
        byte[] b = new byte[4];
        ByteWriter.putU32(b, 0, id);
        return b;
    }

    static int sessionIdInt(byte[] id) {
        return ByteReader.u32(id, 0);
    }
}
