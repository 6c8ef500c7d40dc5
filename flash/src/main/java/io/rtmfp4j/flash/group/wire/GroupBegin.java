package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.group.ReceiveMode;
import java.util.Objects;

/**
 * Group begin (netgroup spec §5.3): one byte, {@code 0e} for receive mode EXACT or {@code 0f} for
 * NEAREST, sent on the {@link GroupFlow#REPORT} flow after {@link GroupConnect} and
 * {@link GroupBeginPrelude}. A node answers the first one it receives from a neighbor with a
 * {@link GroupReport} (spec §5.4). librtmfp always sends {@code 0e} and treats both alike.
 *
 * @param mode the sender's receive mode
 */
public record GroupBegin(ReceiveMode mode) implements GroupMessage {
    public static final int TYPE_EXACT = 0x0e;
    public static final int TYPE_NEAREST = 0x0f;

    public GroupBegin {
        Objects.requireNonNull(mode, "mode");
    }

    @Override
    public byte[] encode() {
        return new byte[] {(byte) (mode == ReceiveMode.NEAREST ? TYPE_NEAREST : TYPE_EXACT)};
    }

    /** Reads the message; bytes after the type are ignored. */
    public static GroupBegin decode(byte[] message) {
        int type = message.length == 0 ? -1 : message[0] & 0xff;
        return switch (type) {
            case TYPE_EXACT -> new GroupBegin(ReceiveMode.EXACT);
            case TYPE_NEAREST -> new GroupBegin(ReceiveMode.NEAREST);
            default -> throw new WireFormatException("group begin message must start with 0e or 0f");
        };
    }
}
