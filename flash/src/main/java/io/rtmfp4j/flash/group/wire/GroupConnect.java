package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.net.PeerIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The group connect message (type 01, netgroup spec §5.2), the first message of each side's
 * {@link GroupFlow#REPORT} flow: which group, the proof of knowing its groupspec, and whom it is for.
 *
 * <pre>
 * 01  41 00 &lt;group ID as 64 ASCII hex digits&gt;  21 01 &lt;32-byte connect key&gt;  23 03 21 0f &lt;receiver's peer ID&gt;
 * </pre>
 *
 * librtmfp checks the three two-byte prefixes literally and refuses the flow, which ends the
 * session, on any difference; so the reader requires them too. Bytes after the receiver are
 * ignored, as librtmfp ignores them.
 *
 * @param groupIdHex the group ID (spec §3.5), as sent: Flash and librtmfp write lowercase, and
 *     librtmfp compares without regard to case (see {@link #isFor})
 * @param key the sender's {@link GroupKey#connectKey()}
 * @param receiverPeerId the receiver's peer ID, 64 lowercase hex digits
 */
public record GroupConnect(String groupIdHex, byte[] key, String receiverPeerId) implements GroupMessage {
    public static final int TYPE = 0x01;
    private static final int GROUP_ID_PREFIX = 0x4100;
    private static final int KEY_PREFIX = 0x2101;
    private static final int RECEIVER_PREFIX = 0x2303;
    private static final int GROUP_ID_HEX_LENGTH = 64;

    public GroupConnect {
        if (groupIdHex.length() != GROUP_ID_HEX_LENGTH || !groupIdHex.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("a group ID is 64 hex digits: \"" + groupIdHex + "\"");
        }
        if (key.length != GroupKey.LENGTH) {
            throw new IllegalArgumentException("a group connect key is 32 bytes, got " + key.length);
        }
        key = key.clone();
        receiverPeerId = PeerIds.normalize(receiverPeerId);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    /** Whether this connect names the group {@code groupIdHex}, in either case (as librtmfp compares). */
    public boolean isFor(String groupIdHex) {
        return this.groupIdHex.toLowerCase(Locale.ROOT).equals(groupIdHex.toLowerCase(Locale.ROOT));
    }

    @Override
    public byte[] encode() {
        ByteWriter w = new ByteWriter(1 + 2 + 64 + 2 + 32 + 2 + 34);
        w.u8(TYPE).u16(GROUP_ID_PREFIX).bytes(groupIdHex.getBytes(StandardCharsets.US_ASCII));
        w.u16(KEY_PREFIX).bytes(key);
        w.u16(RECEIVER_PREFIX);
        GroupWire.writePeerEpd(w, receiverPeerId);
        return w.toByteArray();
    }

    public static GroupConnect decode(byte[] message) {
        ByteReader r = GroupWire.body(message, TYPE, "group connect");
        prefix(r, GROUP_ID_PREFIX, "group ID");
        byte[] groupId = r.bytes(GROUP_ID_HEX_LENGTH);
        for (byte b : groupId) {
            if (!HexFormat.isHexDigit(b)) {
                throw new WireFormatException("group connect: group ID is not hex digits");
            }
        }
        prefix(r, KEY_PREFIX, "key");
        byte[] key = r.bytes(GroupKey.LENGTH);
        prefix(r, RECEIVER_PREFIX, "receiver");
        String receiver = GroupWire.readPeerEpd(r);
        return new GroupConnect(new String(groupId, StandardCharsets.US_ASCII), key, receiver);
    }

    private static void prefix(ByteReader r, int expected, String what) {
        int got = r.u16();
        if (got != expected) {
            throw new WireFormatException("group connect: " + what + " must follow " + String.format("%04x", expected)
                    + ", not " + String.format("%04x", got));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupConnect c && c.groupIdHex.equals(groupIdHex) && MessageDigest.isEqual(c.key, key)
                && c.receiverPeerId.equals(receiverPeerId);
    }

    @Override
    public int hashCode() {
        return (groupIdHex.hashCode() * 31 + Arrays.hashCode(key)) * 31 + receiverPeerId.hashCode();
    }

    @Override
    public String toString() {
        return "GroupConnect[group=" + groupIdHex + ", key redacted, receiver=" + receiverPeerId + "]";
    }
}
