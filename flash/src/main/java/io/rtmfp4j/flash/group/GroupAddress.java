package io.rtmfp4j.flash.group;

import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.Sha256;
import io.rtmfp4j.core.wire.Hex;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A peer's position on a group's ring: SHA-256 of its peer EPD {@code 21 0f || peerId}
 * (netgroup spec §2.3, what Flash's {@code NetGroup.convertPeerIDToGroupAddress} returns), ordered
 * as an unsigned 256-bit number. Comparing the lowercase hex forms gives the same order.
 *
 * <p>The bytes are copied in and out; equality is by content.
 */
public record GroupAddress(byte[] bytes) implements Comparable<GroupAddress> {
    /** Bytes of an address (a SHA-256 digest). */
    public static final int LENGTH = 32;

    public GroupAddress {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a group address is " + LENGTH + " bytes, got " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** The group address of a peer ID given as 64 hex digits (either case). */
    public static GroupAddress ofPeer(String peerIdHex) {
        return ofPeer(decode64(peerIdHex, "peer ID"));
    }

    /** The group address of a 32-byte peer ID. */
    public static GroupAddress ofPeer(byte[] peerId) {
        return new GroupAddress(Sha256.digest(EndpointDiscriminator.forPeer(peerId).encode()));
    }

    /** An address written as 64 hex digits (either case), as {@link #hex()} and Flash print it. */
    public static GroupAddress parse(String hex) {
        return new GroupAddress(decode64(hex, "group address"));
    }

    /** The 32 bytes of 64 hex digits, the form of peer IDs and group addresses alike. */
    static byte[] decode64(String hex, String what) {
        if (hex.length() != 2 * LENGTH || !hex.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("a " + what + " is 64 hex digits: \"" + hex + "\"");
        }
        return Hex.decode(hex);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** 64 lowercase hex digits. */
    public String hex() {
        return Hex.encode(bytes);
    }

    @Override
    public int compareTo(GroupAddress o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupAddress g && Arrays.equals(bytes, g.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The same as {@link #hex()}. */
    @Override
    public String toString() {
        return hex();
    }
}
