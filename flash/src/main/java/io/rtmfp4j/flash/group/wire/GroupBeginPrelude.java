package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The lone {@code 02} message a node sends between its group connect and its {@link GroupBegin}
 * (netgroup spec §5.3). Its meaning is unknown: librtmfp writes the single byte and reads an
 * optional VLU-length-prefixed string after it, which it only logs. Send {@link #EMPTY}.
 *
 * @param text the string after the type byte, if any
 */
public record GroupBeginPrelude(Optional<String> text) implements GroupMessage {
    public static final int TYPE = 0x02;
    /** What librtmfp sends: the type byte alone. */
    public static final GroupBeginPrelude EMPTY = new GroupBeginPrelude(Optional.empty());

    public GroupBeginPrelude {
        Objects.requireNonNull(text, "text");
    }

    @Override
    public byte[] encode() {
        ByteWriter w = new ByteWriter(16).u8(TYPE);
        text.ifPresent(t -> w.field(t.getBytes(StandardCharsets.UTF_8)));
        return w.toByteArray();
    }

    /** Reads the message; bytes after the string are ignored, as librtmfp ignores them. */
    public static GroupBeginPrelude decode(byte[] message) {
        ByteReader r = GroupWire.body(message, TYPE, "group begin prelude");
        return r.hasRemaining()
                ? new GroupBeginPrelude(Optional.of(new String(r.field(), StandardCharsets.UTF_8)))
                : EMPTY;
    }
}
