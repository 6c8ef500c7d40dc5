package io.rtmfp4j.server.cluster;

import io.rtmfp4j.core.wire.Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Messages between the nodes of a cluster, for what only the node a peer is connected to can do:
 * forward an IHello through its session with the peer (its NAT mapping is open towards that node
 * only), and announce group members on its server channels. The messages are {@link ClusterMessage}s.
 */
public interface NodeLink {
    /** This node's name in the cluster, as {@link io.rtmfp4j.server.directory.PeerRecord#node()} holds it. */
    String self();

    /**
     * Asks {@code node} to forward an IHello to its client {@code peerId}.
     *
     * @return completed, on any thread, with the client's addresses as that node knows them (the
     *         observed one first), empty if it has no such client; failed if the node did not answer in time
     */
    CompletionStage<List<Address>> forwardHello(String node, String peerId, byte[] rawEpd, byte[] tag,
            InetSocketAddress initiator);

    /** Asks {@code node} to announce {@code peerIds} to its client {@code member} on the group's server channel. */
    void announce(String node, String groupId, String member, List<String> peerIds);

    /** Sets what this node does with the others' requests; it is called on the server's loop thread. */
    void setHandler(Handler handler);

    /** This node's side of the messages, on the server's loop thread. */
    interface Handler {
        /** Forwards the IHello if {@code peerId} is connected here; returns its addresses, or an empty list. */
        List<Address> onForwardHello(String peerId, byte[] rawEpd, byte[] tag, InetSocketAddress initiator);

        void onAnnounce(String groupId, String member, List<String> peerIds);
    }
}
