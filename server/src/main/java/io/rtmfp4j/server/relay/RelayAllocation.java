package io.rtmfp4j.server.relay;

import java.net.InetSocketAddress;

/**
 * One relay: a pair of peers, each with a port of its own on the server and a token that binds
 * that port to the address the peer sends from. What arrives on one port from the address bound
 * to it leaves from the other port towards the address bound there, and nothing else is
 * forwarded. Loop thread only.
 */
public final class RelayAllocation {
    /** One peer's end of the relay. */
    public static final class End {
        private final String peerId;
        private final int port;
        private final byte[] token;
        private InetSocketAddress bound;
        private End other;
        private RelayAllocation owner;

        End(String peerId, int port, byte[] token) {
            this.peerId = peerId;
            this.port = port;
            this.token = token;
        }

        public String peerId() {
            return peerId;
        }

        /** The server's port this peer sends to and hears the other peer from. */
        public int port() {
            return port;
        }

        /** The secret this peer binds its port with (sent to it on its encrypted control flow only). */
        public byte[] token() {
            return token.clone();
        }

        byte[] tokenRef() {
            return token;
        }

        /** The address this peer's port is bound to, or null until it binds. */
        public InetSocketAddress bound() {
            return bound;
        }

        void bind(InetSocketAddress address) {
            bound = address;
        }

        /** The other peer's end. */
        public End other() {
            return other;
        }

        RelayAllocation allocation() {
            return owner;
        }
    }

    private final End first;
    private final End second;
    private final long createdAt;
    long lastForwardAt;
    boolean ready;
    /** The peer that left, while the relay still carries its last datagrams; null while both are connected. */
    String leftBy;
    /** Ticks since {@link #leftBy} left. */
    int ticksSinceLeft;

    RelayAllocation(End first, End second, long createdAt) {
        this.first = first;
        this.second = second;
        first.other = second;
        second.other = first;
        first.owner = this;
        second.owner = this;
        this.createdAt = createdAt;
        this.lastForwardAt = createdAt;
    }

    /** The end of the peer that asked for the relay. */
    public End requester() {
        return first;
    }

    /** The end of the peer it asked to reach. */
    public End target() {
        return second;
    }

    /** The end of {@code peerId}, or null if it is not in this relay. */
    public End endOf(String peerId) {
        return first.peerId.equals(peerId) ? first : second.peerId.equals(peerId) ? second : null;
    }

    /** Whether both ends have bound, so datagrams flow. */
    public boolean isReady() {
        return ready;
    }

    long createdAt() {
        return createdAt;
    }
}
