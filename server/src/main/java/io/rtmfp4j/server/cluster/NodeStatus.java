package io.rtmfp4j.server.cluster;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.util.List;
import java.util.Objects;

/**
 * What a node tells the others about itself, once a second: where clients reach it, and how busy it
 * is (for load balancing and the dashboard).
 *
 * @param node            its name in the cluster
 * @param peerId          the server's peer ID
 * @param addresses       UDP addresses clients reach it at, {@code host:port}
 * @param admin           its admin listener's URL, or "" when it has none
 * @param sessions        its live sessions, the load that redirects balance
 * @param clients         its connected clients
 * @param startedAtMillis when it started (wall clock)
 * @param updatedAtMillis when it said this (wall clock)
 */
public record NodeStatus(String node, String peerId, List<String> addresses, String admin, int sessions, int clients,
        long startedAtMillis, long updatedAtMillis) {
    public NodeStatus {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(peerId, "peerId");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(admin, "admin");
    }

    static final class Serializer implements CompactSerializer<NodeStatus> {
        @Override
        public NodeStatus read(CompactReader in) {
            return new NodeStatus(in.readString("node"), in.readString("peerId"),
                    List.of(in.readArrayOfString("addresses")), in.readString("admin"), in.readInt32("sessions"),
                    in.readInt32("clients"), in.readInt64("startedAtMillis"), in.readInt64("updatedAtMillis"));
        }

        @Override
        public void write(CompactWriter out, NodeStatus s) {
            out.writeString("node", s.node);
            out.writeString("peerId", s.peerId);
            out.writeArrayOfString("addresses", s.addresses.toArray(String[]::new));
            out.writeString("admin", s.admin);
            out.writeInt32("sessions", s.sessions);
            out.writeInt32("clients", s.clients);
            out.writeInt64("startedAtMillis", s.startedAtMillis);
            out.writeInt64("updatedAtMillis", s.updatedAtMillis);
        }

        @Override
        public String getTypeName() {
            return "rtmfp.NodeStatus";
        }

        @Override
        public Class<NodeStatus> getCompactClass() {
            return NodeStatus.class;
        }
    }
}
