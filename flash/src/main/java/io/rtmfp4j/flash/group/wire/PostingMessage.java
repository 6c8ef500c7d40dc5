package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The messages of this project's posting flow ({@link GroupFlow#PRIVATE_POSTING}, netgroup spec
 * §16), opened only toward neighbors known to run this project. Flash's own posting wire is not
 * public (spec §9), so this is the project's design, gossip in the manner of epidemic broadcast:
 *
 * <pre>
 * 01 &lt;32-byte message ID&gt; VLU(hops) VLU(n) &lt;n-byte proof&gt; &lt;AMF3 body&gt;   a posting
 * 02 VLU(n) n × &lt;32-byte message ID&gt;                               "I have these" (lazy push)
 * 03 VLU(n) n × &lt;32-byte message ID&gt;                               "send me these"
 * </pre>
 *
 * The message ID is the SHA-256 of the body, which is the AMF3 encoding of the posted value, so a
 * receiver checks that a body is the one its ID names. The proof is empty unless the group has a
 * posting password (see {@code docs/groups.md}).
 */
public sealed interface PostingMessage {
    int POST = 0x01;
    int HAVE = 0x02;
    int WANT = 0x03;
    /** Bytes of a message ID: a SHA-256. */
    int ID_LENGTH = 32;
    /** Message IDs in one HAVE or WANT: enough for a burst, small enough for one packet or two. */
    int MAX_IDS = 64;
    /** A posting's proof is an HMAC-SHA256 or nothing. */
    int MAX_PROOF = 32;

    byte[] encode();

    /** A posting, as flooded. */
    record Post(byte[] id, int hops, byte[] proof, byte[] body) implements PostingMessage {
        public Post {
            if (id.length != ID_LENGTH) {
                throw new IllegalArgumentException("a message ID is 32 bytes");
            }
            if (hops < 0 || proof.length > MAX_PROOF) {
                throw new IllegalArgumentException("hops must be non-negative and the proof at most 32 bytes");
            }
        }

        @Override
        public byte[] encode() {
            return new ByteWriter(ID_LENGTH + 8 + proof.length + body.length).u8(POST).bytes(id).vlu(hops)
                    .vlu(proof.length).bytes(proof).bytes(body).toByteArray();
        }

        /** The same posting one hop further on. */
        public Post forwarded() {
            return new Post(id, hops + 1, proof, body);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Post p && Arrays.equals(id, p.id) && hops == p.hops && Arrays.equals(proof, p.proof)
                    && Arrays.equals(body, p.body);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(id) * 31 + hops;
        }

        @Override
        public String toString() {
            return "Post[" + Hex.encode(id).substring(0, 16) + ", hops " + hops + ", "
                    + body.length + " bytes]";
        }
    }

    /** Message IDs the sender holds and the receiver may lack. */
    record Have(List<byte[]> ids) implements PostingMessage {
        public Have {
            ids = checkIds(ids);
        }

        @Override
        public byte[] encode() {
            return writeIds(HAVE, ids);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Have h && sameIds(ids, h.ids);
        }

        @Override
        public int hashCode() {
            return ids.size();
        }
    }

    /** Message IDs the sender asks for. */
    record Want(List<byte[]> ids) implements PostingMessage {
        public Want {
            ids = checkIds(ids);
        }

        @Override
        public byte[] encode() {
            return writeIds(WANT, ids);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Want w && sameIds(ids, w.ids);
        }

        @Override
        public int hashCode() {
            return ids.size();
        }
    }

    /**
     * Reads a message of the posting flow.
     *
     * @throws WireFormatException if it is empty, of an unknown type or malformed
     */
    static PostingMessage decode(byte[] message) {
        ByteReader r = new ByteReader(message);
        int type = r.u8();
        switch (type) {
            case POST -> {
                byte[] id = r.bytes(ID_LENGTH);
                long hops = r.vlu();
                int proofLength = r.vluInt();
                if (hops > Integer.MAX_VALUE || proofLength > MAX_PROOF) {
                    throw new WireFormatException("posting: hop count or proof out of range");
                }
                byte[] proof = r.bytes(proofLength);
                return new Post(id, (int) hops, proof, r.rest());
            }
            case HAVE -> {
                return new Have(readIds(r));
            }
            case WANT -> {
                return new Want(readIds(r));
            }
            default -> throw new WireFormatException("unknown posting message type " + String.format("%02x", type));
        }
    }

    private static List<byte[]> checkIds(List<byte[]> ids) {
        if (ids.isEmpty() || ids.size() > MAX_IDS) {
            throw new IllegalArgumentException("1 to " + MAX_IDS + " message IDs, got " + ids.size());
        }
        List<byte[]> copy = new ArrayList<>(ids.size());
        for (byte[] id : ids) {
            if (id.length != ID_LENGTH) {
                throw new IllegalArgumentException("a message ID is 32 bytes");
            }
            copy.add(id.clone());
        }
        return List.copyOf(copy);
    }

    private static byte[] writeIds(int type, List<byte[]> ids) {
        ByteWriter w = new ByteWriter(2 + ids.size() * ID_LENGTH).u8(type).vlu(ids.size());
        for (byte[] id : ids) {
            w.bytes(id);
        }
        return w.toByteArray();
    }

    private static List<byte[]> readIds(ByteReader r) {
        int n = r.vluInt();
        if (n < 1 || n > MAX_IDS || n * ID_LENGTH != r.remaining()) {
            throw new WireFormatException("posting: a list of 1 to " + MAX_IDS + " message IDs expected");
        }
        List<byte[]> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(r.bytes(ID_LENGTH));
        }
        return ids;
    }

    private static boolean sameIds(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
