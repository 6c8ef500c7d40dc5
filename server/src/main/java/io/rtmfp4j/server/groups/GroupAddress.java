package io.rtmfp4j.server.groups;

import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.Sha256;
import io.rtmfp4j.core.wire.Hex;
import java.util.Arrays;

/**
 * A peer's position on a group's ring: SHA-256 of its peer EPD {@code 21 0f || peerId}
 * (netgroup spec §2.3, what Flash's {@code NetGroup.convertPeerIDToGroupAddress} returns), ordered
 * as an unsigned 256-bit number.
 */
record GroupAddress(byte[] bytes) implements Comparable<GroupAddress> {

    static GroupAddress ofPeer(String peerIdHex) {
        return new GroupAddress(Sha256.digest(EndpointDiscriminator.forPeer(Hex.decode(peerIdHex)).encode()));
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

    @Override
    public String toString() {
        return Hex.encode(bytes);
    }
}
