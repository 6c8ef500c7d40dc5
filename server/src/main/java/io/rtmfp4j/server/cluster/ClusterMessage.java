package io.rtmfp4j.server.cluster;

import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What one node of a cluster asks of another, as bytes on the node's topic (docs/server.md,
 * "Cluster"). Every message starts with its type; lengths are VLUs (RFC 7016 §2.1.2) and addresses
 * are encoded as in RFC 7016 §2.1.5. Decoding treats the bytes as hostile, as every decoder of
 * the project does, though they come from another node: a message that does not decode is dropped.
 */
public sealed interface ClusterMessage {
    /** Peer IDs and group IDs: SHA-256 digests (RFC 7425 §4.3, netgroup spec §3.5). */
    int ID_LENGTH = 32;
    /** The longest node name, tag and EPD carried: longer ones are refused when encoding and decoding. */
    int MAX_FIELD = 255;
    /** Addresses in an answer: the observed one and up to 16 reported (the server's default limit is 16). */
    int MAX_ADDRESSES = 64;
    /** Peer IDs in one announcement: the group policy announces a few dozen at most. */
    int MAX_PEERS = 256;

    int FORWARD_HELLO = 0x01;
    int HELLO_FORWARDED = 0x02;
    int ANNOUNCE = 0x03;

    byte[] encode();

    static ClusterMessage decode(byte[] message) {
        ByteReader r = new ByteReader(message);
        ClusterMessage m = switch (r.u8()) {
            case FORWARD_HELLO -> new ForwardHello(r.vlu(), new String(field(r), StandardCharsets.UTF_8),
                    Hex.encode(r.bytes(ID_LENGTH)), field(r), field(r), Address.decode(r));
            case HELLO_FORWARDED -> {
                long id = r.vlu();
                int n = count(r, MAX_ADDRESSES);
                List<Address> addresses = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    addresses.add(Address.decode(r));
                }
                yield new HelloForwarded(id, addresses);
            }
            case ANNOUNCE -> {
                String group = Hex.encode(r.bytes(ID_LENGTH));
                String member = Hex.encode(r.bytes(ID_LENGTH));
                int n = count(r, MAX_PEERS);
                List<String> peers = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    peers.add(Hex.encode(r.bytes(ID_LENGTH)));
                }
                yield new Announce(group, member, peers);
            }
            default -> throw new WireFormatException("unknown cluster message type");
        };
        if (r.hasRemaining()) {
            throw new WireFormatException("trailing bytes after a cluster message");
        }
        return m;
    }

    private static byte[] field(ByteReader r) {
        byte[] b = r.field();
        if (b.length > MAX_FIELD) {
            throw new WireFormatException("cluster message field too long");
        }
        return b;
    }

    /** A count that the bytes remaining could hold, at most {@code max}: allocation stays bounded. */
    private static int count(ByteReader r, int max) {
        long n = r.vlu();
        if (n > max || n > r.remaining()) {
            throw new WireFormatException("cluster message count out of range");
        }
        return (int) n;
    }

    private static void checkField(byte[] b, String what) {
        if (b.length > MAX_FIELD) {
            throw new IllegalArgumentException(what + " longer than " + MAX_FIELD + " bytes");
        }
    }

    private static byte[] idBytes(String hex) {
        byte[] b = Hex.decode(hex);
        if (b.length != ID_LENGTH) {
            throw new IllegalArgumentException("not a 32-byte ID: " + hex);
        }
        return b;
    }

    /**
     * Node A to node B: forward this IHello to your client {@code peerId} (RFC 7016 §3.5.1.5) and
     * tell me its addresses, so that I can redirect the initiator to them.
     *
     * @param id        chosen by A to match the answer
     * @param replyTo   A's node name, where the answer goes
     * @param peerId    the target, 64 lowercase hex digits
     * @param rawEpd    the IHello's endpoint discriminator, forwarded verbatim
     * @param tag       the IHello's tag, forwarded verbatim
     * @param initiator the initiator's address as A observed it
     */
    record ForwardHello(long id, String replyTo, String peerId, byte[] rawEpd, byte[] tag, Address initiator)
            implements ClusterMessage {
        public ForwardHello {
            Objects.requireNonNull(replyTo, "replyTo");
            Objects.requireNonNull(initiator, "initiator");
            checkField(replyTo.getBytes(StandardCharsets.UTF_8), "node name");
            checkField(rawEpd, "EPD");
            checkField(tag, "tag");
            idBytes(peerId);
            rawEpd = rawEpd.clone();
            tag = tag.clone();
        }

        @Override
        public byte[] encode() {
            ByteWriter w = new ByteWriter(64 + rawEpd.length + tag.length);
            w.u8(FORWARD_HELLO).vlu(id).field(replyTo.getBytes(StandardCharsets.UTF_8)).bytes(idBytes(peerId))
                    .field(rawEpd).field(tag);
            initiator.encode(w);
            return w.toByteArray();
        }

        @Override
        public byte[] rawEpd() {
            return rawEpd.clone();
        }

        @Override
        public byte[] tag() {
            return tag.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ForwardHello f && f.id == id && f.replyTo.equals(replyTo) && f.peerId.equals(peerId)
                    && Arrays.equals(f.rawEpd, rawEpd) && Arrays.equals(f.tag, tag) && f.initiator.equals(initiator);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, replyTo, peerId, Arrays.hashCode(rawEpd), Arrays.hashCode(tag), initiator);
        }
    }

    /**
     * B's answer to a {@link ForwardHello}: the target's addresses as B knows them, observed first;
     * none when B has no such client (it left, or connected elsewhere since the directory said so).
     */
    record HelloForwarded(long id, List<Address> addresses) implements ClusterMessage {
        public HelloForwarded {
            addresses = List.copyOf(addresses);
            if (addresses.size() > MAX_ADDRESSES) {
                throw new IllegalArgumentException("more than " + MAX_ADDRESSES + " addresses");
            }
        }

        @Override
        public byte[] encode() {
            ByteWriter w = new ByteWriter(16 + 19 * addresses.size());
            w.u8(HELLO_FORWARDED).vlu(id).vlu(addresses.size());
            for (Address a : addresses) {
                a.encode(w);
            }
            return w.toByteArray();
        }
    }

    /**
     * To the node a group member is connected to: announce these peer IDs to it on the group's
     * server channel (netgroup spec §4.2); what MonaServer2's servers forward to each other, decided
     * here by the node that ran the group policy.
     */
    record Announce(String groupId, String member, List<String> peerIds) implements ClusterMessage {
        public Announce {
            idBytes(groupId);
            idBytes(member);
            peerIds = List.copyOf(peerIds);
            if (peerIds.size() > MAX_PEERS) {
                throw new IllegalArgumentException("more than " + MAX_PEERS + " peer IDs");
            }
            peerIds.forEach(ClusterMessage::idBytes);
        }

        @Override
        public byte[] encode() {
            ByteWriter w = new ByteWriter(66 + ID_LENGTH * peerIds.size());
            w.u8(ANNOUNCE).bytes(idBytes(groupId)).bytes(idBytes(member)).vlu(peerIds.size());
            for (String p : peerIds) {
                w.bytes(idBytes(p));
            }
            return w.toByteArray();
        }
    }
}
