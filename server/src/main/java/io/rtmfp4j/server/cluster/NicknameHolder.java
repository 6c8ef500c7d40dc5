package io.rtmfp4j.server.cluster;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

/** Who holds a nickname in the cluster, keyed by the nickname's key; the node as a field queries can match. */
record NicknameHolder(String peerId, String node) {
    static final class Serializer implements CompactSerializer<NicknameHolder> {
        @Override
        public NicknameHolder read(CompactReader in) {
            return new NicknameHolder(in.readString("peerId"), in.readString(DirectoryEntry.NODE));
        }

        @Override
        public void write(CompactWriter out, NicknameHolder h) {
            out.writeString("peerId", h.peerId);
            out.writeString(DirectoryEntry.NODE, h.node);
        }

        @Override
        public String getTypeName() {
            return "rtmfp.NicknameHolder";
        }

        @Override
        public Class<NicknameHolder> getCompactClass() {
            return NicknameHolder.class;
        }
    }
}
