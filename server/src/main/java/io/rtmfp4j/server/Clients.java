package io.rtmfp4j.server;

import io.rtmfp4j.core.session.Session;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The server's client sessions, and which of them is the connected one for each peer ID. Owned
 * by the server's loop thread.
 */
final class Clients {
    private final Map<Session, Client> bySession = new HashMap<>();
    private final Map<String, Client> byPeer = new HashMap<>();

    void opened(Client c) {
        bySession.put(c.session, c);
    }

    /** Forgets a session's client; returns it, or null if the session was not a client's. */
    Client closed(Session s) {
        return bySession.remove(s);
    }

    Client of(Session s) {
        return bySession.get(s);
    }

    /** Every client session, connected or not (a copy: callers close sessions while walking it). */
    Collection<Client> all() {
        return java.util.List.copyOf(bySession.values());
    }

    int sessions() {
        return bySession.size();
    }

    /** The connected client with this peer ID, or null. */
    Client connected(String peerId) {
        Client c = byPeer.get(peerId);
        return c != null && c.connected ? c : null;
    }

    /** Makes {@code c} the one to reach for its peer ID; returns the client it replaces, or null. */
    Client makeCurrent(Client c) {
        Client previous = byPeer.put(c.peerId, c);
        return previous == c ? null : previous;
    }

    /** Forgets {@code c} as its peer ID's current client; false if a newer session holds the peer ID. */
    boolean forget(Client c) {
        return byPeer.remove(c.peerId, c);
    }

    int connectedCount() {
        return byPeer.size();
    }
}
