package io.rtmfp4j.flash.group;

import io.rtmfp4j.core.crypto.Sha256;
import io.rtmfp4j.core.wire.Hex;
import java.nio.ByteBuffer;

/**
 * A posting's message ID: the SHA-256 of its body (netgroup spec §9, §16), kept as four longs so
 * that the thousands a group remembers cost little and hash fast.
 */
record MessageId(long a, long b, long c, long d) {
    static final int LENGTH = 32;

    static MessageId of(byte[] id) {
        if (id.length != LENGTH) {
            throw new IllegalArgumentException("a message ID is 32 bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(id);
        return new MessageId(b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }

    /** The ID of a body. */
    static MessageId ofBody(byte[] body) {
        return of(Sha256.digest(body));
    }

    byte[] bytes() {
        return ByteBuffer.allocate(LENGTH).putLong(a).putLong(b).putLong(c).putLong(d).array();
    }

    /** Lowercase hex, as {@code NetGroup.post} returns it. */
    String hex() {
        return Hex.encode(bytes());
    }
}
