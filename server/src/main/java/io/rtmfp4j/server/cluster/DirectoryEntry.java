package io.rtmfp4j.server.cluster;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.rtmfp4j.flash.net.PeerAddresses;
import io.rtmfp4j.server.directory.Nickname;
import io.rtmfp4j.server.directory.PeerRecord;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PeerRecord} as the cluster stores it, keyed by peer ID: addresses as text (IP literals,
 * never resolved), and the node as a field that queries can match, so that a node's records can be
 * removed when it dies. About 150 bytes serialized for a peer with two reported addresses.
 */
record DirectoryEntry(String app, String nickname, String observed, String[] reported, String node)
        implements java.io.Serializable {
    static final String NODE = "node";

    static DirectoryEntry of(PeerRecord r) {
        String[] reported = r.reported().stream().map(PeerAddresses::format).toArray(String[]::new);
        return new DirectoryEntry(r.app(), r.nickname() == null ? null : r.nickname().display(),
                PeerAddresses.format(r.observed()), reported, r.node());
    }

    /** The nickname's {@link Nickname#key()}, or null. */
    String nicknameKey() {
        return nickname == null ? null : new Nickname(nickname).key();
    }

    PeerRecord toRecord(String peerId) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String a : reported) {
            PeerAddresses.parse(a).ifPresent(addresses::add);
        }
        return new PeerRecord(peerId, app, nickname == null ? null : new Nickname(nickname),
                PeerAddresses.parse(observed).orElseThrow(), addresses, node);
    }

    static final class Serializer implements CompactSerializer<DirectoryEntry> {
        @Override
        public DirectoryEntry read(CompactReader in) {
            return new DirectoryEntry(in.readString("app"), in.readString("nickname"), in.readString("observed"),
                    in.readArrayOfString("reported"), in.readString(NODE));
        }

        @Override
        public void write(CompactWriter out, DirectoryEntry e) {
            out.writeString("app", e.app);
            out.writeString("nickname", e.nickname);
            out.writeString("observed", e.observed);
            out.writeArrayOfString("reported", e.reported);
            out.writeString(NODE, e.node);
        }

        @Override
        public String getTypeName() {
            return "rtmfp.DirectoryEntry";
        }

        @Override
        public Class<DirectoryEntry> getCompactClass() {
            return DirectoryEntry.class;
        }
    }
}
