package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.crypto.Sha256;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The NetGroup server channel (netgroup spec §4): flows whose metadata starts with "GC"; the
 * client sends one join message, the server answers on a return flow with one announcement per
 * peer ID.
 */
public final class GroupChannel {
    /** Flow metadata of the channel, both ways; a flow whose metadata starts with it is one (spec §1). */
    public static final byte[] METADATA = GroupFlow.SERVER_CHANNEL.metadata();

    private static final int JOIN = 0x01;
    private static final int OPTION_GROUP_ID = 0x15;
    private static final int OPTION_GROUPSPEC = 0x10;
    private static final int ANNOUNCE = 0x0b;
    private static final int PEER_ID_LENGTH = 32;
    private static final int GROUP_ID_LENGTH = 32;
    /** Legacy joins carry the groupspec text; anything longer than a datagram's worth is not one. */
    private static final int MAX_GROUPSPEC = 4096;

    private GroupChannel() {
    }

    public static boolean isChannel(byte[] metadata) {
        return GroupFlow.SERVER_CHANNEL.matches(metadata);
    }

    /**
     * The group ID (64 lowercase hex digits) a join message names: either the 32-byte ID itself
     * (option 0x15, what Flash and librtmfp send) or, from old Flash 10.1 builds, the groupspec
     * text (option 0x10), whose SHA-256 is the ID (spec §4.1). Empty if the message is not a join.
     */
    public static Optional<String> parseJoin(byte[] message) {
        try {
            ByteReader r = new ByteReader(message);
            if (r.u8() != JOIN) {
                return Optional.empty();
            }
            int length = r.vluInt();
            if (length < 1 || length > r.remaining()) {
                return Optional.empty();
            }
            int type = r.u8();
            byte[] value = r.bytes(length - 1);
            if (type == OPTION_GROUP_ID && value.length == GROUP_ID_LENGTH) {
                return Optional.of(Hex.encode(value));
            }
            if (type == OPTION_GROUPSPEC && value.length > 0 && value.length <= MAX_GROUPSPEC) {
                return Optional.of(Hex.encode(Sha256.digest(value)));
            }
            return Optional.empty();
        } catch (WireFormatException e) {
            return Optional.empty();
        }
    }

    /** The message announcing one member to another: {@code 0b || peerId}. */
    public static byte[] announcement(String peerIdHex) {
        byte[] id = Hex.decode(peerIdHex);
        byte[] m = new byte[1 + id.length];
        m[0] = ANNOUNCE;
        System.arraycopy(id, 0, m, 1, id.length);
        return m;
    }

    /**
     * The peer ID a member announcement names (64 lowercase hex digits), or empty if the message
     * is not one: a client reads these on the server's return flow.
     */
    public static Optional<String> parseAnnouncement(byte[] message) {
        if (message.length != 1 + PEER_ID_LENGTH || (message[0] & 0xff) != ANNOUNCE) {
            return Optional.empty();
        }
        return Optional.of(Hex.encode(Arrays.copyOfRange(message, 1, message.length)));
    }

    /** The join message a client sends for a group ID (used by clients and tests). */
    public static byte[] join(byte[] groupId) {
        byte[] m = new byte[3 + groupId.length];
        m[0] = JOIN;
        m[1] = (byte) (groupId.length + 1);
        m[2] = OPTION_GROUP_ID;
        System.arraycopy(groupId, 0, m, 3, groupId.length);
        return m;
    }
}
