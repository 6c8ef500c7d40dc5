package io.rtmfp4j.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters and gauges of the rendezvous logic. Written by the loop thread, read by the admin
 * listener and the metrics registry from theirs.
 */
public final class ServerStats {
    final AtomicLong connectsAccepted = new AtomicLong();
    final AtomicLong connectsRejected = new AtomicLong();
    final AtomicLong connectTimeouts = new AtomicLong();
    final AtomicLong introductions = new AtomicLong();
    final AtomicLong introductionsUnknownPeer = new AtomicLong();
    final AtomicLong introductionsRemote = new AtomicLong();
    final AtomicLong introductionsForNodes = new AtomicLong();
    final AtomicLong groupJoins = new AtomicLong();
    final AtomicLong groupAnnouncements = new AtomicLong();
    final AtomicLong commands = new AtomicLong();
    final AtomicLong commandErrors = new AtomicLong();
    final AtomicLong malformedMessages = new AtomicLong();
    final AtomicLong flowsRefused = new AtomicLong();
    volatile int sessions;
    volatile int connectedClients;
    volatile int nicknames;
    volatile int groups;
    volatile int groupMemberships;

    public long connectsAccepted() {
        return connectsAccepted.get();
    }

    public long connectsRejected() {
        return connectsRejected.get();
    }

    /** Sessions closed because they did not connect in time. */
    public long connectTimeouts() {
        return connectTimeouts.get();
    }

    /** IHellos for a connected peer answered with a Redirect and a forwarded IHello. */
    public long introductions() {
        return introductions.get();
    }

    /** IHellos for a peer ID no connected client has: left unanswered. */
    public long introductionsUnknownPeer() {
        return introductionsUnknownPeer.get();
    }

    /** Of {@link #introductions()}, those of a target connected to another node of the cluster. */
    public long introductionsRemote() {
        return introductionsRemote.get();
    }

    /** IHellos this node forwarded to its clients for initiators of other nodes of the cluster. */
    public long introductionsForNodes() {
        return introductionsForNodes.get();
    }

    public long groupJoins() {
        return groupJoins.get();
    }

    /** Peer IDs sent on server channels. */
    public long groupAnnouncements() {
        return groupAnnouncements.get();
    }

    public long commands() {
        return commands.get();
    }

    /** Commands answered with an error: unknown, malformed, or not allowed yet. */
    public long commandErrors() {
        return commandErrors.get();
    }

    /** Messages on TC or server-channel flows that did not decode. */
    public long malformedMessages() {
        return malformedMessages.get();
    }

    /** Flows a client opened that the server does not take (unknown metadata, stream not allocated, ...). */
    public long flowsRefused() {
        return flowsRefused.get();
    }

    /** Open sessions, connected or not. */
    public int sessions() {
        return sessions;
    }

    /** Sessions whose connect succeeded. */
    public int connectedClients() {
        return connectedClients;
    }

    /** Connected clients that registered a nickname. */
    public int nicknames() {
        return nicknames;
    }

    public int groups() {
        return groups;
    }

    /** Group memberships summed over groups. */
    public int groupMemberships() {
        return groupMemberships;
    }
}
