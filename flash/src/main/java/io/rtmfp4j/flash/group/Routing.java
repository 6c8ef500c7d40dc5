package io.rtmfp4j.flash.group;

import io.rtmfp4j.flash.amf.AmfException;
import io.rtmfp4j.flash.group.overlay.Ring;
import io.rtmfp4j.flash.group.wire.RoutedMessage;
import io.rtmfp4j.flash.tc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Directed routing (netgroup spec §10) over this project's routing flow (§16). A message for an
 * address goes, hop by hop, to the member nearest to it: each node hands it to whichever of itself
 * and its neighbors is nearest (the shorter way round the ring, ties to the lower address); a node
 * only hands it on to a neighbor strictly nearer than itself, so it never loops. With the best
 * list's long links each hop at least halves the distance left ({@code overlay.BestList}). A
 * neighbor whose answer to our disconnect request is still on its way is no route: it may be
 * ending the relation as the message leaves ({@link Neighbor#askedToGo}). A node never asks its
 * ring neighbors to go, so the nearest member stays reachable.
 *
 * <p>The node nearest takes the message as its own according to its receive mode: in
 * {@code NEAREST} mode always, in {@code EXACT} mode only when the address is its own, else the
 * message is dropped. It raises {@code NetGroup.SendTo.Notify} with {@code from} the previous hop's
 * group address and {@code fromLocal} false, or true when the sender itself was nearest. An
 * application that routes recursively as Flash's documentation says (sending again on
 * {@code fromLocal} false) still works: its second send finds itself nearest. Loop thread only.
 */
final class Routing {
    /** No route is longer than log2 N + a few hops; this stops anything that somehow is. */
    static final int HOP_LIMIT = 64;

    private final GroupEngine group;

    Routing(GroupEngine group) {
        this.group = group;
    }

    /** {@code sendToNearest}: routes {@code body} toward the member nearest {@code destination}. */
    void sendToNearest(byte[] body, GroupAddress destination) {
        route(null, new RoutedMessage(destination, 0, 0, body));
    }

    /** {@code sendToNeighbor}: to the neighbor next above or below this member on the ring. */
    void sendToNeighbor(byte[] body, NetGroupSendMode mode) {
        List<GroupAddress> addresses = new ArrayList<>();
        for (Neighbor n : group.serviceNeighbors()) {
            addresses.add(n.address);
        }
        NavigableSet<GroupAddress> ring = new TreeSet<>(addresses);
        (mode == NetGroupSendMode.NEXT_INCREASING ? Ring.successor(ring, group.self())
                : Ring.predecessor(ring, group.self())).ifPresent(a -> sendTo(a, neighborOnly(body)));
    }

    /** {@code sendToAllNeighbors}: to every neighbor, not to be forwarded. */
    void sendToAllNeighbors(byte[] body) {
        RoutedMessage m = neighborOnly(body);
        for (Neighbor n : group.serviceNeighbors()) {
            send(n, m);
        }
    }

    private RoutedMessage neighborOnly(byte[] body) {
        return new RoutedMessage(group.self(), 0, RoutedMessage.NEIGHBOR_ONLY, body);
    }

    void onMessage(Neighbor from, RoutedMessage m, int size) {
        group.count(Traffic.Category.ROUTING_RECEIVE, size);
        if (m.neighborOnly()) {
            deliver(m, from);
        } else {
            route(from, m);
        }
    }

    /** Delivers here if this node is nearest, else hands the message on to the nearest neighbor. */
    private void route(Neighbor from, RoutedMessage m) {
        List<GroupAddress> candidates = new ArrayList<>();
        candidates.add(group.self());
        for (Neighbor n : group.serviceNeighbors()) {
            if (!n.askedToGo()) {
                candidates.add(n.address);
            }
        }
        GroupAddress nearest = Ring.nearest(candidates, m.destination()).orElseThrow();
        if (nearest.equals(group.self())) {
            if (from == null || group.receiveMode() == ReceiveMode.NEAREST || m.destination().equals(group.self())) {
                deliver(m, from);
            } else {
                group.drop(Traffic.Drop.UNDELIVERABLE);
            }
        } else if (m.hops() >= HOP_LIMIT) {
            group.drop(Traffic.Drop.UNDELIVERABLE);
        } else {
            sendTo(nearest, m.forwarded());
        }
    }

    private void sendTo(GroupAddress address, RoutedMessage m) {
        for (Neighbor n : group.serviceNeighbors()) {
            if (n.address.equals(address)) {
                send(n, m);
                return;
            }
        }
    }

    private void send(Neighbor n, RoutedMessage m) {
        byte[] bytes = m.encode();
        if (n.writeRouted(bytes)) {
            group.count(Traffic.Category.ROUTING_SEND, bytes.length);
        }
    }

    /**
     * {@code NetGroup.SendTo.Notify}: Flash's {@code message}, {@code from} and {@code fromLocal}, and
     * this project's {@code destination} (the address routed to) and {@code hops}.
     */
    private void deliver(RoutedMessage m, Neighbor from) {
        Object message;
        try {
            message = MessageBody.decode(m.body());
        } catch (AmfException e) {
            group.drop(Traffic.Drop.MALFORMED);
            return;
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("message", message);
        info.put("from", (from == null ? group.self() : from.address).hex());
        info.put("fromLocal", from == null);
        info.put("destination", m.destination().hex());
        info.put("hops", (double) m.hops());
        group.emit(Status.GROUP_SEND_TO_NOTIFY, info);
    }
}
