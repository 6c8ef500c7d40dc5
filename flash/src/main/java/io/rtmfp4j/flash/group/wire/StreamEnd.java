package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Vlu;
import io.rtmfp4j.core.wire.WireFormatException;

/**
 * The end of a multicast stream (netgroup spec §8.2): {@code 21 VLU(lastFragmentId)} on the
 * {@link GroupFlow#MEDIA_REPORT} flow, where the publisher's id is the last fragment's number + 1.
 * It shares its type with {@link StreamAnnouncement}; as librtmfp does, a 21 message with fewer
 * than 0x24 bytes after the type is this one (an announcement, with its 34-byte key, never is).
 *
 * @param lastFragmentId the id given by the publisher
 */
public record StreamEnd(long lastFragmentId) implements GroupMessage {
    public static final int TYPE = StreamAnnouncement.TYPE;
    /** A 21 message with fewer bytes than this after its type is an end of stream (librtmfp's rule). */
    private static final int ANNOUNCEMENT_MIN_BODY = 0x24;

    public StreamEnd {
        if (lastFragmentId < 0) {
            throw new IllegalArgumentException("fragment id must be non-negative: " + lastFragmentId);
        }
    }

    /** Whether a 21 message is the end-of-stream form. */
    static boolean isEnd(byte[] message) {
        return message.length - 1 < ANNOUNCEMENT_MIN_BODY;
    }

    @Override
    public byte[] encode() {
        return new ByteWriter(1 + Vlu.MAX_BYTES).u8(TYPE).vlu(lastFragmentId).toByteArray();
    }

    /** Reads the message; bytes after the id are ignored. */
    public static StreamEnd decode(byte[] message) {
        if (!isEnd(message)) {
            throw new WireFormatException("a 21 message this long is a stream announcement, not an end");
        }
        ByteReader r = GroupWire.body(message, TYPE, "end of stream");
        return new StreamEnd(r.vlu());
    }
}
