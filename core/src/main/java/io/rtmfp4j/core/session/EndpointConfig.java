package io.rtmfp4j.core.session;

import io.rtmfp4j.core.crypto.DhKeyReuse;
import io.rtmfp4j.core.crypto.HandshakeSettings;
import io.rtmfp4j.core.crypto.PeerIdentity;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one endpoint. Build with {@link #builder(PeerIdentity)}; defaults follow the
 * reference implementation's constants (spec Appendix A) unless noted.
 *
 * @param identity              our certificate and the keys behind it
 * @param handshake             HMAC and session-sequence-number policy offered in keying
 * @param acceptSessions        answer IHellos that select us (a responder); a pure client may say no
 * @param forwardedHelloPolicy  what to do with FIHellos from a server we are connected to
 * @param openTimeout           give up opening a session after this long (RFC 7016: 95 s)
 * @param keepalive             send a keepalive Ping after this long without sending
 * @param retransmitLimit       close a session that has gone this long without an acknowledgement
 * @param cookieLifetime        how long an RHello cookie stays valid
 * @param closePeriod           how long an orderly close keeps repeating its Close
 * @param maxPendingKeying      keying computations allowed in flight before IIKeyings are dropped
 * @param maxDatagramSize       larger datagrams are dropped unread
 * @param idleLimit             close a session with no flows in either direction for this long
 * @param sendBufferCapacity    bytes a sending flow buffers before it stops reporting itself writable
 * @param receiveBufferCapacity a receiving flow's buffer, the basis of its advertised window
 * @param maxMessageSize        largest message a receiving flow reassembles; larger ones are discarded
 * @param maxReceiveFlows       receiving flows one session may hold; more are dropped unread
 * @param ecn                   mark data packets ECN-capable and report congestion marks (spec §7.1);
 *                              only useful when the runtime can read and write the IP ECN field
 * @param maxSessions           live sessions (opening and open) beyond which new ones are refused
 * @param maxClosingSessions    sessions still finishing their close exchange (RFC 7016 §3.5.5) that are
 *                              kept; beyond it the oldest is closed abruptly. Defaults to {@code maxSessions}
 * @param handshakeRate         startup packets (IHello, IIKeying) answered per second from one IP address
 * @param handshakeBurst        how many of them one IP address may send at once before the rate applies
 * @param dhKeyReuse            how many sessions, for how long, an ephemeral identity keys with one DH key
 *                              pair as responder; a fresh one per session by default (see {@link DhKeyReuse})
 */
public record EndpointConfig(
        PeerIdentity identity,
        HandshakeSettings handshake,
        boolean acceptSessions,
        ForwardedHelloPolicy forwardedHelloPolicy,
        Duration openTimeout,
        Duration keepalive,
        Duration retransmitLimit,
        Duration cookieLifetime,
        Duration closePeriod,
        int maxPendingKeying,
        int maxDatagramSize,
        Duration idleLimit,
        long sendBufferCapacity,
        long receiveBufferCapacity,
        long maxMessageSize,
        int maxReceiveFlows,
        boolean ecn,
        int maxSessions,
        int maxClosingSessions,
        int handshakeRate,
        int handshakeBurst,
        DhKeyReuse dhKeyReuse) {

    public EndpointConfig {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(handshake, "handshake");
        Objects.requireNonNull(forwardedHelloPolicy, "forwardedHelloPolicy");
        Objects.requireNonNull(dhKeyReuse, "dhKeyReuse");
        requirePositive(openTimeout, "openTimeout");
        requirePositive(keepalive, "keepalive");
        requirePositive(retransmitLimit, "retransmitLimit");
        requirePositive(cookieLifetime, "cookieLifetime");
        requirePositive(closePeriod, "closePeriod");
        if (maxPendingKeying < 1) {
            throw new IllegalArgumentException("maxPendingKeying must be at least 1");
        }
        if (maxDatagramSize < 64) {
            throw new IllegalArgumentException("maxDatagramSize must be at least 64");
        }
        requirePositive(idleLimit, "idleLimit");
        if (sendBufferCapacity < 1 || receiveBufferCapacity < 0 || maxMessageSize < 1) {
            throw new IllegalArgumentException("buffer capacities and the message size limit must be positive");
        }
        if (maxMessageSize > Integer.MAX_VALUE - 8) {
            // A message is reassembled into one array.
            throw new IllegalArgumentException("maxMessageSize must fit in a Java array");
        }
        if (maxReceiveFlows < 1) {
            throw new IllegalArgumentException("maxReceiveFlows must be at least 1");
        }
        if (maxSessions < 1 || handshakeRate < 1 || handshakeBurst < 1) {
            throw new IllegalArgumentException("maxSessions, handshakeRate and handshakeBurst must be at least 1");
        }
        if (maxClosingSessions < 0) {
            throw new IllegalArgumentException("maxClosingSessions must not be negative");
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    public static Builder builder(PeerIdentity identity) {
        return new Builder(identity);
    }

    public Builder toBuilder() {
        return new Builder(identity).handshake(handshake).acceptSessions(acceptSessions)
                .forwardedHelloPolicy(forwardedHelloPolicy).openTimeout(openTimeout).keepalive(keepalive)
                .retransmitLimit(retransmitLimit).cookieLifetime(cookieLifetime).closePeriod(closePeriod)
                .maxPendingKeying(maxPendingKeying).maxDatagramSize(maxDatagramSize).idleLimit(idleLimit)
                .sendBufferCapacity(sendBufferCapacity).receiveBufferCapacity(receiveBufferCapacity)
                .maxMessageSize(maxMessageSize).maxReceiveFlows(maxReceiveFlows).ecn(ecn).maxSessions(maxSessions)
                .maxClosingSessions(maxClosingSessions).handshakeRate(handshakeRate).handshakeBurst(handshakeBurst).dhKeyReuse(dhKeyReuse);
    }

    /** Mutable builder of {@link EndpointConfig}. */
    public static final class Builder {
        private final PeerIdentity identity;
        private HandshakeSettings handshake = HandshakeSettings.flashCompatible();
        private boolean acceptSessions = true;
        private ForwardedHelloPolicy forwardedHelloPolicy = ForwardedHelloPolicy.SEND_RHELLO;
        private Duration openTimeout = Duration.ofSeconds(95);
        private Duration keepalive = Duration.ofSeconds(15);
        private Duration retransmitLimit = Duration.ofSeconds(120);
        private Duration cookieLifetime = Duration.ofSeconds(95);
        private Duration closePeriod = Duration.ofSeconds(90);
        private int maxPendingKeying = 64;
        private int maxDatagramSize = 8192;
        private Duration idleLimit = Duration.ofSeconds(300);
        private long sendBufferCapacity = 65_536;
        private long receiveBufferCapacity = 65_536;
        private long maxMessageSize = 16L << 20;
        private int maxReceiveFlows = 1024;
        private boolean ecn;
        private int maxSessions = 100_000;
        /** Negative: as many as {@link #maxSessions}. */
        private int maxClosingSessions = -1;
        // Generous enough for many clients behind one carrier-grade NAT, each retrying its startup
        // packets and asking for introductions; small enough that one host cannot monopolise keying.
        private int handshakeRate = 200;
        private int handshakeBurst = 400;
        private DhKeyReuse dhKeyReuse = DhKeyReuse.none();

        private Builder(PeerIdentity identity) {
            this.identity = identity;
        }

        public Builder handshake(HandshakeSettings v) {
            handshake = v;
            return this;
        }

        public Builder acceptSessions(boolean v) {
            acceptSessions = v;
            return this;
        }

        public Builder forwardedHelloPolicy(ForwardedHelloPolicy v) {
            forwardedHelloPolicy = v;
            return this;
        }

        public Builder openTimeout(Duration v) {
            openTimeout = v;
            return this;
        }

        public Builder keepalive(Duration v) {
            keepalive = v;
            return this;
        }

        public Builder retransmitLimit(Duration v) {
            retransmitLimit = v;
            return this;
        }

        public Builder cookieLifetime(Duration v) {
            cookieLifetime = v;
            return this;
        }

        public Builder closePeriod(Duration v) {
            closePeriod = v;
            return this;
        }

        public Builder maxPendingKeying(int v) {
            maxPendingKeying = v;
            return this;
        }

        public Builder maxDatagramSize(int v) {
            maxDatagramSize = v;
            return this;
        }

        public Builder idleLimit(Duration v) {
            idleLimit = v;
            return this;
        }

        public Builder sendBufferCapacity(long v) {
            sendBufferCapacity = v;
            return this;
        }

        public Builder receiveBufferCapacity(long v) {
            receiveBufferCapacity = v;
            return this;
        }

        public Builder maxMessageSize(long v) {
            maxMessageSize = v;
            return this;
        }

        public Builder maxReceiveFlows(int v) {
            maxReceiveFlows = v;
            return this;
        }

        public Builder ecn(boolean v) {
            ecn = v;
            return this;
        }

        public Builder maxSessions(int v) {
            maxSessions = v;
            return this;
        }

        /**
         * Closing sessions kept beyond the live ones; 0 closes every session abruptly (one Close
         * Ack) instead of finishing the close exchange. Defaults to {@link #maxSessions(int)}.
         */
        public Builder maxClosingSessions(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("maxClosingSessions must not be negative");
            }
            maxClosingSessions = v;
            return this;
        }

        public Builder handshakeRate(int v) {
            handshakeRate = v;
            return this;
        }

        public Builder handshakeBurst(int v) {
            handshakeBurst = v;
            return this;
        }

        public Builder dhKeyReuse(DhKeyReuse v) {
            dhKeyReuse = v;
            return this;
        }

        public EndpointConfig build() {
            return new EndpointConfig(identity, handshake, acceptSessions, forwardedHelloPolicy, openTimeout,
                    keepalive, retransmitLimit, cookieLifetime, closePeriod, maxPendingKeying, maxDatagramSize,
                    idleLimit, sendBufferCapacity, receiveBufferCapacity, maxMessageSize, maxReceiveFlows, ecn,
                    maxSessions, maxClosingSessions < 0 ? maxSessions : maxClosingSessions, handshakeRate,
                    handshakeBurst, dhKeyReuse);
        }
    }
}
