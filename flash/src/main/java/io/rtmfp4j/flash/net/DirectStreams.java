package io.rtmfp4j.flash.net;

import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.flash.tc.TcMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The direct-connection streams of one connection (spec §6.8): publishers by name, players by the
 * flow on which they sent {@code play}. Peers' TC flows are routed here: a publisher's answer to
 * one of our {@code play} flows goes to that player; a new flow from a peer is a subscriber asking
 * one of our publishers. Loop thread only.
 */
final class DirectStreams {
    private final NetConnection nc;
    private final Map<String, NetStream> published = new HashMap<>();
    private final Map<SendFlow, NetStream> playing = new HashMap<>();
    private final List<NetStream> streams = new ArrayList<>();

    DirectStreams(NetConnection nc) {
        this.nc = nc;
    }

    void register(NetStream stream) {
        if (!streams.contains(stream)) {
            streams.add(stream);
        }
    }

    void unregister(NetStream stream) {
        streams.remove(stream);
        published.values().remove(stream);
        playing.values().remove(stream);
    }

    /** Claims a name for a publisher; false if another stream of this connection publishes it. */
    boolean publish(String name, NetStream stream) {
        return published.putIfAbsent(name, stream) == null || published.get(name) == stream;
    }

    void unpublish(String name, NetStream stream) {
        published.remove(name, stream);
    }

    void playing(SendFlow playFlow, NetStream stream) {
        playing.put(playFlow, stream);
    }

    /** A TC flow from a peer's session. */
    void onPeerFlow(ReceiveFlow flow) {
        Optional<TcMetadata> tc = TcMetadata.parse(flow.metadata());
        NetStream player = flow.association() == null ? null : playing.get(flow.association());
        if (player != null) {
            player.acceptPublisherFlow(flow);
        } else if (flow.association() == null && tc.isPresent() && tc.get().streamId() != 0) {
            flow.accept(new PlayRequest(this, flow));
        } else {
            flow.reject(0);
        }
    }

    /** Routes a subscriber's {@code play} to the publisher of that name, or says there is none. */
    void playRequested(ReceiveFlow flow, String name, PlayRequest request) {
        NetStream publisher = published.get(name);
        if (publisher == null) {
            request.notFound(name);
        } else {
            publisher.subscriberArrived(flow, name, request);
        }
    }

    void peerSessionClosed(Session session) {
        for (NetStream s : List.copyOf(streams)) {
            s.peerSessionClosed(session);
        }
    }

    /** The connection closed: every stream closes with it, as in Flash. */
    void connectionClosed() {
        for (NetStream s : List.copyOf(streams)) {
            s.connectionClosed();
        }
        streams.clear();
        published.clear();
        playing.clear();
    }

    NetConnection connection() {
        return nc;
    }
}
