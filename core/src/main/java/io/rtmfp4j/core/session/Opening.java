package io.rtmfp4j.core.session;

import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.InitiatorKeying;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What an initiator session holds only while it opens (RFC 7016 §3.5.1.1): the EPD and tag of
 * its IHellos, the candidate addresses, the connections waiting for it, the cookie and keying of
 * its IIKeying, early packets, and the glare state (§3.5.1.3). The session lets it go when it
 * opens: a server holds many open sessions, and none of them needs this. Touched only by its
 * {@link Session}, on the loop thread.
 */
final class Opening {
    final EndpointDiscriminator epd;
    final byte[] tag;
    final long deadline;
    final List<Candidate> candidates = new ArrayList<>();
    int redirectCandidates;
    final List<ConnectListener> waiting = new ArrayList<>();
    byte[] cookie;
    boolean cookieChanged;
    InitiatorKeying keying;
    boolean finishingKeying;
    long keyingRetransmitAt = Long.MAX_VALUE;
    long keyingInterval;
    ArrayDeque<byte[]> earlyPackets;
    long lastIIKeyingAt = Long.MIN_VALUE;
    /** When we first refused the far end's IIKeying because we win glare; -1 before. */
    long glareRefusedAt = -1;
    /** The far end's session we answered in glare, while this one waits to learn which the far end keeps. */
    Session yieldedTo;
    long settleAt = Long.MAX_VALUE;

    Opening(EndpointDiscriminator epd, byte[] tag, long deadline) {
        this.epd = epd;
        this.tag = tag;
        this.deadline = deadline;
    }

    /** A candidate address, with its own IHello retransmission schedule. */
    static final class Candidate {
        final InetSocketAddress address;
        long nextSendAt;
        long interval = Session.STARTUP_FIRST_RETRANSMIT;

        Candidate(InetSocketAddress address, long now) {
            this.address = address;
            this.nextSendAt = now;
        }
    }
}
