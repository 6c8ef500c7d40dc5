package io.rtmfp4j.core.session;

import io.rtmfp4j.core.chunk.Chunk;
import io.rtmfp4j.core.chunk.CookieChange;
import io.rtmfp4j.core.chunk.IHello;
import io.rtmfp4j.core.chunk.IIKeying;
import io.rtmfp4j.core.chunk.RHello;
import io.rtmfp4j.core.chunk.Redirect;
import io.rtmfp4j.core.crypto.Certificate;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.FlashKeying;
import io.rtmfp4j.core.crypto.PacketProtection;
import io.rtmfp4j.core.crypto.ResponderKeys;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.crypto.ResponderKeying;
import io.rtmfp4j.core.packet.Packet;
import io.rtmfp4j.core.packet.PacketMode;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.WireFormatException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An RTMFP endpoint (RFC 7016) as a sans-IO state machine: datagrams and time go in as method
 * calls, datagrams to send come out of {@link #pollTransmit()}, and {@link #nextDeadline()} says
 * when to call {@link #onTimer} next. It never touches a socket, a thread or the clock.
 *
 * <p>Not thread-safe: one loop thread owns an endpoint and everything in it. Public-key work may
 * run elsewhere through a {@link CryptoOffload}, whose completions come back on the loop.
 */
public final class Endpoint {
    /** IP ECN field values (RFC 3168), as the runtime reports them with a received datagram. */
    public static final int ECN_NOT_ECT = 0;
    public static final int ECN_ECT1 = 1;
    public static final int ECN_ECT0 = 2;
    public static final int ECN_CE = 3;

    /** Answers to an address not yet validated by a cookie are at most this many times the request's size. */
    static final int AMPLIFICATION_FACTOR = 3;
    /**
     * The tag every initiator we know sends (Flash Player, librtmfp, rtmfp-cpp's IHELLO_TAG_LENGTH,
     * rtmfp4j): 16 random bytes; librtmfp and MonaServer answer nothing else (spec P7).
     */
    static final int MIN_TAG_LENGTH = 16;

    private final EndpointConfig config;
    private final SecureRandom random;
    private final CryptoOffload offload;
    private final PacketProtection startup = PacketProtection.startup();
    private final CookieJar cookies;
    /** Our ephemeral DH key pairs as responder, shared by the keying workers. */
    private final ResponderKeys responderKeys;
    private final EndpointStats stats = new EndpointStats();
    private final TimerQueue timers = new TimerQueue();
    private final ArrayDeque<Datagram> transmitQueue = new ArrayDeque<>();
    private final ByteWriter scratch = new ByteWriter(1500);
    private final HandshakeLimiter handshakeLimiter;
    /** Sessions due in the current {@link #onTimer} call. */
    private final List<Session> due = new ArrayList<>();

    /** Every live session by the ID we chose for it (the SSID of packets sent to us). */
    private final Map<Integer, Session> byNearId = new HashMap<>();
    /** Initiator sessions in IHELLO_SENT, by tag. */
    private final Map<ByteBuffer, Session> openingByTag = new HashMap<>();
    /** Sessions in KEYING_SENT or OPEN, by the far end's canonical EPD: at most one per far identity (RFC 7016 §3.2). */
    private final Map<Identity, Session> byIdentity = new HashMap<>();
    /**
     * Open sessions by far address, for IIKeying override checks (RFC 7425 §4.3.7) and to
     * recognise retransmitted IIKeyings (with the far session ID and the SKIC).
     */
    private final Map<InetSocketAddress, Session> openByAddress = new HashMap<>();
    /** Initiator sessions still opening (IHELLO_SENT or KEYING_SENT); a server usually has none. */
    private final Set<Session> opening = new HashSet<>();
    /** IIKeyings whose keying is being computed. */
    private final Set<ResponderKey> pendingKeying = new HashSet<>();
    /**
     * Sessions in NEAR_CLOSE or FAR_CLOSE_LINGER, oldest first. They are in {@link #byNearId} too,
     * so their IDs stay reserved while they finish the close exchange, but they are bounded on their
     * own ({@link EndpointConfig#maxClosingSessions()}) and do not count against the live sessions.
     */
    private final Set<Session> closing = new LinkedHashSet<>();

    private EndpointListener listener = new EndpointListener() { };
    private ForeignHelloHandler foreignHelloHandler;
    private long now;
    private MobilityCheck mobilityCheck;

    // Time criticality across sessions (RFC 7016 §3.5.2.1): the latest session that sent us a TC
    // packet, and the latest time any other session did, so one session's own TC traffic does not
    // make it report TCR to itself.
    private Session tcLatestFrom;
    private long tcLatestAt = Long.MIN_VALUE / 2;
    private long tcOtherAt = Long.MIN_VALUE / 2;
    private long tcSentAt = Long.MIN_VALUE / 2;

    private record ResponderKey(InetSocketAddress address, int farSessionId) {
    }

    /**
     * A far end's canonical EPD as a map key: a server keeps one per session, and this is a
     * third of the size of a wrapping {@link ByteBuffer}.
     */
    private record Identity(byte[] canonical) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && Arrays.equals(canonical, other.canonical);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(canonical);
        }
    }

    /**
     * @param offload where Diffie-Hellman work runs; null runs it inline on the loop thread
     */
    public Endpoint(EndpointConfig config, SecureRandom random, CryptoOffload offload) {
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        this.offload = offload;
        this.cookies = new CookieJar(random, config.cookieLifetime().toNanos() / 1000);
        this.handshakeLimiter = new HandshakeLimiter(config.handshakeRate(), config.handshakeBurst());
        this.responderKeys = new ResponderKeys(config.dhKeyReuse());
    }

    public EndpointConfig config() {
        return config;
    }

    public PeerIdentity identity() {
        return config.identity();
    }

    public EndpointStats stats() {
        return stats;
    }

    public void setListener(EndpointListener listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    /** Installs the introducer logic for IHellos that do not select us (null removes it). */
    public void setForeignHelloHandler(ForeignHelloHandler handler) {
        this.foreignHelloHandler = handler;
    }

    /** Every session that has an ID: opening, open, and closing ones that finish their close exchange. */
    public Collection<Session> sessions() {
        return Collections.unmodifiableCollection(byNearId.values());
    }

    /**
     * Whether an orderly close of ours still waits for the far end's Close Ack (RFC 7016 §3.5.5.1):
     * what a host that is going away lingers for, so the far end hears of the close.
     */
    public boolean awaitingCloseAcks() {
        for (Session s : closing) {
            if (s.state() == SessionState.NEAR_CLOSE) {
                return true;
            }
        }
        return false;
    }

    /** The open session whose far end has this certificate fingerprint, if any. */
    public Optional<Session> openSessionByFingerprint(byte[] fingerprint) {
        Session s = byIdentity.get(new Identity(EndpointDiscriminator.forPeer(fingerprint).encode()));
        return s != null && s.state() == SessionState.OPEN ? Optional.of(s) : Optional.empty();
    }

    // ---------------------------------------------------------------- driving

    /**
     * Feeds one received datagram in. Never throws: every problem is counted in {@link #stats()}.
     *
     * <p>Session traffic it calls for (acknowledgements, data an acknowledgement lets go) is not
     * sent from here: {@link #nextDeadline()} becomes due and {@link #onTimer} sends it. Call that
     * after handing in every datagram already at hand, so those read together are answered
     * together (spec §5.4).
     */
    public void receive(InetSocketAddress from, byte[] data, int off, int len, long nowMicros) {
        receive(from, data, off, len, ECN_NOT_ECT, nowMicros);
    }

    /**
     * Feeds one received datagram in, with the ECN field of its IP header when the runtime can
     * read it ({@code ECN_*}). Never throws: every problem is counted in {@link #stats()}.
     */
    public void receive(InetSocketAddress from, byte[] data, int off, int len, int ecn, long nowMicros) {
        advance(nowMicros);
        stats.count(EndpointStats.Counter.DATAGRAMS_RECEIVED);
        stats.add(EndpointStats.Counter.BYTES_RECEIVED, len);
        if (len < 20 || len > config.maxDatagramSize()) {
            drop(DropReason.BAD_SIZE);
            return;
        }
        try {
            int ssid = PacketProtection.unscrambleSsid(data, off, len);
            if (ssid == 0) {
                receiveStartup(from, data, off, len);
            } else {
                Session s = byNearId.get(ssid);
                if (s == null) {
                    drop(DropReason.UNKNOWN_SESSION);
                } else {
                    s.receive(from, data, off, len, ecn, now);
                }
            }
        } catch (WireFormatException e) {
            drop(DropReason.MALFORMED);
        } catch (RuntimeException e) {
            // A bug must not take the endpoint down with it: contain it to this datagram.
            drop(DropReason.INTERNAL_ERROR);
            listener.onInternalError(e);
        }
    }

    /** The latest time the endpoint was given, in microseconds. */
    public long now() {
        return now;
    }

    /**
     * Tells the endpoint the time without other input, e.g. before an application call such as a
     * flow write whose deadlines count from now. Time never goes back.
     */
    public void advanceClock(long nowMicros) {
        advance(nowMicros);
    }

    /** The next datagram to send, or null when there is none. */
    public Datagram pollTransmit() {
        return transmitQueue.pollFirst();
    }

    /** When {@link #onTimer} should be called next, in microseconds; {@link Long#MAX_VALUE} if never. */
    public long nextDeadline() {
        return timers.nextDeadline();
    }

    public void onTimer(long nowMicros) {
        advance(nowMicros);
        // Each due session runs once per call: one that asks for "now" again waits for the next
        // call, so a session can never keep the loop from reading its sockets.
        // The runtime calls this after every burst of reads, so the list is kept, not made each time.
        List<Session> due = this.due;
        due.clear();
        Session s;
        while ((s = timers.pollDue(now)) != null) {
            due.add(s);
        }
        for (Session d : due) {
            try {
                d.onTimer(now);
            } catch (RuntimeException e) {
                drop(DropReason.INTERNAL_ERROR);
                listener.onInternalError(e);
            }
            reschedule(d);
        }
        due.clear();
    }

    /**
     * Opens (or reuses) a session to the endpoint that {@code epd} selects, trying each candidate
     * address (RFC 7016 §3.2). The listener hears exactly once, on the loop thread.
     */
    public void connect(EndpointDiscriminator epd, Collection<InetSocketAddress> candidates, long nowMicros,
            ConnectListener connectListener) {
        advance(nowMicros);
        Session existing = existingSessionFor(epd);
        if (existing != null) {
            if (existing.state() == SessionState.OPEN) {
                connectListener.onOpen(existing);
            } else {
                existing.addWaiting(connectListener);
                for (InetSocketAddress a : candidates) {
                    existing.addCandidate(a, false, now);
                }
                reschedule(existing);
            }
            return;
        }
        byte[] tag = new byte[16];
        random.nextBytes(tag);
        Session s = Session.initiator(this, allocateSessionId(), epd, tag, now);
        byNearId.put(s.nearSessionId(), s);
        sessionCountsChanged();
        openingByTag.put(ByteBuffer.wrap(tag), s);
        opening.add(s);
        s.addWaiting(connectListener);
        for (InetSocketAddress a : candidates) {
            s.addCandidate(a, false, now);
        }
        reschedule(s);
    }

    /**
     * The session a new connection to {@code epd} should use (RFC 7016 §3.2): an open or keying
     * session whose far certificate {@code epd} selects, else an opening one for the same EPD.
     */
    private Session existingSessionFor(EndpointDiscriminator epd) {
        if (epd.fingerprint().isPresent()) {
            // A fingerprint overrides every other criterion (RFC 7425 §4.4.3): one lookup.
            Session s = byIdentity.get(new Identity(EndpointDiscriminator.forPeer(epd.fingerprint().get()).encode()));
            if (s != null) {
                return s;
            }
        } else {
            for (Session s : byIdentity.values()) {
                if (s.farCertificate().map(epd::selects).orElse(false)) {
                    return s;
                }
            }
        }
        for (Session s : opening) {
            if (s.state() == SessionState.IHELLO_SENT && s.epd().equals(epd)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Answers an IHello meant for someone else with a Responder Redirect (RFC 7016 §2.3.5); used by
     * introducers. The initiator's address is not validated yet, so the Redirect keeps only as many
     * destinations, in order, as fit in three times the size of the IHello's datagram: the server
     * cannot be used to amplify a flood towards a spoofed address.
     *
     * @return how many destinations were sent
     */
    public int sendRedirect(ForeignHello hello, List<Address> destinations, long nowMicros) {
        advance(nowMicros);
        int limit = AMPLIFICATION_FACTOR * hello.requestSize();
        int n = destinations.size();
        byte[] datagram = sealStartup(0, new Redirect(hello.tag(), destinations), now);
        while (datagram.length > limit && n > 0) {
            n--;
            datagram = sealStartup(0, new Redirect(hello.tag(), destinations.subList(0, n)), now);
        }
        if (datagram.length > limit) {
            drop(DropReason.AMPLIFICATION_LIMIT);
            return 0;
        }
        transmit(hello.source(), datagram);
        return n;
    }

    /**
     * Queues a datagram that is not RTMFP, to leave from the endpoint's own socket like its
     * packets do: a relay binding request must come from the very address (and so NAT mapping)
     * that the session it binds will use. Anything under 20 bytes is safe from being taken for a
     * packet, which is never that short (RFC 7016 §2.2.4).
     */
    public void sendDatagram(InetSocketAddress to, byte[] datagram) {
        transmit(Objects.requireNonNull(to, "to"), datagram.clone());
    }

    /** Closes every session abruptly (one Close Ack each) and fails every opening attempt. */
    public void shutdown(long nowMicros) {
        advance(nowMicros);
        for (Session s : new ArrayList<>(byNearId.values())) {
            s.abort(now, CloseReason.SHUTDOWN);
        }
    }

    // ---------------------------------------------------------------- startup packets

    private void receiveStartup(InetSocketAddress from, byte[] data, int off, int len) {
        ByteReader clear;
        try {
            clear = startup.openView(data, off, len);
        } catch (WireFormatException e) {
            drop(DropReason.BAD_PROTECTION);
            return;
        }
        Packet packet = decode(clear);
        if (packet == null) {
            return;
        }
        if (packet.mode() != PacketMode.STARTUP) {
            drop(DropReason.BAD_MODE);
            return;
        }
        // Only the first startup chunk of a packet is acted on (rtmfp-cpp does the same).
        for (Chunk chunk : packet.chunks()) {
            if (chunk instanceof IHello h) {
                if (admitHandshake(from)) {
                    onIHello(h, from, len);
                }
                return;
            } else if (chunk instanceof RHello r) {
                Session s = openingByTag.get(ByteBuffer.wrap(r.tagEcho()));
                if (s == null) {
                    drop(DropReason.UNMATCHED_STARTUP);
                } else {
                    s.onRHello(r, from, now);
                    reschedule(s);
                }
                return;
            } else if (chunk instanceof Redirect r) {
                Session s = openingByTag.get(ByteBuffer.wrap(r.tagEcho()));
                if (s == null) {
                    drop(DropReason.UNMATCHED_STARTUP);
                } else {
                    s.onRedirect(r, from, now);
                }
                return;
            } else if (chunk instanceof IIKeying k) {
                if (admitHandshake(from)) {
                    onIIKeying(k, from);
                }
                return;
            }
        }
    }

    /** The per-address handshake rate: the packets that cost us work are the ones limited. */
    private boolean admitHandshake(InetSocketAddress from) {
        if (handshakeLimiter.tryAcquire(from.getAddress(), now)) {
            return true;
        }
        drop(DropReason.RATE_LIMITED);
        return false;
    }

    /**
     * Whether a new session would exceed {@link EndpointConfig#maxSessions()}; counts the refusal.
     * Closing sessions do not count: a burst of sessions closed at once (clients that never
     * connected, say) would otherwise lock everyone out for the close period of each.
     */
    private boolean atSessionLimit() {
        if (byNearId.size() - closing.size() + pendingKeying.size() < config.maxSessions()) {
            return false;
        }
        drop(DropReason.SESSION_LIMIT);
        return true;
    }

    private void onIHello(IHello hello, InetSocketAddress from, int requestSize) {
        if (hello.tag().length < MIN_TAG_LENGTH) {
            drop(DropReason.SHORT_TAG);
            return;
        }
        EndpointDiscriminator epd;
        try {
            epd = EndpointDiscriminator.decode(hello.epd());
        } catch (WireFormatException e) {
            drop(DropReason.MALFORMED);
            return;
        }
        if (epd.selects(identity().certificate())) {
            if (!config.acceptSessions()) {
                drop(DropReason.UNMATCHED_HELLO);
            } else if (!atSessionLimit()) {
                // The RHello cannot always stay within the amplification factor: to librtmfp, whose
                // IHello can be 36 bytes, it takes a 64-byte cookie and our certificate. The
                // per-address handshake rate bounds what a spoofed flood can reflect (docs/server.md).
                sendRHello(from, hello.tag(), epd, now);
            }
            return;
        }
        if (foreignHelloHandler != null && foreignHelloHandler.onForeignHello(
                new ForeignHello(epd, hello.epd(), hello.tag(), from, requestSize), now)) {
            stats.count(EndpointStats.Counter.FOREIGN_HELLOS);
        } else {
            drop(DropReason.UNMATCHED_HELLO);
        }
    }

    /**
     * RHello with a cookie bound to {@code to} (RFC 7016 §3.5.1.2), as long as the initiator that
     * sent {@code epd} may need it; keeps no state.
     */
    void sendRHello(InetSocketAddress to, byte[] tag, EndpointDiscriminator epd, long t) {
        byte[] cookie = cookies.mint(to, t, CookieJar.lengthFor(epd));
        transmitStartup(to, 0, new RHello(tag, cookie, identity().certificate().encoded()), t);
    }

    private void onIIKeying(IIKeying k, InetSocketAddress from) {
        if (!config.acceptSessions()) {
            drop(DropReason.UNMATCHED_STARTUP);
            return;
        }
        int farSessionId = Session.sessionIdInt(k.initiatorSessionId());
        switch (cookies.check(k.cookieEcho(), from, now)) {
            case BAD -> {
                drop(DropReason.BAD_COOKIE);
                return;
            }
            case MISMATCH -> {
                // Our cookie, but the initiator's address changed since RHello (RFC 7016 §3.5.1.2.1).
                // The new cookie is as long as the one the initiator took from our RHello.
                byte[] renewed = cookies.mint(from, now, k.cookieEcho().length);
                transmitStartup(from, farSessionId, new CookieChange(k.cookieEcho(), renewed), now);
                stats.count(EndpointStats.Counter.COOKIE_CHANGES_SENT);
                return;
            }
            case OK -> {
            }
        }
        Certificate certificate;
        try {
            certificate = Certificate.decode(k.certificate());
        } catch (WireFormatException e) {
            drop(DropReason.BAD_CERTIFICATE);
            return;
        }
        ResponderKey key = new ResponderKey(from, farSessionId);
        Session existing = openByAddress.get(from);
        if (existing != null && existing.farSessionId() == farSessionId && existing.isRetransmissionOf(k.skic())) {
            // Our RIKeying was lost: resend it rather than key a second session (spec P24); or the
            // IIKeying is a late copy of one the initiator already had answered.
            if (existing.sendRIKeying()) {
                stats.count(EndpointStats.Counter.RIKEYING_RESENT);
            } else {
                drop(DropReason.STALE_IIKEYING);
            }
            return;
        }
        if (pendingKeying.contains(key) || atSessionLimit()) {
            return;
        }
        if (pendingKeying.size() >= config.maxPendingKeying()) {
            drop(DropReason.KEYING_BUSY);
            return;
        }
        pendingKeying.add(key);
        byte[] skic = k.skic();
        long received = now;
        submit(() -> FlashKeying.respond(identity(), certificate, skic, config.handshake(), responderKeys, received,
                        random),
                (keyed, error, t) -> {
                    pendingKeying.remove(key);
                    if (error != null) {
                        keyingFailed(error);
                    } else {
                        completeResponder(key, certificate, skic, keyed, received, t);
                    }
                });
    }

    private void completeResponder(ResponderKey key, Certificate certificate, byte[] skic, ResponderKeying keyed,
            long received, long t) {
        InetSocketAddress from = key.address();
        Session sameAddress = openByAddress.get(from);
        if (sameAddress != null) {
            // A new IIKeying may replace a stale session only with the very same certificate (RFC 7425 §4.3.7).
            if (!sameAddress.farCertificate().map(certificate::equals).orElse(false)) {
                drop(DropReason.REFUSED_IIKEYING);
                return;
            }
            if (sameAddress.keyingReceivedAt() > received) {
                // Keyings finish out of order when the workers are starved: this IIKeying came before
                // the one of the open session, so it is the initiator's abandoned attempt, not a newer one.
                drop(DropReason.STALE_IIKEYING);
                return;
            }
            sameAddress.abort(t, CloseReason.SUPERSEDED);
        }
        Session ours = openingTo(from);
        if (ours != null && Certificate.nearWinsGlare(identity().certificate(), certificate)
                && !ours.farEndInsists(t)) {
            // Glare (RFC 7016 §3.5.1.3): we win, so our own opening session goes on and this one is refused.
            drop(DropReason.REFUSED_IIKEYING);
            return;
        }
        Session s = Session.responder(this, allocateSessionId(), key.farSessionId(), from, certificate,
                keyed.security(), skic, keyed.skrc(), received, t);
        byNearId.put(s.nearSessionId(), s);
        sessionCountsChanged();
        Session sameIdentity = byIdentity.get(new Identity(s.farIdentity()));
        s.sendRIKeying();
        sessionOpened(s);
        if (sameIdentity != null && sameIdentity != s && sameIdentity.state().isOpening()) {
            // We gave way in glare: our opening session waits to learn which of the two the far end keeps.
            sameIdentity.yieldTo(s, t);
        }
        reschedule(s);
    }

    /** An initiator session of ours that is opening towards {@code address}, if any. */
    private Session openingTo(InetSocketAddress address) {
        for (Session s : opening) {
            if (s.hasCandidate(address)) {
                return s;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- services for sessions

    SecureRandom random() {
        return random;
    }

    EndpointListener listener() {
        return listener;
    }

    PacketProtection startupProtection() {
        return startup;
    }

    void drop(DropReason reason) {
        stats.drop(reason);
    }

    /**
     * Keying threw: malformed or unacceptable far parameters are the far end's problem and are
     * counted; anything else is a bug of ours and is reported, not hidden among the drops.
     */
    void keyingFailed(RuntimeException error) {
        if (error instanceof WireFormatException) {
            drop(DropReason.KEYING_FAILED);
        } else {
            drop(DropReason.INTERNAL_ERROR);
            listener.onInternalError(error);
        }
    }

    /** Decodes a decrypted packet, counting a malformed one; null if it was dropped. */
    Packet decode(ByteReader clear) {
        try {
            return Packet.decode(clear);
        } catch (WireFormatException e) {
            drop(DropReason.MALFORMED);
            return null;
        }
    }

    /** Packet timestamp: 4 ms ticks, 16 bits, arbitrary origin (RFC 7016 §2.2.4). */
    static int timestamp(long nowMicros) {
        return (int) ((nowMicros / Session.TIMESTAMP_TICK) & 0xffff);
    }

    byte[] seal(PacketProtection protection, int ssid, Packet packet) {
        // Encoded where the protection builds its cleartext block: no copy of the packet to seal it.
        scratch.clear();
        scratch.skip(PacketProtection.PREFIX_ROOM);
        packet.encode(scratch);
        int len = scratch.size() - PacketProtection.PREFIX_ROOM;
        scratch.reserve(PacketProtection.PADDING_ROOM);
        return protection.sealInPlace(ssid, scratch.array(), PacketProtection.PREFIX_ROOM, len);
    }

    byte[] sealStartup(int ssid, Chunk chunk, long t) {
        return seal(startup, ssid, new Packet(false, false, PacketMode.STARTUP, timestamp(t), Packet.NO_TIMESTAMP, List.of(chunk)));
    }

    void transmitStartup(InetSocketAddress to, int ssid, Chunk chunk, long t) {
        transmit(to, sealStartup(ssid, chunk, t));
    }

    void transmit(InetSocketAddress to, byte[] datagram) {
        transmit(to, datagram, false);
    }

    void transmit(InetSocketAddress to, byte[] datagram, boolean ecnCapable) {
        stats.count(EndpointStats.Counter.DATAGRAMS_SENT);
        stats.add(EndpointStats.Counter.BYTES_SENT, datagram.length);
        transmitQueue.addLast(new Datagram(to, datagram, ecnCapable && config.ecn()));
    }

    MobilityCheck mobilityCheck() {
        if (mobilityCheck == null) {
            mobilityCheck = new MobilityCheck(random);
        }
        return mobilityCheck;
    }

    /** A session moved to a validated new far address (RFC 7016 §3.5.4.2): keep the address indexes right. */
    void addressChanged(Session s, InetSocketAddress old) {
        if (old != null) {
            openByAddress.remove(old, s);
        }
        openByAddress.put(s.destination(), s);
    }

    void noteTimeCriticalReceived(Session from, long t) {
        if (from != tcLatestFrom) {
            tcOtherAt = tcLatestAt;
            tcLatestFrom = from;
        }
        tcLatestAt = t;
    }

    /** Whether {@code s} should set TCR: some other session brought time-critical data within 800 ms. */
    boolean timeCriticalReverse(Session s, long t) {
        long other = s == tcLatestFrom ? tcOtherAt : tcLatestAt;
        return t - other < SessionFlows.TIME_CRITICAL_TIMEOUT;
    }

    void noteTimeCriticalSent(long t) {
        tcSentAt = t;
    }

    boolean timeCriticalSentRecently(long t) {
        return t - tcSentAt < SessionFlows.TIME_CRITICAL_TIMEOUT;
    }

    void reschedule(Session s) {
        timers.schedule(s, s.nextWakeup());
    }

    Session sessionByIdentity(byte[] identity) {
        return byIdentity.get(new Identity(identity));
    }

    /** An initiator session moved from IHELLO_SENT to KEYING_SENT: it now stands for its far identity. */
    void registerIdentity(Session s) {
        openingByTag.remove(ByteBuffer.wrap(s.tag()));
        byIdentity.put(new Identity(s.farIdentity()), s);
    }

    void sessionOpened(Session s) {
        opening.remove(s);
        byIdentity.put(new Identity(s.farIdentity()), s);
        openByAddress.put(s.destination(), s);
        stats.count(EndpointStats.Counter.SESSIONS_OPENED);
        listener.onSessionOpen(s);
    }

    /** An open session ended for the application; it may still linger to finish the close exchange. */
    void sessionEnded(Session s, CloseReason reason) {
        unindex(s);
        stats.count(EndpointStats.Counter.SESSIONS_CLOSED);
        listener.onSessionClosed(s, reason);
    }

    /**
     * An ended session began its close exchange (RFC 7016 §3.5.5.1 near close, or the linger
     * after a far close). Past {@link EndpointConfig#maxClosingSessions()} the oldest closing
     * session is closed abruptly (§3.5.5.2: one Close Ack): the far end learns the session is
     * gone, at worst it stops hearing Close Acks a little early.
     */
    void sessionClosing(Session s) {
        closing.add(s);
        while (closing.size() > config.maxClosingSessions()) {
            Session oldest = closing.iterator().next();
            stats.count(EndpointStats.Counter.CLOSING_SESSIONS_EVICTED);
            oldest.abort(now, CloseReason.LOCAL_CLOSE);
        }
        sessionCountsChanged();
    }

    void openingFailed(Session s) {
        stats.count(EndpointStats.Counter.OPEN_FAILURES);
    }

    /** The session reached CLOSED: its ID is free again. */
    void forget(Session s) {
        unindex(s);
        opening.remove(s);
        byNearId.remove(s.nearSessionId());
        closing.remove(s);
        sessionCountsChanged();
        if (s.tag() != null) {
            openingByTag.remove(ByteBuffer.wrap(s.tag()));
        }
    }

    private void sessionCountsChanged() {
        stats.setSessions(byNearId.size() - closing.size(), closing.size());
    }

    private void unindex(Session s) {
        if (s.farIdentity() != null) {
            byIdentity.remove(new Identity(s.farIdentity()), s);
        }
        if (s.destination() != null) {
            openByAddress.remove(s.destination(), s);
        }
    }

    <T> void submit(Supplier<T> work, Completion<T> done) {
        if (offload == null) {
            T result;
            try {
                result = work.get();
            } catch (RuntimeException e) {
                done.complete(null, e, now);
                return;
            }
            done.complete(result, null, now);
            return;
        }
        offload.execute(() -> {
            T result = null;
            RuntimeException error = null;
            try {
                result = work.get();
            } catch (RuntimeException e) {
                error = e;
            }
            T r = result;
            RuntimeException err = error;
            offload.runOnLoop(t -> {
                advance(t);
                try {
                    done.complete(r, err, now);
                } catch (RuntimeException e) {
                    drop(DropReason.INTERNAL_ERROR);
                    listener.onInternalError(e);
                }
            });
        });
    }

    /** The continuation of offloaded work, run on the loop thread. */
    @FunctionalInterface
    interface Completion<T> {
        void complete(T result, RuntimeException error, long nowMicros);
    }

    private void advance(long nowMicros) {
        if (nowMicros > now) {
            now = nowMicros;
        }
    }

    private int allocateSessionId() {
        while (true) {
            int id = random.nextInt();
            if (id != 0 && !byNearId.containsKey(id)) {
                return id;
            }
        }
    }
}
