package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Vlu;

/**
 * A pull request (type 2b on a {@link GroupFlow#MEDIA_REPORT} flow, netgroup spec §8.5):
 * {@code 2b VLU(fragmentId)}, answered with that fragment on the {@link GroupFlow#MEDIA} flow,
 * or not at all if the neighbor does not hold it.
 *
 * @param fragmentId the fragment wanted
 */
public record PullRequest(long fragmentId) implements GroupMessage {
    public static final int TYPE = 0x2b;

    public PullRequest {
        if (fragmentId < 0) {
            throw new IllegalArgumentException("fragment id must be non-negative: " + fragmentId);
        }
    }

    @Override
    public byte[] encode() {
        return new ByteWriter(1 + Vlu.MAX_BYTES).u8(TYPE).vlu(fragmentId).toByteArray();
    }

    /** Reads the message; bytes after the id are ignored. */
    public static PullRequest decode(byte[] message) {
        ByteReader r = GroupWire.body(message, TYPE, "pull request");
        return new PullRequest(r.vlu());
    }
}
